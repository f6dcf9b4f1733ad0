import LyraBase

/// A PBA/AutoAugment sub-policy as a loader transform: each (op, probability, magnitude)
/// in turn is applied with its probability to CHW image samples with values in [0, 255].
/// Put `Normalize` after it.
public struct AugmentTransform: Transform {
  public let steps: [(op: any AugmentOp, probability: Double, magnitude: Double)]

  /// Steps with ops already resolved; magnitudes must be in [0, 10].
  public init(_ steps: [(op: any AugmentOp, probability: Double, magnitude: Double)]) {
    self.steps = steps
  }

  /// Resolves names through `AugmentRegistry` and checks the numbers, so a typo'd name or
  /// an out-of-range value fails when the policy is built, not mid-training.
  public init(named steps: [(name: String, probability: Double, magnitude: Double)]) throws {
    self.steps = try steps.map { s in
      let op = try AugmentRegistry.op(named: s.name)
      try Magnitude.check(s.magnitude, op: s.name)
      guard s.probability >= 0 && s.probability <= 1 else {
        throw DataError(file: "augment", "\(s.name): probability must be in [0, 1], got \(s.probability)")
      }
      return (op, s.probability, s.magnitude)
    }
  }

  public func apply(_ sample: inout Sample, generator: Generator) {
    var image = Image(sample)
    for s in steps where generator.nextDouble() < s.probability {
      s.op.apply(&image, magnitude: s.magnitude, generator: generator)
    }
    sample.features = image.pixels
  }
}
