import LyraBase

/// A CTR data set held as encoded fields: each sample is one id per field, ids global
/// over all fields (field f's values are `offsets[f] ..< offsets[f] + sizes[f]`, id
/// `offsets[f]` being that field's out-of-vocabulary bucket), the layout VEGA's
/// `input_dim` (total ids) and `input_dim4lookup` (fields) describe.
///
/// Why one global id space: one embedding table serves every field, so a sparse update
/// touches one table and the model needs no per-field bookkeeping.
public struct CTRDataset: Dataset {
  /// Field names (Criteo's I1...C26, Avazu's column names, f0... for synthetic data).
  public let fieldNames: [String]
  /// Ids per field, the OOV bucket included.
  public let fieldSizes: [Int]
  /// First global id of each field.
  public let offsets: [Int]
  /// `count × fields` global ids, sample after sample.
  public let ids: [Int32]
  /// 0/1 click labels.
  public let labels: [Int32]

  public init(fieldNames: [String], fieldSizes: [Int], ids: [Int32], labels: [Int32]) throws {
    guard fieldNames.count == fieldSizes.count, !fieldSizes.isEmpty else {
      throw DataError(file: "ctr", "\(fieldNames.count) field names for \(fieldSizes.count) fields")
    }
    guard ids.count == labels.count * fieldSizes.count else {
      throw DataError(file: "ctr", "\(ids.count) ids for \(labels.count) samples of \(fieldSizes.count) fields")
    }
    self.fieldNames = fieldNames
    self.fieldSizes = fieldSizes
    var o: [Int] = [], total = 0
    for s in fieldSizes { o.append(total); total += s }
    offsets = o
    guard total <= CTRDataset.maxIds else {
      throw DataError(file: "ctr", "\(total) ids in all exceed \(CTRDataset.maxIds) (ids travel as Float32 in a batch): raise the frequency threshold")
    }
    if let bad = ids.first(where: { $0 < 0 || Int($0) >= total }) {
      throw DataError(file: "ctr", "id \(bad) is outside 0..<\(total)")
    }
    self.ids = ids
    self.labels = labels
  }

  /// Ids travel through the loader as Float32 (exact up to 2^24).
  public static let maxIds = 1 << 24

  public var count: Int { labels.count }
  public var fieldCount: Int { fieldSizes.count }
  /// Total ids over all fields (VEGA's `input_dim`).
  public var inputDim: Int { fieldSizes.reduce(0, +) }

  public func item(at index: Int) -> Sample {
    let f = fieldSizes.count
    return Sample(features: ids[index * f ..< (index + 1) * f].map { Float($0) }, shape: [f], label: labels[index])
  }

  /// The samples in `range`, clamped to the data set (a train/validation split by position).
  public func slice(_ range: Range<Int>) -> CTRDataset {
    let f = fieldSizes.count
    let r = max(0, min(range.lowerBound, count)) ..< max(0, min(range.upperBound, count))
    return CTRDataset(checked: self, ids: Array(ids[r.lowerBound * f ..< r.upperBound * f]), labels: Array(labels[r]))
  }

  /// Part of a checked data set (its ids are in range already).
  private init(checked base: CTRDataset, ids: [Int32], labels: [Int32]) {
    fieldNames = base.fieldNames
    fieldSizes = base.fieldSizes
    offsets = base.offsets
    self.ids = ids
    self.labels = labels
  }
}
