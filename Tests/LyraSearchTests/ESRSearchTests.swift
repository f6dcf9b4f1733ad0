import LyraBase
import LyraSpace
import XCTest
@testable import LyraSearch

/// ESR-EA's codec (VEGA's ESRCodec/ESRIndividual) and generational search.
final class ESRSearchTests: XCTestCase {
  /// A stand-in parameter count: Σ convs · growth · out (monotone in every choice).
  static func count(_ arch: [String]) -> Int? {
    var s = 0
    for a in arch {
      let p = a.split(separator: "_")
      guard p.count == 4, let c = Int(p[1]), let g = Int(p[2]), let o = Int(p[3]) else { return nil }
      s += c * g * o
    }
    return s
  }

  func codec(params: ClosedRange<Int> = 3000...6000, nodes: Int = 10, active: Int = 4) throws -> ESRCodec {
    try ESRCodec(part: "esrbody", fixed: ["type": .string("ESRN"), "G0": .int(16)], blockTypes: ["S", "G", "C"], convNums: [2, 4],
                 growthRates: [8, 16, 24], typeProb: nil, convProb: nil, growthProb: [1, 1, 2], nodeNum: nodes, minActive: active,
                 params: params, mutationRate: 0.1, count: ESRSearchTests.count)
  }

  /// The function list is VEGA's: every type × conv × (growth ≤ out) in nested order.
  func testFunctionsAndProbabilities() throws {
    let c = try codec()
    XCTAssertEqual(c.functions.count, 3 * 2 * 6)
    XCTAssertEqual(Array(c.functions.prefix(4)), ["S_2_8_8", "S_2_8_16", "S_2_8_24", "S_2_16_16"])
    // growth_prob [1, 1, 2]: S_2_24_24 weighs 2·2 = 4 against S_2_8_8's 1.
    let g = Generator(seed: 1)
    var seen = [String: Int]()
    for _ in 0..<20_000 { seen[c.functions[c.draw(g)], default: 0] += 1 }
    let ratio = Double(seen["S_2_24_24"]!) / Double(seen["S_2_8_8"]!)
    XCTAssertEqual(ratio, 4, accuracy: 0.6)
  }

  /// Property: every sampled, mutated and crossed individual is valid, has at least
  /// min_active blocks and its parameters in range; its architecture is its used genes.
  func testIndividualsKeepTheConstraints() throws {
    let c = try codec()
    let g = Generator(seed: 2)
    var pool = (0..<20).map { _ in c.sample(g) }
    for _ in 0..<60 {
      let a = pool[g.int(below: pool.count)], b = pool[g.int(below: pool.count)]
      pool.append(g.bernoulli(0.5) ? c.mutate(a, g) : c.crossover(a, b, g)!)
    }
    for ind in pool {
      XCTAssertNoThrow(try c.validate(ind))
      let gene = c.gene(ind)!
      let arch = c.architecture(gene)
      XCTAssertGreaterThanOrEqual(arch.count, 4)
      XCTAssertTrue(c.params.contains(ESRSearchTests.count(arch)!), "\(arch)")
      XCTAssertEqual(ind["network.esrbody.architecture"], .list(arch.map { .string($0) }))
      XCTAssertEqual(ind["network.esrbody.G0"], .int(16))
      XCTAssertEqual(ind["network.modules"], .list([.string("esrbody")]))
    }
    XCTAssertThrowsError(try c.validate(["network.esrbody.code": .list([.int(1)])]))
  }

  func testImpossibleRangeIsRefused() {
    XCTAssertThrowsError(try codec(params: 10_000_000...10_000_001)) { XCTAssertTrue("\($0)".contains("min_params")) }
    XCTAssertThrowsError(try codec(active: 11)) { XCTAssertTrue("\($0)".contains("min_active")) }
  }

  /// Generations of `population`, bred only when the previous one is told; elites are
  /// the best of elites + generation; the planted fitness (more C blocks is better) rises.
  func testGenerationsAndElitism() throws {
    let c = try codec()
    let search = ESRSearch(codec: c, objectives: [Objective("PSNR", .maximize)], seed: 3, population: 8, generations: 6, elitism: 4)
    func fitness(_ t: Trial) -> Double {
      Double(c.architecture(c.gene(t.config)!).filter { $0.hasPrefix("C") }.count)
    }
    var firstGen: [Double] = [], total = 0, best = 0.0
    for gen in 0..<6 {
      var batch: [Trial] = []
      while let t = search.ask() { batch.append(t) }
      XCTAssertEqual(batch.count, 8, "generation \(gen)")
      for t in batch { search.tell(t.id, TrialResult(["PSNR": fitness(t)])) }
      if gen == 0 { firstGen = batch.map(fitness) }
      total += batch.count
      best = max(best, batch.map(fitness).max()!)
    }
    XCTAssertNil(search.ask())
    XCTAssertTrue(search.isDone)
    XCTAssertEqual(total, 48)
    XCTAssertGreaterThan(best, firstGen.max()!)
    // Elites are the top of everything told so far except the last generation's breeding.
    XCTAssertEqual(search.elites.count, 4)
  }

  /// Same seed, same trials; restore from state continues identically.
  func testDeterministicAndRestorable() throws {
    let c = try codec()
    func run(_ s: ESRSearch, steps: Int) -> [Config] {
      var out: [Config] = []
      for _ in 0..<steps {
        var batch: [Trial] = []
        while let t = s.ask() { batch.append(t) }
        for t in batch { s.tell(t.id, TrialResult(["PSNR": Double(t.id % 5), "flops": Double(t.id % 3)])); out.append(t.config) }
      }
      return out
    }
    let make = { ESRSearch(codec: c, objectives: [Objective("PSNR", .maximize), Objective("flops")], seed: 9, population: 4, generations: 4, elitism: 2) }
    let a = make(), b = make()
    XCTAssertEqual(run(a, steps: 2), run(b, steps: 2))
    let r = make()
    try r.restore(a.state())
    XCTAssertEqual(run(r, steps: 2), run(a, steps: 2))
  }
}
