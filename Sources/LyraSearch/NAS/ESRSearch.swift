import LyraBase
import LyraSpace

/// ESR-EA's evolution (Song et al., "Efficient Residual Dense Block Search for Image
/// Super-Resolution", AAAI 2020; VEGA's `ESRSearch`): generations of `population`
/// individuals, all trained and told before the next generation is bred.
///
/// After each generation the `elitism` best of (elites + generation) are kept. The next
/// generation is n − 2·⌊n/4⌋ mutation children of elites (elite i when n/2 = elitism,
/// else a random elite) and ⌊n/4⌋·2 crossover children of parents drawn by roulette over
/// the first objective (shifted to start at 0). "Best" is VEGA's PSNR order when there
/// is one objective; with several (`[PSNR, flops]`) elites are taken front by front of the
/// non-dominated sort, the first objective breaking ties within a front, so the Pareto
/// front of accuracy and cost survives. Total trials: generations × population.
public final class ESRSearch: SearchBase {
  public let codec: ESRCodec
  public let population: Int
  public let generations: Int
  public let elitism: Int
  public let seed: UInt64
  private var streams: RandomStreams
  /// Trial ids of the elites and of the current generation.
  public private(set) var elites: [Int] = []
  public private(set) var current: [Int] = []
  private var queue: [Config] = []
  public private(set) var generation = 0

  public init(codec: ESRCodec, objectives: [Objective], seed: UInt64, population: Int, generations: Int, elitism: Int) {
    precondition(population >= 2 && generations >= 1 && elitism >= 1, "ESRSearch: population ≥ 2, generations ≥ 1, elitism ≥ 1")
    self.codec = codec
    self.population = population
    self.generations = generations
    self.elitism = elitism
    self.seed = seed
    streams = RandomStreams(seed: seed)
    super.init(objectives: objectives)
    let g = streams.next()
    queue = (0..<population).map { _ in codec.sample(g) }
  }

  public override func propose() -> Trial? {
    if queue.isEmpty {
      guard generation + 1 < generations, current.count == population,
            current.allSatisfy({ history.results[$0] != nil }) else { return nil }
      breed()
    }
    let t = newTrial(queue.removeFirst())
    current.append(t.id)
    return t
  }

  /// Trial ids ranked best first (see the type's doc); failures last.
  func ranked(_ ids: [Int]) -> [Int] {
    let losses = ids.map { history.losses($0) ?? Array(repeating: .infinity, count: objectives.count) }
    if objectives.count == 1 { return ids.indices.sorted { (losses[$0][0], $0) < (losses[$1][0], $1) }.map { ids[$0] } }
    var order: [Int] = []
    let finite = ids.indices.filter { losses[$0].allSatisfy(\.isFinite) }
    for front in Ranking.nonDominatedSort(finite.map { losses[$0] }) {
      order += front.map { finite[$0] }.sorted { (losses[$0][0], $0) < (losses[$1][0], $1) }
    }
    order += ids.indices.filter { !finite.contains($0) }
    return order.map { ids[$0] }
  }

  func breed() {
    let g = streams.next()
    let pool = elites + current
    elites = Array(ranked(pool).prefix(elitism))
    let crossPairs = population / 4
    let mutants = population - 2 * crossPairs
    var next: [Config] = []
    for i in 0..<mutants {
      let parent = population / 2 == elites.count ? elites[i % elites.count] : elites[g.int(below: elites.count)]
      next.append(codec.mutate(history.trial(parent)!.config, g))
    }
    // Roulette over the first objective (a loss: lower is fitter), shifted so the worst weighs 0.
    let fitness = pool.map { -(history.loss($0) ?? .infinity) }
    let finiteMin = fitness.filter(\.isFinite).min() ?? 0
    func roulette(excluding: Int?) -> Int {
      let w = pool.indices.map { i -> Double in i == excluding || !fitness[i].isFinite ? 0 : fitness[i] - finiteMin + 1e-9 }
      let total = w.reduce(0, +)
      var r = g.nextDouble() * total
      for (i, x) in w.enumerated() { r -= x; if r <= 0 && x > 0 { return i } }
      return w.lastIndex { $0 > 0 } ?? 0
    }
    for _ in 0..<crossPairs {
      let a = roulette(excluding: nil), b = roulette(excluding: a)
      let (ca, cb) = (history.trial(pool[a])!.config, history.trial(pool[b])!.config)
      next.append(codec.crossover(ca, cb, g) ?? codec.mutate(ca, g))
      next.append(codec.crossover(cb, ca, g) ?? codec.mutate(cb, g))
    }
    queue = next
    current = []
    generation += 1
  }

  public override var exhausted: Bool { generation + 1 >= generations && queue.isEmpty }

  public override var settings: JSON {
    .object(["algorithm": .string("esr_search"), "seed": StateCodec.uint64(seed), "population": JSON(population),
             "generations": JSON(generations), "elitism": JSON(elitism), "codec": codec.settings])
  }
}
