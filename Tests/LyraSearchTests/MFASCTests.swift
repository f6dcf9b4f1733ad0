import Foundation
import XCTest
import LyraBase
import LyraSpace
@testable import LyraSearch

final class MFASCTests: XCTestCase {
  /// A planted answer: four integers in 0…7 (4096 configs), the high fidelity (5 epochs) a
  /// bowl with its minimum 0 at (5, 2, 6, 1); the low fidelity (1 epoch) a third the
  /// price, the same bowl scaled and tilted plus a ripple (correlated, not equal, and with
  /// its own minimum elsewhere).
  static let planted = [5, 2, 6, 1]
  static let problem: BenchmarkProblem = {
    let space = try! SearchSpace(parameters: (0..<4).map { try! Hyperparameter(key: "x\($0)", type: .int, range: [.int(0), .int(7)]) })
    func x(_ c: Config) -> [Double] { (0..<4).map { c["x\($0)"]!.number! } }
    func high(_ c: Config) -> Double { zip(x(c), planted).reduce(0) { $0 + ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) } }
    func low(_ c: Config) -> Double { 0.6 * high(c) + 0.8 * x(c)[0] + 2 * sin(x(c)[1]) + 4 }
    return BenchmarkProblem(name: "planted_bowl", space: space, optimum: 0, budgets: [1, 5],
                            observe: { c, b, _ in b == 1 ? low(c) : high(c) }, trueLoss: high)
  }()

  static func options(maxBudget: Int = 60) -> MFASC.Options {
    var o = MFASC.Options()
    o.sampleSize = 4096
    o.batchSize = 1000
    o.maxBudget = maxBudget
    o.hfEpochs = 5
    o.lfEpochs = 1
    o.fidelityRatio = 2
    o.minHFSamples = 3
    o.minLFSamples = 5
    o.restarts = 1 // the last fit's optimum and one random start: half the work of the default
    return o
  }

  func testFindsThePlantedOptimumBetterThanRandomWithTheSameBudget() {
    let p = MFASCTests.problem
    var mf: [Double] = [], random: [Double] = []
    for seed in UInt64(0)..<4 {
      let a = MFASC(space: p.space, objectives: [Objective("loss")], seed: seed, options: MFASCTests.options())
      let told = drive(a, p)
      // The budget rule: trials stop once the epochs spent exceed max_budget.
      let spent = told.reduce(0) { $0 + Int($1.trial.budget!) }
      XCTAssertGreaterThan(spent, 60)
      XCTAssertLessThanOrEqual(spent - Int(told.last!.trial.budget!), 60)
      mf.append(regret(a, p))
      // Random search spending the same epochs at high fidelity: 60 / 5 + 1 trials.
      let r = RandomSearch(space: p.space, seed: seed, maxTrials: 13, budget: 5)
      drive(r, p)
      random.append(regret(r, p))
    }
    // Measured: MFASC [1, 3, 0, 1], random [8, 6, 5, 6].
    XCTAssertLessThan(mf.reduce(0, +), random.reduce(0, +) / 2)
  }

  func testRunsOneTrialAtATimeAndResumesExactly() throws {
    let p = MFASCTests.problem
    let a = MFASC(space: p.space, objectives: [Objective("loss")], seed: 7, options: MFASCTests.options(maxBudget: 80))
    var ids: [Int] = []
    for _ in 0..<12 {
      let t = try XCTUnwrap(a.ask())
      XCTAssertNil(a.ask(), "a second trial while one runs")
      a.tell(t.id, TrialResult(["loss": p.observe(t.config, t.budget, Generator(seed: 0))]))
      ids.append(t.id)
    }
    // The first three are high fidelity (min_hf_sample_size), the next five low.
    XCTAssertEqual(a.history.trials.prefix(8).map { $0.budget }, [5, 5, 5, 1, 1, 1, 1, 1])
    let b = MFASC(space: p.space, objectives: [Objective("loss")], seed: 7, options: MFASCTests.options(maxBudget: 80))
    try b.restore(a.state())
    let next = try XCTUnwrap(a.ask()), again = try XCTUnwrap(b.ask())
    XCTAssertEqual(next, again)
    // Another seed's candidates differ: its restore is refused.
    let c = MFASC(space: p.space, objectives: [Objective("loss")], seed: 8, options: MFASCTests.options(maxBudget: 80))
    XCTAssertThrowsError(try c.restore(a.state()))
  }

  func testCoKrigingBeatsAGaussianProcessOnTheHighFidelityPointsAlone() throws {
    // f_l(x) = sin(3x) at 12 points, f_h = 0.8·f_l + 0.1·x at 4: the high fidelity is
    // mostly the low one scaled, which co-kriging can learn and 4 points alone cannot.
    func fl(_ x: Double) -> Double { sin(3 * x) }
    func fh(_ x: Double) -> Double { 0.8 * fl(x) + 0.1 * x }
    let xl = (0..<12).map { Double($0) / 11 * 3 }, xh = [0.2, 1.1, 1.9, 2.8]
    let model = try XCTUnwrap(CoKriging.fit(lowPoints: xl.map { [$0] }, lowTargets: xl.map(fl), highPoints: xh.map { [$0] },
                                            highTargets: xh.map(fh), starts: [CoKriging.prior(rho: 1)]))
    XCTAssertEqual(model.rho, 0.8, accuracy: 0.15)
    let grid = (0..<31).map { Double($0) / 10 }
    let co = model.predictHigh(grid.map { [$0] }).mean
    let plain = try XCTUnwrap(GaussianProcess(points: xh.map { [$0] }, targets: xh.map(fh), kernel: KernelParameters(noise: 1e-6, amplitude: 1, lengthScale: 1)))
    let alone = plain.mean(grid.map { [$0] })
    func rmse(_ p: [Double]) -> Double { (zip(p, grid).reduce(0) { $0 + pow($1.0 - fh($1.1), 2) } / Double(grid.count)).squareRoot() }
    // Measured: 0.09 against 0.34, with ρ = 0.84 (true 0.8).
    XCTAssertLessThan(rmse(co), 0.15)
    XCTAssertLessThan(rmse(co), rmse(alone) / 3)
    // At its own points, a near-noiseless GP reproduces the targets (Cholesky solves right).
    for (x, y) in zip(plain.mean(xh.map { [$0] }), xh.map(fh)) { XCTAssertEqual(x, y, accuracy: 1e-3) }
  }

  func testFailedTrialsAreNeitherRefitNorRetried() throws {
    // Every low-fidelity trial fails: the model has nothing to fit at that fidelity, so
    // picks stay random, and the search still spends its budget and ends.
    let p = MFASCTests.problem
    let a = MFASC(space: p.space, objectives: [Objective("loss")], seed: 2, options: MFASCTests.options(maxBudget: 40))
    var seen: [Double: Set<Config>] = [:]
    while let t = a.ask() {
      XCTAssertTrue(seen[t.budget!, default: []].insert(t.config).inserted, "a candidate is tried once per fidelity")
      a.tell(t.id, t.budget == 1 ? .failed() : TrialResult(["loss": p.observe(t.config, t.budget, Generator(seed: 0))]))
    }
    XCTAssertTrue(a.isDone)
    XCTAssertEqual(a.best()?.trial.budget, 5)
    XCTAssertGreaterThan(seen[1]?.count ?? 0, 5)
  }

  func testExtremeScoresDoNotStopTheSearch() {
    // ±1e308 overflow the likelihood: the model cannot be fitted and picks stay random.
    let a = MFASC(space: MFASCTests.problem.space, objectives: [Objective("loss")], seed: 5, options: MFASCTests.options(maxBudget: 30))
    var n = 0
    while let t = a.ask() {
      a.tell(t.id, TrialResult(["loss": n % 2 == 0 ? 1e308 : -1e308]))
      n += 1
    }
    XCTAssertTrue(a.isDone)
    XCTAssertGreaterThan(n, 8)
  }
}
