import LyraData
import LyraNN

/// A VEGA `dataset:` section — `{type: FashionMnist, common: {batch_size: 64},
/// train: {shuffle: true}, val: {...}, test: {...}}` — turned into DataLoaders.
///
/// Per mode the keys are `common` overlaid by the mode's own section. Loader keys and
/// their defaults: `batch_size` 64 (VEGA's per-dataset defaults vary; 64 suits the small
/// sets Lyra targets), `shuffle` true for train and false otherwise, `drop_last` false,
/// `seed` 0 (shuffle order), `train_portion` 1 (when < 1, train is that seeded fraction of
/// the training split and val the rest, as VEGA's Cifar10), `max_samples` (Lyra: keep the
/// first N samples, for quick runs), `num_workers`/`pin_memory`/`dataset_backend` accepted and
/// ignored, `n_class` (VEGA's class count of the set) checked to be a positive integer and
/// otherwise ignored, as VEGA's loaders do; `cutout_length` (VEGA's Cifar10 key: a
/// `CutoutMask` of that side, in pixels, on the training split after normalisation; 0 or
/// absent: none).
/// `transforms` augments the training split (DatasetTransforms: a list of ops or a
/// sampled policy; DatasetAugmentation: a PBA policy or schedule). Every other key goes
/// to the dataset's factory, which rejects what it does not know.
public struct DatasetSection {
  public let type: String
  public let common: [String: JSON]
  public let modes: [String: [String: JSON]]
  public let path: String

  public init(json: JSON, path: String = "dataset") throws {
    let r = try ParamReader(json, path: path)
    guard let t = try r.optionalString("type") else { throw TrainerError.config(key: path, "missing 'type'") }
    type = t
    self.path = path
    _ = try DatasetRegistry.factory(t, path: path)
    var c = try ParamReader(r.raw("common"), path: path + ".common").values
    // VEGA's CTR examples give `batch_size` beside `type` (examples/nas/fis): it means common.batch_size.
    if let b = r.raw("batch_size"), c["batch_size"] == nil { c["batch_size"] = b }
    common = c
    var m: [String: [String: JSON]] = [:]
    for mode in DatasetRegistry.Mode.allCases { m[mode.rawValue] = try ParamReader(r.raw(mode.rawValue), path: "\(path).\(mode.rawValue)").values }
    modes = m
    try r.finish()
  }

  /// The shape of one sample ([C, H, W] or [F]): known for the built-in image sets, else
  /// read from the first test sample (which builds the dataset once).
  public func sampleShape() throws -> [Int]? {
    switch type {
    case "FashionMnist", "Mnist": return try reshaped([1, 28, 28])
    case "Cifar10": return try reshaped([3, 32, 32])
    default:
      let ds = try loader(.test).dataset
      return ds.count > 0 ? try reshaped(modelInput(ds.item(at: 0).shape)) : nil
    }
  }

  /// A stored sample shape after the training split's Resize and crops (`DatasetGeometry`),
  /// which decide the shape the model is built for.
  func reshaped(_ shape: [Int]) throws -> [Int] {
    let train = common.merging(modes[DatasetRegistry.Mode.train.rawValue] ?? [:]) { _, b in b }
    let steps = try DatasetGeometry.parse(train["transforms"], path: "\(path).train.transforms", training: true)
    return steps.reduce(shape) { $1.outputShape($0) }
  }

  /// The loader for `mode`; `checkOnly`: every key checked, nothing read (an empty loader).
  public func loader(_ mode: DatasetRegistry.Mode, checkOnly: Bool = false) throws -> DataLoader {
    let p = "\(path).\(mode.rawValue)"
    let r = ParamReader(common.merging(modes[mode.rawValue] ?? [:]) { _, b in b }, path: p)
    r.checkOnly = checkOnly
    let batch = try r.int("batch_size", defaultBatchSize(r), min: 1)
    let shuffle = try r.bool("shuffle", mode == .train)
    let dropLast = try r.bool("drop_last", false)
    let seed = UInt64(try r.int("seed", 0, min: 0))
    let portion = try r.double("train_portion", 1)
    guard portion > 0 && portion <= 1 else { throw TrainerError.config(key: "\(p).train_portion", "must be in (0, 1], got \(portion)") }
    let maxSamples = try r.optionalInt("max_samples", min: 1)
    // VEGA's Cifar10 `cutout_length`: a CutoutMask of that side on the training split.
    let cutout = try r.optionalInt("cutout_length", min: 0)
    r.accept(["num_workers", "pin_memory", "download", "imgs_per_gpu", "dataset_backend"])
    // VEGA's class count of the set (`n_class`, e.g. Imagenet's 1000): information only in
    // VEGA's loaders (the labels decide), so only its form is checked.
    _ = try r.optionalInt("n_class", min: 1)
    let split: Split = mode == .train || (mode == .val && portion < 1) ? .train : .test
    let augment = try r.raw("transforms").map { try DatasetAugmentation.parse($0, path: "\(p).transforms") }
    let geometry = try DatasetGeometry.parse(r.raw("transforms"), path: "\(p).transforms", training: mode == .train)
    var ds: any Dataset = try DatasetRegistry.factory(type, path: path)(r, split)
    try r.finish()
    if checkOnly { return DataLoader(ds, batchSize: batch) }
    var transform: (any Transform)? = mode == .train ? (ds as? SelfAugmenting)?.augmentation : nil
    if mode == .train, let t = try augment?.transform() { (ds, transform) = DatasetTransforms.apply(t, to: ds) }
    if !geometry.isEmpty { transform = Compose((transform.map { [$0] } ?? []) + geometry) }
    if mode == .train, let n = cutout, n > 0 { transform = Compose((transform.map { [$0] } ?? []) + [CutoutMask(length: n)]) }
    if portion < 1 && mode != .test {
      let (a, b) = AnyDataset(ds).randomSplit(fraction: portion, seed: seed)
      ds = mode == .train ? a : b
    }
    if let n = maxSamples, n < ds.count { ds = Subset(AnyDataset(ds), indices: Array(0..<n)) }
    return DataLoader(ds, batchSize: batch, shuffle: shuffle, seed: seed, dropLast: dropLast, transform: transform)
  }
}

/// An existential dataset as a concrete type (so `Subset` and `randomSplit` can wrap it).
struct AnyDataset: Dataset {
  let base: any Dataset
  init(_ base: any Dataset) { self.base = base }
  var count: Int { base.count }
  func item(at index: Int) -> Sample { base.item(at: index) }
}
