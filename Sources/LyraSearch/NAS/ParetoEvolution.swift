import LyraBase
import LyraSpace

/// Multi-objective evolution with NSGA-II selection (Deb et al., IEEE TEC 2002) over a
/// `Codec`: VEGA's Pareto EAs (BackboneNas, DnetNas, docs/algorithms/pareto_ea.md) on one ask/tell loop,
/// and, with `SpaceCodec`, an NSGA-II for plain HPO spaces.
///
/// - The first `randomSamples` trials are `codec.sample` draws (VEGA's `min_sample`).
/// - Once they are all told, every ask breeds a child from the current population:
///   parents by binary tournament on (front rank, crowding distance); with probability
///   `crossoverRate` a crossover of two parents (when the codec has one), then
///   `mutationsPerChild` mutation steps. With probability `randomRatio` the child is a
///   fresh random sample instead (VEGA's `random_ratio`).
/// - Each result joins the population as it arrives; when it holds more than `population`
///   members, the most crowded member of the worst front leaves (steady-state NSGA-II
///   survival, `NSGA2.worst`).
///
/// Why steady state and asynchronous: with parallel workers a generational NSGA-II idles
/// until the slowest trial of a generation finishes; here children are proposed as soon
/// as the initial sample is told (like `RegularizedEvolution`), from whatever the
/// population is at that moment, and elitism is kept because nobody leaves unless
/// someone at least as good (in rank, then spread) stays.
///
/// A config already handed out is never proposed again: a duplicate child is redrawn up
/// to `maxRetries` times, then `maxRetries` random samples are tried; if all repeat, the
/// reachable space is taken to be used up and the search ends early.
/// Failed trials (and any NaN or infinite objective) count as +inf in every objective, so
/// they rank worst and leave the population first. The answer is the whole history's
/// Pareto front (`paretoFront()`), not only the final population.
/// Budget: `maxTrials`, or `generations` of `population` children after the initial sample.
/// VEGA's settings map as: `min_sample` → `randomSamples`, `max_sample` → `maxTrials`,
/// `random_ratio` → `randomRatio`, `num_mutate` → the codec's own step size
/// (`BackboneNasCodec.swapDistance` = num_mutate / 2). VEGA breeds only from the Pareto
/// front's first record; tournaments over the whole ranked population are NSGA-II's.
public final class ParetoEvolution: SearchBase {
  public let codec: Codec
  public let seed: UInt64
  public let population: Int
  public let maxTrials: Int
  public let randomSamples: Int
  public let mutationsPerChild: Int
  public let crossoverRate: Double
  public let randomRatio: Double
  public let maxRetries: Int
  public let budget: Double?
  /// Current members (trial ids), in the order they joined.
  public private(set) var members: [Int] = []
  /// Each bred child's parents (one, or two after a crossover); random samples have none.
  public private(set) var parents: [Int: [Int]] = [:]
  /// True once no new config could be found (the search ended early).
  public private(set) var stalled = false
  private var seen: Set<Config> = []
  private var streams: RandomStreams
  private var issued = 0

  public init(codec: Codec, objectives: [Objective] = [Objective("loss")], seed: UInt64 = 0, population: Int = 16,
              maxTrials: Int, randomSamples: Int? = nil, mutationsPerChild: Int = 1, crossoverRate: Double = 0,
              randomRatio: Double = 0, maxRetries: Int = 50, budget: Double? = nil) {
    precondition(population >= 1, "population must be at least 1")
    precondition((randomSamples ?? 1) >= 1, "at least one random sample is needed to start")
    precondition(mutationsPerChild >= 0 && maxRetries >= 1, "mutationsPerChild ≥ 0 and maxRetries ≥ 1")
    precondition((0...1).contains(crossoverRate) && (0...1).contains(randomRatio), "rates must be in [0, 1]")
    self.codec = codec
    self.seed = seed
    self.population = population
    self.maxTrials = maxTrials
    self.randomSamples = randomSamples ?? population
    self.mutationsPerChild = mutationsPerChild
    self.crossoverRate = crossoverRate
    self.randomRatio = randomRatio
    self.maxRetries = maxRetries
    self.budget = budget
    self.streams = RandomStreams(seed: seed)
    super.init(objectives: objectives)
  }

  /// `generations` rounds of `population` children after `randomSamples` random ones.
  public convenience init(codec: Codec, objectives: [Objective] = [Objective("loss")], seed: UInt64 = 0, population: Int = 16,
                          generations: Int, randomSamples: Int? = nil, mutationsPerChild: Int = 1, crossoverRate: Double = 0,
                          randomRatio: Double = 0, maxRetries: Int = 50, budget: Double? = nil) {
    self.init(codec: codec, objectives: objectives, seed: seed, population: population,
              maxTrials: (randomSamples ?? population) + generations * population, randomSamples: randomSamples,
              mutationsPerChild: mutationsPerChild, crossoverRate: crossoverRate, randomRatio: randomRatio,
              maxRetries: maxRetries, budget: budget)
  }

  /// The loss vector selection uses: +inf everywhere unless every objective is finite.
  func point(_ id: Int) -> [Double] {
    let l = history.losses(id)!
    return l.allSatisfy(\.isFinite) ? l : Array(repeating: .infinity, count: l.count)
  }

  public override func propose() -> Trial? {
    guard !stalled, issued < maxTrials else { return nil }
    if issued < randomSamples {
      let g = streams.next()
      guard let c = firstNew(maxRetries, { codec.sample(g) }) else { stalled = true; return nil }
      return hand(c, parents: nil)
    }
    // Breed only once the initial sample is all told.
    guard history.results.count >= randomSamples, !members.isEmpty else { return nil }
    let g = streams.next()
    let (rank, crowding) = NSGA2.rankAndCrowding(members.map(point))
    var lineage: [Int]? = nil
    let bred = firstNew(maxRetries) { () -> Config in
      if randomRatio > 0, g.bernoulli(randomRatio) { lineage = nil; return codec.sample(g) }
      let a = members[NSGA2.binaryTournament(rank: rank, crowding: crowding, g)]
      var child = history.trial(a)!.config
      lineage = [a]
      if crossoverRate > 0, g.bernoulli(crossoverRate) {
        let b = members[NSGA2.binaryTournament(rank: rank, crowding: crowding, g)]
        if b != a, let x = codec.crossover(child, history.trial(b)!.config, g) { child = x; lineage = [a, b] }
      }
      for _ in 0..<mutationsPerChild { child = codec.mutate(child, g) }
      return child
    }
    if let c = bred { return hand(c, parents: lineage) }
    guard let c = firstNew(maxRetries, { codec.sample(g) }) else { stalled = true; return nil }
    return hand(c, parents: nil)
  }

  /// The first of up to `tries` draws not handed out before.
  private func firstNew(_ tries: Int, _ draw: () -> Config) -> Config? {
    for _ in 0..<tries {
      let c = draw()
      if !seen.contains(c) { return c }
    }
    return nil
  }

  private func hand(_ c: Config, parents p: [Int]?) -> Trial {
    issued += 1
    seen.insert(c)
    let t = newTrial(c, budget: budget)
    if let p { parents[t.id] = p }
    return t
  }

  public override func observe(_ trial: Trial, _ result: TrialResult) {
    members.append(trial.id)
    if members.count > population { members.remove(at: NSGA2.worst(members.map(point))) }
  }

  public override var exhausted: Bool { stalled || issued >= maxTrials }

  public override var settings: JSON {
    .object(["algorithm": .string("pareto_evolution"), "seed": StateCodec.uint64(seed), "codec": codec.settings,
             "objectives": .array(objectives.map { .array([.string($0.name), .string($0.direction.rawValue)]) }),
             "population": JSON(population), "max_trials": JSON(maxTrials), "random_samples": JSON(randomSamples),
             "mutations_per_child": JSON(mutationsPerChild), "crossover_rate": StateCodec.double(crossoverRate),
             "random_ratio": StateCodec.double(randomRatio), "max_retries": JSON(maxRetries),
             "budget": StateCodec.optionalDouble(budget)])
  }
}
