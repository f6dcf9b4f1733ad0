/// CIFAR-100 in its binary form (https://www.cs.toronto.edu/~kriz/cifar.html, `cifar-100-binary`):
/// `train.bin` (50,000 records) and `test.bin` (10,000), each record one coarse label byte
/// (0–19, the superclass), one fine label byte (0–99), then 3 × 32 × 32 pixel bytes in CHW order.
public struct CIFAR100: Dataset {
  /// Which label a sample carries.
  public enum LabelKind: String, CaseIterable {
    /// The 100 classes.
    case fine
    /// The 20 superclasses.
    case coarse
  }

  /// The 100 fine class names, label order (alphabetical, as in `fine_label_names.txt`).
  public static let fineClasses = [
    "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle",
    "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle",
    "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur",
    "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard",
    "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain",
    "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck", "pine_tree",
    "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road", "rocket",
    "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider",
    "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger", "tractor",
    "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm",
  ]
  /// The 20 superclass names, label order (as in `coarse_label_names.txt`).
  public static let coarseClasses = [
    "aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables",
    "household_electrical_devices", "household_furniture", "insects", "large_carnivores",
    "large_man-made_outdoor_things", "large_natural_outdoor_scenes", "large_omnivores_and_herbivores",
    "medium_mammals", "non-insect_invertebrates", "people", "reptiles", "small_mammals", "trees",
    "vehicles_1", "vehicles_2",
  ]

  /// The record format for one label kind: both label bytes are read, the chosen one kept.
  public static func records(_ kind: LabelKind) -> CIFARRecords {
    kind == .coarse ? CIFARRecords(format: "CIFAR-100", labelBytes: 2, labelIndex: 0, classCount: 20)
                    : CIFARRecords(format: "CIFAR-100", labelBytes: 2, labelIndex: 1, classCount: 100)
  }

  /// The file of each split, relative to the root (`cifar-100-binary`).
  public static func file(_ split: Split) -> String { split == .train ? "train.bin" : "test.bin" }

  /// The images; set `data.normalization = nil` for raw [0, 255] pixels.
  public var data: ImageDataset

  /// Reads the split's file under `root`, normalised with CIFAR-100 statistics by default.
  public init(split: Split = .train, root: String, label: LabelKind = .fine, normalized: Bool = true) throws {
    try self.init(files: ["\(root)/\(CIFAR100.file(split))"], label: label, normalized: normalized)
  }

  /// Reads the given files in order (gzip-compressed or raw).
  public init(files: [String], label: LabelKind = .fine, normalized: Bool = true) throws {
    let (pixels, labels) = try CIFAR100.records(label).read(files)
    data = ImageDataset(pixels: pixels, labels: labels, imageShape: [3, 32, 32],
                        classes: label == .coarse ? CIFAR100.coarseClasses : CIFAR100.fineClasses,
                        normalization: normalized ? .cifar100 : nil)
  }

  public var count: Int { data.count }
  public func item(at index: Int) -> Sample { data.item(at: index) }
}
