import LyraBase
import LyraData
import LyraNN

/// The training split's augmentation from a dataset section's `transforms` key, in two
/// spellings:
///
/// - a list, VEGA/torchvision style: `[{type: Rotate, prob: 0.5, magnitude: 4},
///   {type: RandomHorizontalFlip}, {type: Cutout, magnitude: 6}]` — every op of
///   LyraData's AugmentRegistry (PBA's set) with `prob` (default 1) and `magnitude` in
///   [0, 10] (default 5); `RandomHorizontalFlip` is Flip with prob 0.5, `RandomCrop`
///   is Crop; `ToTensor` and `Normalize` are accepted and do nothing (datasets normalise
///   themselves, after the augmentation);
/// - a policy object, the shape a search space samples (the paper's §4.1 joint space):
///   `{num_ops: 2, op1: {type, prob, magnitude}, op2: {...}, flip: true}` — the first
///   `num_ops` slots (default: all present), then a horizontal flip with prob 0.5 when
///   `flip` is true. A slot whose `prob`/`magnitude` a condition switched off gets the
///   defaults.
///
/// - PBA's policy and schedule forms (`{pba: ...}`, `{schedule: [...]}`): DatasetAugmentation.
///
/// Why only the training split: augmentation is a training-time regulariser; validation
/// and test data stay as they are so scores compare across trials.
enum DatasetTransforms {
  typealias Step = (name: String, probability: Double, magnitude: Double)

  static func parse(_ value: JSON, path: String) throws -> [Step] {
    if let list = value.array {
      return try list.enumerated().compactMap { i, v in try step(v, path: "\(path)[\(i)]") }
    }
    guard let o = value.object else {
      throw TrainerError.config(key: path, "expected a list of transforms or a policy {num_ops, op1, ...}, got \(value.text)")
    }
    let slots = o.keys.filter { $0.hasPrefix("op") && Int($0.dropFirst(2)) != nil }.sorted { Int($0.dropFirst(2))! < Int($1.dropFirst(2))! }
    for k in o.keys where k != "num_ops" && k != "flip" && !slots.contains(k) {
      throw TrainerError.config(key: "\(path).\(k)", "unknown key (a policy has num_ops, op1, op2, ... and flip)")
    }
    var n = slots.count
    if let v = o["num_ops"] {
      guard let i = v.int, i >= 0 else { throw TrainerError.config(key: "\(path).num_ops", "expected an integer ≥ 0, got \(v.text)") }
      n = min(i, slots.count)
    }
    var steps = try slots.prefix(n).compactMap { try step(o[$0]!, path: "\(path).\($0)") }
    if let f = o["flip"] {
      guard let b = f.bool else { throw TrainerError.config(key: "\(path).flip", "expected true or false, got \(f.text)") }
      if b { steps.append(("Flip", 0.5, 5)) }
    }
    return steps
  }

  /// One transform; nil for the no-op names (ToTensor, Normalize) and for the shape-changing
  /// steps, which `DatasetGeometry` reads.
  static func step(_ v: JSON, path: String) throws -> Step? {
    if DatasetGeometry.isGeometry(v) { return nil }
    let r: ParamReader
    if let name = v.string { r = ParamReader(["type": .string(name)], path: path) } else { r = try ParamReader(v, path: path) }
    guard let type = try r.optionalString("type") else { throw TrainerError.config(key: path, "missing 'type'") }
    var prob = try r.double("prob", 1)
    let magnitude = try r.double("magnitude", 5)
    r.accept(["size", "padding", "mean", "std"])
    try r.finish()
    let name: String
    switch type {
    case "ToTensor", "Normalize": return nil
    case "RandomHorizontalFlip":
      name = "Flip"
      if v.object?["prob"] == nil { prob = 0.5 }
    case "RandomCrop": name = "Crop"
    default: name = type
    }
    guard AugmentRegistry.names.contains(name) else {
      let hint = Suggest.hint(name, in: AugmentRegistry.names)
      throw TrainerError.config(key: "\(path).type", "unknown transform '\(type)'\(hint)")
    }
    guard (0...1).contains(prob) else { throw TrainerError.config(key: "\(path).prob", "must be in [0, 1], got \(prob)") }
    guard (0...10).contains(magnitude) else { throw TrainerError.config(key: "\(path).magnitude", "must be in [0, 10], got \(magnitude)") }
    return (name, prob, magnitude)
  }

  /// The dataset with raw pixels and the transform that augments then normalises, for the
  /// image datasets; other datasets get the augmentation on their values as they are.
  static func apply(_ steps: [Step], to ds: any Dataset) throws -> (any Dataset, any Transform) {
    apply(try AugmentTransform(named: steps), to: ds)
  }

  /// The same for any augmentation working on [0, 255] pixels (a PBA policy, a schedule).
  static func apply(_ augment: any Transform, to ds: any Dataset) -> (any Dataset, any Transform) {
    var images: ImageDataset?
    if let d = ds as? FashionMNIST { images = d.data } else if let d = ds as? MNIST { images = d.data } else if let d = ds as? CIFAR10 {
      images = d.data
    } else if let d = ds as? ImageDataset { images = d }
    guard var raw = images, let norm = raw.normalization else { return (ds, augment) }
    raw.normalization = nil
    return (raw, Compose([augment, Normalize(norm)]))
  }
}

/// The shape-changing steps of a `transforms` list, torchvision's: `Resize {size}`,
/// `CenterCrop {size}` and `RandomCrop {size, padding}` (`size`: N or [h, w]; for Resize, N
/// is the shorter side). VEGA's fine-tuning configs resize Fashion-MNIST-sized data to 224.
///
/// They run on every split whose list names them (validation data is resized too, as
/// VEGA's `val.transforms` ask), after the augmentation and the normalisation: resizing and
/// cropping commute with the per-channel normalisation. A `RandomCrop` is random only in
/// the training split; elsewhere it is the centre window, so scores stay comparable. A
/// `RandomCrop` without `size` keeps its older meaning, PBA's `Crop` (a shift within the
/// image, same size).
enum DatasetGeometry {
  static let shapeChanging: Set<String> = ["Resize", "CenterCrop"]

  /// True when the step is one of these (and so not an augmentation op).
  static func isGeometry(_ v: JSON) -> Bool {
    let type = v.string ?? v.object?["type"]?.string ?? ""
    return shapeChanging.contains(type) || (type == "RandomCrop" && v.object?["size"] != nil)
  }

  static func parse(_ value: JSON?, path: String, training: Bool) throws -> [any ShapeTransform] {
    guard let list = value?.array else { return [] }
    var out: [any ShapeTransform] = []
    for (i, v) in list.enumerated() where isGeometry(v) {
      let p = "\(path)[\(i)]"
      let type = v.string ?? v.object?["type"]?.string ?? ""
      guard let o = v.object, let s = o["size"] else { throw TrainerError.config(key: p, "\(type) needs a 'size' (N or [height, width])") }
      let size = try imageSize(s, path: "\(p).size")
      switch type {
      case "Resize": out.append(Resize(size))
      default:
        let (h, w) = size.sides
        let padding = try o["padding"].map { v -> Int in
          guard let n = v.int, (0...4096).contains(n) else { throw TrainerError.config(key: "\(p).padding", "expected an integer in [0, 4096], got \(v.text)") }
          return n
        } ?? 0
        out.append(Crop2D(height: h, width: w, padding: type == "RandomCrop" ? padding : 0, random: type == "RandomCrop" && training))
      }
    }
    return out
  }

  static func imageSize(_ v: JSON, path: String) throws -> ImageSize {
    func side(_ x: JSON) throws -> Int {
      guard let n = x.int, (1...16384).contains(n) else { throw TrainerError.config(key: path, "expected a side in [1, 16384], got \(x.text)") }
      return n
    }
    if let a = v.array {
      guard a.count == 2 else { throw TrainerError.config(key: path, "expected N or [height, width], got \(v.text)") }
      return .exact(height: try side(a[0]), width: try side(a[1]))
    }
    return .shorterSide(try side(v))
  }
}

extension ImageSize {
  /// A crop's (height, width): N means N×N.
  var sides: (Int, Int) {
    switch self {
    case .shorterSide(let n): return (n, n)
    case .exact(let h, let w): return (h, w)
    }
  }
}
