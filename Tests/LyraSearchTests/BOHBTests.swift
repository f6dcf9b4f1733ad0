import LyraBase
import LyraSpace
import XCTest

@testable import LyraSearch

final class BOHBTests: XCTestCase {
  func testKDEMatchesHandComputation() {
    // Two rows, one continuous and one categorical (3 choices, 2 levels present).
    let kde = ProductKDE(data: [[0.2, 0], [0.6, 1]], types: [0, 3])
    let bw0 = 1.06 * 0.2 * pow(2.0, -1.0 / 6), bw1 = 1.06 * 0.5 * pow(2.0, -1.0 / 6)
    XCTAssertEqual(kde.bandwidths[0], bw0, accuracy: 1e-12)
    XCTAssertEqual(kde.bandwidths[1], bw1, accuracy: 1e-12)
    let g = { (z: Double) in exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() }
    let want = (g((0.2 - 0.3) / bw0) / bw0 * (1 - bw1) + g((0.6 - 0.3) / bw0) / bw0 * (bw1 / 1)) / 2
    XCTAssertEqual(kde.pdf([0.3, 0]), want, accuracy: 1e-12)
    XCTAssertEqual(ProductKDE(data: [[0.5], [0.5]], types: [0]).bandwidths[0], 1e-3, "floored at min_bandwidth")
  }

  /// Random until a budget has enough points for both densities (n_good = d+1 rows and
  /// more than d bad rows: 2(d+1) results), then model-based picks with lower g/l.
  func testFallsBackToRandomThenUsesModel() {
    let p = BenchmarkProblem.hartmann6
    let bohb = BOHB(space: p.space, seed: 4, minBudget: 1, maxBudget: 81)
    XCTAssertEqual(bohb.minPointsInModel, 7)
    for i in 0..<14 {
      let t = bohb.ask()!
      XCTAssertFalse(bohb.lastProposal.modelBased, "no model before 14 points (ask \(i))")
      XCTAssertNil(bohb.modelBudget)
      bohb.tell(t.id, ok(p.trueLoss(t.config)))
    }
    XCTAssertEqual(bohb.modelBudget, 1)
    var modelPicks = 0, lower = 0
    let g = Generator(seed: 77)
    for _ in 0..<30 {
      let t = bohb.ask()!
      if bohb.lastProposal.modelBased {
        modelPicks += 1
        let mine = bohb.ratio(t.config)!
        XCTAssertEqual(mine, bohb.lastProposal.ratio!, accuracy: 1e-9 * max(1, abs(mine)))
        let random = (0..<64).map { _ in bohb.ratio(p.space.sample(g))! }.sorted()
        if mine < random[32] { lower += 1 }
      }
      bohb.tell(t.id, ok(p.trueLoss(t.config)))
    }
    XCTAssertGreaterThan(modelPicks, 10, "about 2/3 of proposals are model-based")
    XCTAssertLessThan(modelPicks, 30, "about 1/3 are random")
    XCTAssertEqual(lower, modelPicks, "every model pick has g/l below the median of random configs")
  }

  func testCategoricalCoordinatesUseIndices() {
    let p = BenchmarkProblem.countingOnes
    let bohb = BOHB(space: p.space, minBudget: 9, maxBudget: 729)
    XCTAssertEqual(bohb.vartypes, Array(repeating: 2, count: 8) + Array(repeating: 0, count: 8))
    let c = p.space.sample(Generator(seed: 1))
    XCTAssertEqual(bohb.config(bohb.vector(c)), c)
  }

  /// 16 brackets (184 configs) over 5 seeds: BOHB's mean regret is small and below random
  /// search with as many configs.
  func testBranin() {
    let p = BenchmarkProblem.branin
    var rb = 0.0, rr = 0.0
    for seed in UInt64(0)..<5 {
      let bohb = BOHB(space: p.space, seed: seed, minBudget: 1, maxBudget: 27, iterations: 16)
      drive(bohb, p)
      XCTAssertTrue(bohb.isDone)
      let rs = RandomSearch(space: p.space, seed: seed, maxTrials: 184)
      drive(rs, p)
      rb += regret(bohb, p) / 5
      rr += regret(rs, p) / 5
    }
    XCTAssertLessThan(rb, 0.3)
    XCTAssertLessThan(rb, rr)
  }

  /// MF-Hartmann-6 at ~50 full-fidelity equivalents (12 brackets): BOHB beats random
  /// search with the same budget (50 full evaluations) on average over 4 seeds
  /// (anchors: HpBandSter 0.42 vs 1.58 at 50 FFE).
  func testBeatsRandomOnMFHartmann6() {
    let p = BenchmarkProblem.mfHartmann6
    var rb = 0.0, rr = 0.0
    for seed in UInt64(0)..<4 {
      let bohb = BOHB(space: p.space, seed: seed, minBudget: 1, maxBudget: 81, iterations: 12)
      drive(bohb, p, noiseSeed: 100 + seed)
      let rs = RandomSearch(space: p.space, seed: seed, maxTrials: 50, budget: 81)
      drive(rs, p, noiseSeed: 100 + seed)
      rb += regret(bohb, p) / 4
      rr += regret(rs, p) / 4
    }
    XCTAssertLessThan(rb, rr * 0.7, "BOHB mean regret \(rb) vs random \(rr)")
  }
}
