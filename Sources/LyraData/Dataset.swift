import LyraBase

/// Anything indexable that yields samples (PyTorch's map-style dataset): the loader only
/// needs the count and random access, so readers, subsets and in-memory arrays all fit.
///
/// Implementations must be safe to read from a background thread while the caller reads
/// too (the loader prefetches); the in-memory datasets here are immutable, so they are.
public protocol Dataset {
  /// Number of samples.
  var count: Int { get }
  /// The sample at `index`, 0 ≤ index < count.
  func item(at index: Int) -> Sample
}

/// A dataset whose samples are all held as `Float` in one array.
public struct InMemoryDataset: Dataset {
  /// All features, sample after sample.
  public let features: [Float]
  /// Shape of one sample.
  public let sampleShape: [Int]
  public let labels: [Int32]
  private let stride: Int

  /// Fails (precondition) if `features` does not hold `labels.count` samples of `sampleShape`:
  /// that is a programming error, not bad input.
  public init(features: [Float], sampleShape: [Int], labels: [Int32]) {
    let stride = sampleShape.reduce(1, *)
    precondition(features.count == stride * labels.count,
                 "InMemoryDataset: \(labels.count) samples of \(sampleShape) need \(stride * labels.count) values, got \(features.count)")
    self.features = features
    self.sampleShape = sampleShape
    self.labels = labels
    self.stride = stride
  }

  /// Builds the dataset from a list of samples of the same shape.
  public init(samples: [Sample]) {
    let shape = samples.first?.shape ?? [0]
    var features: [Float] = []
    features.reserveCapacity(shape.reduce(1, *) * samples.count)
    for s in samples {
      precondition(s.shape == shape, "InMemoryDataset: samples have shapes \(shape) and \(s.shape)")
      features += s.features
    }
    self.init(features: features, sampleShape: shape, labels: samples.map(\.label))
  }

  public var count: Int { labels.count }

  public func item(at index: Int) -> Sample {
    Sample(features: Array(features[index * stride ..< (index + 1) * stride]), shape: sampleShape, label: labels[index])
  }
}

/// A view on some indices of another dataset (a train/validation split, a fold).
public struct Subset<Base: Dataset>: Dataset {
  public let base: Base
  public let indices: [Int]

  /// `indices` select (and order) samples of `base`; repeats are allowed.
  public init(_ base: Base, indices: [Int]) {
    precondition(indices.allSatisfy { $0 >= 0 && $0 < base.count }, "Subset: index out of range 0..<\(base.count)")
    self.base = base
    self.indices = indices
  }

  public var count: Int { indices.count }
  public func item(at index: Int) -> Sample { base.item(at: indices[index]) }
}

extension Dataset {
  /// Splits the dataset into two random parts, the first with `fraction` of the samples,
  /// shuffled with a generator seeded by `seed` so the split repeats.
  public func randomSplit(fraction: Double, seed: UInt64) -> (Subset<Self>, Subset<Self>) {
    let order = Generator(seed: seed).permutation(count)
    let k = Int((Double(count) * fraction).rounded())
    return (Subset(self, indices: Array(order[..<k])), Subset(self, indices: Array(order[k...])))
  }
}

