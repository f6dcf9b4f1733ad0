import Foundation
import LyraBase

/// Which part of a dataset with a fixed train/test split to read.
public enum Split: String, CaseIterable {
  case train, test
}

/// Loads an image/label pair of IDX files (MNIST family) into an `ImageDataset`.
public enum IDXImages {
  /// Reads `images` (magic 0x00000803, [N, H, W]) and `labels` (magic 0x00000801, [N]),
  /// checking that they agree and that every label is below `classes.count` (when given).
  public static func load(images: String, labels: String, classes: [String] = [], normalization: Normalization? = nil) throws -> ImageDataset {
    let x = try IDXArray(contentsOf: images)
    guard x.shape.count == 3 else {
      throw DataError(file: images, "IDX: expected 3-d images (magic 0x00000803), found \(x.shape.count)-d (magic 0x\(String(x.magic, radix: 16)))")
    }
    // One image's size must be countable even when the file holds no images: a header with
    // N = 0 and rows × cols past Int.max trapped later, where the image shape is multiplied.
    do { try CheckedSize.allocation([1, x.shape[1], x.shape[2]], "one image") } catch {
      throw DataError(file: images, "IDX: images of \(x.shape[1])×\(x.shape[2]) pixels: \(error)")
    }
    let y = try IDXArray(contentsOf: labels)
    guard y.shape.count == 1 else {
      throw DataError(file: labels, "IDX: expected 1-d labels (magic 0x00000801), found \(y.shape.count)-d (magic 0x\(String(y.magic, radix: 16)))")
    }
    guard x.shape[0] == y.shape[0] else {
      throw DataError(file: labels, "IDX: \(y.shape[0]) labels for \(x.shape[0]) images in \(images)")
    }
    if !classes.isEmpty, let bad = y.bytes.firstIndex(where: { Int($0) >= classes.count }) {
      throw DataError(file: labels, "IDX: label \(y.bytes[bad]) at index \(bad) is out of range 0..<\(classes.count)")
    }
    return ImageDataset(pixels: x.bytes, labels: y.bytes.map { Int32($0) }, imageShape: [1, x.shape[1], x.shape[2]],
                        classes: classes, normalization: normalization)
  }

  /// `{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]` under `root`, preferring `.gz`.
  static func files(root: String, split: Split) -> (images: String, labels: String) {
    let prefix = split == .train ? "train" : "t10k"
    func pick(_ name: String) -> String {
      let gz = "\(root)/\(name).gz"
      return access(gz, F_OK) == 0 ? gz : "\(root)/\(name)"
    }
    return (pick("\(prefix)-images-idx3-ubyte"), pick("\(prefix)-labels-idx1-ubyte"))
  }
}

/// Fashion-MNIST (Xiao et al. 2017): 60,000 training and 10,000 test 28×28 grey images of
/// clothing in 10 classes, normalised by default as x = (pixel/255 − 0.2860)/0.3530.
public struct FashionMNIST: Dataset {
  /// Where Debian's dataset-fashion-mnist package installs the files.
  public static let defaultRoot = "/usr/share/datasets/fashion-mnist"
  public static let classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
  /// The images; set `data.normalization = nil` for raw [0, 255] pixels.
  public var data: ImageDataset

  /// Reads `{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]` under `root`; throws a
  /// `DataError` naming the file for a missing, truncated or corrupt file.
  public init(split: Split = .train, root: String = FashionMNIST.defaultRoot, normalized: Bool = true) throws {
    let f = IDXImages.files(root: root, split: split)
    data = try IDXImages.load(images: f.images, labels: f.labels, classes: FashionMNIST.classes,
                              normalization: normalized ? .fashionMNIST : nil)
  }

  public var count: Int { data.count }
  public func item(at index: Int) -> Sample { data.item(at: index) }
}

/// MNIST (LeCun et al.): the same IDX layout as Fashion-MNIST, digits 0–9, normalised
/// with MNIST's own statistics by default.
public struct MNIST: Dataset {
  public var data: ImageDataset

  /// Reads the MNIST IDX files under `root` (same names as Fashion-MNIST).
  public init(split: Split = .train, root: String, normalized: Bool = true) throws {
    let f = IDXImages.files(root: root, split: split)
    data = try IDXImages.load(images: f.images, labels: f.labels, classes: (0 ..< 10).map(String.init),
                              normalization: normalized ? .mnist : nil)
  }

  public var count: Int { data.count }
  public func item(at index: Int) -> Sample { data.item(at: index) }
}

