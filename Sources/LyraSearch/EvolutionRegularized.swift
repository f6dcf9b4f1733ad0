import LyraBase
import LyraSpace

/// Regularized (aging) evolution (Real, Aggarwal, Huang, Le, "Regularized Evolution for
/// Image Classifier Architecture Search", AAAI 2019; docs/algorithms/evolution.md).
///
/// Start with `population` random configs. Each later trial: draw `sampleSize` members
/// uniformly *with replacement*, take the best as parent, and the child is
/// `space.mutate(parent)` (one value changed). When a child's result arrives it joins
/// the population and the *oldest* member leaves, not the worst.
///
/// Why aging: a config that scored well by luck cannot stay a parent forever, so the
/// search keeps re-evaluating the neighbourhoods that stay good (the paper's regulariser).
/// The answer is the best over the whole history, not the final population.
///
/// Asynchronous: children are proposed as soon as the initial population is all told,
/// from whatever the population is at that moment; results join in arrival order.
/// Tournament fitness is the first objective's loss (failures and NaN rank worst).
public final class RegularizedEvolution: SearchBase {
  public let space: SearchSpace
  public let seed: UInt64
  public let population: Int
  public let sampleSize: Int
  public let maxTrials: Int
  public let budget: Double?
  /// Current members (trial ids), oldest first.
  public private(set) var members: [Int] = []
  /// Each child's parent (trial ids), for lineage and inspection.
  public private(set) var parents: [Int: Int] = [:]
  private var streams: RandomStreams
  private var issued = 0

  public init(space: SearchSpace, objectives: [Objective] = [Objective("loss")], seed: UInt64 = 0,
              population: Int = 10, sampleSize: Int = 3, maxTrials: Int, budget: Double? = nil) {
    precondition(population >= 1 && sampleSize >= 1, "population and sample size must be at least 1")
    self.space = space
    self.seed = seed
    self.population = population
    self.sampleSize = sampleSize
    self.maxTrials = maxTrials
    self.budget = budget
    self.streams = RandomStreams(seed: seed)
    super.init(objectives: objectives)
  }

  public override func propose() -> Trial? {
    guard issued < maxTrials else { return nil }
    if issued < population {
      issued += 1
      return newTrial(space.sample(streams.next()), budget: budget)
    }
    // Breed only from a full initial population (the paper's cycle starts after it).
    guard history.results.count >= population, !members.isEmpty else { return nil }
    issued += 1
    let g = streams.next()
    let parent = tournament(g)
    let child = newTrial(space.mutate(history.trial(parent)!.config, g), budget: budget)
    parents[child.id] = parent
    return child
  }

  /// The best of `sampleSize` uniform draws with replacement (ties: the earlier draw).
  func tournament(_ g: Generator) -> Int {
    var best = members[g.int(below: members.count)]
    for _ in 1..<sampleSize {
      let c = members[g.int(below: members.count)]
      if history.loss(c)! < history.loss(best)! { best = c }
    }
    return best
  }

  public override func observe(_ trial: Trial, _ result: TrialResult) {
    members.append(trial.id)
    if members.count > population { members.removeFirst() }
  }

  public override var exhausted: Bool { issued >= maxTrials }

  public override var settings: JSON {
    .object(["algorithm": .string("regularized_evolution"), "seed": StateCodec.uint64(seed),
             "population": JSON(population), "sample_size": JSON(sampleSize), "max_trials": JSON(maxTrials),
             "budget": StateCodec.optionalDouble(budget), "dimension": JSON(space.dimension)])
  }
}
