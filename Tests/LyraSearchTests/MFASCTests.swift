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
    print("MFASC regrets \(mf), random \(random)")
    XCTAssertLessThan(mf.reduce(0, +), random.reduce(0, +) / 2)
  }
}
