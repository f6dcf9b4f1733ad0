import LyraBase
import LyraSpace

/// Random search (Bergstra & Bengio, "Random Search for Hyper-Parameter Optimization",
/// JMLR 2012): `maxTrials` independent draws from the space's prior.
///
/// Why it matters beyond being a baseline: every model-based method must beat it on
/// average, and its trials are the fallback when a model cannot be built. Each draw uses
/// its own random stream, so a trial's config depends only on (seed, its index).
public final class RandomSearch: SearchBase {
  public let space: SearchSpace
  public let seed: UInt64
  public let maxTrials: Int
  /// The budget every trial gets (nil: single fidelity).
  public let budget: Double?
  private var streams: RandomStreams
  private var issued = 0

  public init(space: SearchSpace, objectives: [Objective] = [Objective("loss")], seed: UInt64 = 0, maxTrials: Int, budget: Double? = nil) {
    self.space = space
    self.seed = seed
    self.maxTrials = maxTrials
    self.budget = budget
    self.streams = RandomStreams(seed: seed)
    super.init(objectives: objectives)
  }

  public override func propose() -> Trial? {
    guard issued < maxTrials else { return nil }
    issued += 1
    return newTrial(space.sample(streams.next()), budget: budget)
  }

  public override var exhausted: Bool { issued >= maxTrials }

  public override var settings: JSON {
    .object(["algorithm": .string("random"), "seed": StateCodec.uint64(seed), "max_trials": JSON(maxTrials),
             "budget": StateCodec.optionalDouble(budget)])
  }
}

/// Grid search (VEGA's `GridSearch`): every point of `space.grid(slices:)` once, in the
/// grid's order. Why no shuffle: the order is VEGA's, so runs compare point for point.
public final class GridSearch: SearchBase {
  public let space: SearchSpace
  public let slices: Int
  public let points: [Config]
  public let budget: Double?
  private var next = 0

  public init(space: SearchSpace, slices: Int, objectives: [Objective] = [Objective("loss")], budget: Double? = nil) {
    self.space = space
    self.slices = slices
    self.points = space.grid(slices: slices)
    self.budget = budget
    super.init(objectives: objectives)
  }

  public override func propose() -> Trial? {
    guard next < points.count else { return nil }
    defer { next += 1 }
    return newTrial(points[next], budget: budget)
  }

  public override var exhausted: Bool { next >= points.count }

  public override var settings: JSON {
    .object(["algorithm": .string("grid"), "slices": JSON(slices), "points": JSON(points.count), "budget": StateCodec.optionalDouble(budget)])
  }
}
