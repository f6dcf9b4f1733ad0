import LyraBase

/// A per-sample transform run by the `DataLoader` (augmentation, normalisation).
///
/// The generator is handed in rather than owned so that the loader can give every batch
/// its own stream derived from (seed, epoch, batch): results then repeat across runs and
/// do not depend on which thread built the batch.
public protocol Transform {
  func apply(_ sample: inout Sample, generator: Generator)
}

/// Transforms applied in order.
public struct Compose: Transform {
  public var transforms: [any Transform]
  public init(_ transforms: [any Transform]) { self.transforms = transforms }
  public func apply(_ sample: inout Sample, generator: Generator) {
    for t in transforms { t.apply(&sample, generator: generator) }
  }
}

/// A transform from a closure, for one-off changes.
public struct LambdaTransform: Transform {
  public let body: (inout Sample, Generator) -> Void
  public init(_ body: @escaping (inout Sample, Generator) -> Void) { self.body = body }
  public func apply(_ sample: inout Sample, generator: Generator) { body(&sample, generator) }
}

/// Normalises CHW image samples with values in [0, 255]: x = (v/255 − mean[c]) / std[c]
/// (torchvision's ToTensor + Normalize). Runs after augmentation, which works on [0, 255].
public struct Normalize: Transform {
  public var normalization: Normalization
  public init(_ normalization: Normalization) { self.normalization = normalization }
  public init(mean: [Float], std: [Float]) { self.normalization = Normalization(mean: mean, std: std) }

  public func apply(_ sample: inout Sample, generator: Generator) {
    let channels = sample.shape.count == 3 ? sample.shape[0] : 1
    precondition(normalization.mean.count == 1 || normalization.mean.count == channels,
                 "Normalize: \(normalization.mean.count) channel statistics for a sample of shape \(sample.shape)")
    let plane = sample.features.count / max(channels, 1)
    for c in 0 ..< channels {
      let (m, s) = normalization.stats(channel: c)
      for i in c * plane ..< (c + 1) * plane { sample.features[i] = (sample.features[i] / 255 - m) / s }
    }
  }
}
