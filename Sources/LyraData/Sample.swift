/// One example: features in row-major order with their shape (images are CHW, tabular
/// rows are [F]) and an integer class label.
///
/// Features are `Float` because that is what models consume; image datasets keep their
/// pixels as `UInt8` and convert when an item is read, which keeps memory 4x smaller.
public struct Sample: Equatable {
  public var features: [Float]
  /// [C, H, W] for images, [F] for tabular rows.
  public var shape: [Int]
  public var label: Int32

  public init(features: [Float], shape: [Int], label: Int32) {
    precondition(shape.reduce(1, *) == features.count,
                 "Sample: shape \(shape) holds \(shape.reduce(1, *)) values, got \(features.count)")
    self.features = features
    self.shape = shape
    self.label = label
  }
}

/// A mini-batch: samples stacked along a new leading axis.
public struct Batch: Equatable {
  /// Row-major values, `shape.reduce(1, *)` of them.
  public var data: [Float]
  /// [N, C, H, W] for images, [N, F] for tabular rows.
  public var shape: [Int]
  /// One label per sample.
  public var labels: [Int32]
  /// The dataset indices the samples came from, so callers can trace or reweight them.
  public var indices: [Int]

  public init(data: [Float], shape: [Int], labels: [Int32], indices: [Int]) {
    self.data = data
    self.shape = shape
    self.labels = labels
    self.indices = indices
  }

  /// Number of samples.
  public var count: Int { labels.count }
}
