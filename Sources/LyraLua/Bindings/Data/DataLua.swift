import CLua
import LyraData
import LyraTensor

/// What a `lyra.data.Dataset` userdata holds. Labels are 0-based inside Swift and
/// 1-based in Lua (Torch7's class labels are 1..C); the conversion happens only here.
final class DatasetBox {
  let dataset: any Dataset
  let name: String
  let classes: [String]
  /// For a normalised image dataset: the same samples as raw [0, 255] pixels and the
  /// normalisation, so a loader with augmentation feeds the ops raw pixels (what they
  /// take) and normalises after them.
  let raw: (any Dataset)?
  let normalization: Normalization?

  init(_ dataset: any Dataset, name: String, classes: [String], raw: (any Dataset)? = nil, normalization: Normalization? = nil) {
    self.dataset = dataset
    self.name = name
    self.classes = classes
    self.raw = raw
    self.normalization = normalization
  }

  convenience init(images: ImageDataset, name: String) {
    var raw = images
    raw.normalization = nil
    self.init(images, name: name, classes: images.classes, raw: images.normalization == nil ? nil : raw,
              normalization: images.normalization)
  }

  /// The samples at 0-based `indices` (in range), keeping the classes and the raw twin.
  func subset(_ indices: [Int], name suffix: String = "[subset]") -> DatasetBox {
    DatasetBox(IndexedDataset(base: dataset, indices: indices), name: name + suffix, classes: classes,
               raw: raw.map { IndexedDataset(base: $0, indices: indices) }, normalization: normalization)
  }

  /// Shape of one sample (every Swift dataset here has one fixed shape).
  var sampleShape: [Int] { dataset.count > 0 ? dataset.item(at: 0).shape : [] }
}

enum DataLua {
  static let datasetClass = "lyra.data.Dataset"

  static func dataset(_ call: LuaCall, _ i: Int) throws -> DatasetBox {
    try call.object(i, DatasetBox.self, what: datasetClass)
  }

  static func push(_ box: DatasetBox, _ call: LuaCall) { call.push(object: box, className: datasetClass) }

  /// A sample as Lua sees it: x a float tensor of the sample's shape, y the 1-based label.
  static func push(_ s: Sample, _ call: LuaCall) {
    TensorLua.push(Tensor(s.features, shape: s.shape), call.stack)
    call.push(Int(s.label) + 1)
  }

  /// A batch as Lua sees it: x [N, ...] float, y [N] int of 1-based labels.
  static func push(_ b: Batch, _ call: LuaCall) {
    TensorLua.push(Tensor(b.data, shape: b.shape), call.stack)
    TensorLua.push(Tensor(indices: b.labels.map { Int($0) + 1 }, shape: [b.count]), call.stack)
  }

  /// A Lua sample tensor as a `Sample` for a Swift transform.
  static func sample(_ t: Tensor, label: Int32 = 0) -> Sample {
    Sample(features: t.float().toArray(), shape: t.shape, label: label)
  }

  /// `split = 'train' | 'test'` from an options table.
  static func split(_ o: LuaOptions?) throws -> Split {
    let text = try o?.string("split") ?? "train"
    guard let s = Split(rawValue: text) else { throw LuaFailure("split must be 'train' or 'test', got '\(text)'") }
    return s
  }
}
