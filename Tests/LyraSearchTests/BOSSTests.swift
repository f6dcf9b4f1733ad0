import Foundation
import XCTest
import LyraBase
import LyraSpace
@testable import LyraSearch

final class BOSSTests: XCTestCase {
  func testSubBracketSizesAndRungsMatchVEGA() {
    // VEGA's example: 20 configs → sub-brackets [9, 7, 3, 1] starting at ×[1, 3, 9, 27].
    let plan = BOSS.subBrackets(numSamples: 20, repeatTimes: 1)
    XCTAssertEqual(plan.map(\.count), [9, 7, 3, 1])
    XCTAssertEqual(plan.map(\.minBudget), [1, 3, 9, 27])
    // Defaults (40 samples, 2 repeats): the same split twice.
    let twice = BOSS.subBrackets(numSamples: 40, repeatTimes: 2)
    XCTAssertEqual(twice.map(\.count), [9, 7, 3, 1, 9, 7, 3, 1])
    // Odd totals: ⌈41/2⌉ = 21 then 20; 21 → 1, 3, 9 and the remaining 8.
    XCTAssertEqual(BOSS.subBrackets(numSamples: 41, repeatTimes: 2).map(\.count), [9, 8, 3, 1, 9, 7, 3, 1])
    XCTAssertEqual(BOSS.subBrackets(numSamples: 1, repeatTimes: 1).map(\.count), [1])
    // Rungs inside (VEGA's SSA): sizes K, ⌊K/η⌋, …; budgets b·ηⁱ capped.
    func rungs(_ k: Int, _ b: Double) -> [[Double]] {
      BOSSSubBracket.rungs(count: k, minBudget: b, maxBudget: 81, eta: 3).map { [Double($0.count), $0.budget] }
    }
    XCTAssertEqual(rungs(9, 1), [[9, 1], [3, 3], [1, 9]])
    XCTAssertEqual(rungs(7, 3), [[7, 3], [2, 9]])
    XCTAssertEqual(rungs(3, 9), [[3, 9], [1, 27]])
    XCTAssertEqual(rungs(1, 27), [[1, 27]])
    // 81 configs: c = ⌊√ln(121.5)⌋ = 2 raises every budget to at least 3.
    XCTAssertEqual(rungs(81, 1), [[81, 3], [27, 3], [9, 9], [3, 27], [1, 81]])
    XCTAssertEqual(rungs(27, 27), [[27, 27], [9, 81], [3, 81], [1, 81]])
  }

  func testPromotionsFollowTheSubSamplingRule() {
    // η = 2, eight configs: rungs 8 → 4 → 2 → 1 at budgets 1, 2, 4, 8.
    let configs: [Config] = (0..<8).map { ["i": .int($0)] }
    var b = BOSSSubBracket(configs: configs, minBudget: 1, maxBudget: 8, eta: 2)
    XCTAssertEqual(b.rungs.map(\.count), [8, 4, 2, 1])
    let rung0: [Double] = [5, 1, 3, 8, 2, 9, 4, 7]
    var order: [Int] = []
    while let i = b.next() { order.append(i) }
    XCTAssertEqual(order, Array(0..<8))
    for i in order { b.record(config: i, rung: 0, loss: rung0[i]) }
    // Leader 1 (loss 1); challengers by margin at rung 0: 4 (+1), 2 (+2), 6 (+3).
    XCTAssertEqual(b.rung, 1)
    XCTAssertEqual(b.members, [1, 4, 2, 6])
    XCTAssertEqual(b.waiting, [1, 2, 4, 6])
    // Rung 1: the leader stays best; the other three do badly at rung 1, so their margins
    // there (5.5, 8.5, 7.5) lose to config 0's margin at rung 0 (5 − 1 = 4): SS brings the
    // dropped config 0 back instead of promoting by rung-1 rank.
    let rung1: [Int: Double] = [1: 0.5, 2: 6, 4: 9, 6: 8]
    var handed: [Int] = []
    while let i = b.next() { handed.append(i) }
    XCTAssertEqual(handed, [1, 2, 4, 6])
    for i in handed { b.record(config: i, rung: 1, loss: rung1[i]!) }
    XCTAssertEqual(b.members, [1, 0])
    // Rung 2: config 1 leads again; the last rung takes the leader only.
    b.record(config: b.next()!, rung: 2, loss: 3)  // config 0
    XCTAssertFalse(b.isComplete)
    b.record(config: b.next()!, rung: 2, loss: 0.4)  // config 1
    XCTAssertEqual(b.members, [1])
    b.record(config: b.next()!, rung: 3, loss: 0.3)
    XCTAssertTrue(b.isComplete)
    // Failures rank worst: a failed leader candidate is never the leader.
    var f = BOSSSubBracket(configs: Array(configs.prefix(3)), minBudget: 1, maxBudget: 3, eta: 3)
    for (i, l) in [Double.nan, 2, .infinity].enumerated() { _ = f.next(); f.record(config: i, rung: 0, loss: l) }
    XCTAssertEqual(f.members, [1])
  }

  func testTrialsCarryBudgetsRungsAndResume() {
    let boss = BOSS(space: SearchToys.braninSpace(), seed: 1, numSamples: 20, repeatTimes: 1)
    var trials: [Trial] = []
    while let t = boss.ask() {
      // Nothing of the next rung is handed out before this rung is told.
      trials.append(t)
      if boss.brackets.last!.waiting.isEmpty {
        for p in boss.history.pending { boss.tell(p, TrialResult(["loss": SearchToys.branin(boss.history.trial(p)!.config)])) }
      }
    }
    XCTAssertTrue(boss.isDone)
    // 9 + 3 + 1, 7 + 2, 3 + 1, 1 evaluations.
    XCTAssertEqual(trials.count, 27)
    XCTAssertEqual(trials.filter { $0.bracket == 0 }.map(\.budget!), Array(repeating: 1, count: 9) + [3, 3, 3, 9])
    for t in trials where t.rung! > 0 {
      let prev = boss.history.trial(t.resumeFrom!)!
      XCTAssertEqual(prev.config, t.config)
      XCTAssertLessThan(prev.rung!, t.rung!)
    }
    XCTAssertNil(trials[0].resumeFrom)
    XCTAssertEqual(boss.best()!.trial.budget, 27, "the incumbent is taken at the largest budget")
  }

  /// Branin with a misleading low-fidelity term that fades as the budget grows.
  static func fidelityBranin(_ t: Trial) -> Double {
    let x1 = t.config["x1"]!.number!
    return SearchToys.branin(t.config) + 30 / t.budget! * (1 + cos(3 * x1))
  }

  func testFindsAGoodBraninRegion() {
    var tpeRegret = 0.0, randomRegret = 0.0, worst = 0.0
    for seed in UInt64(0)..<5 {
      for tuner in [BOSS.Tuner.tpe, .random] {
        let boss = BOSS(space: SearchToys.braninSpace(), seed: seed, numSamples: 80, repeatTimes: 2, tuner: tuner)
        while let t = boss.ask() { boss.tell(t.id, TrialResult(["loss": BOSSTests.fidelityBranin(t)])) }
        XCTAssertTrue(boss.isDone)
        // Best over everything evaluated, judged by the true (full-fidelity) loss.
        let configs = boss.brackets.flatMap(\.configs)
        let r = configs.map(SearchToys.branin).min()! - SearchToys.braninOptimum
        if tuner == .tpe { tpeRegret += r / 5; worst = max(worst, r) } else { randomRegret += r / 5 }
      }
    }
    print("BOSS on Branin: mean regret TPE tuner \(tpeRegret), random tuner \(randomRegret)")
    XCTAssertLessThan(tpeRegret, 0.6)
    XCTAssertLessThan(tpeRegret, 0.7 * randomRegret, "the surrogate should beat random proposals")
  }

  func testDeterministicResumeAndFailures() throws {
    func make() -> BOSS { BOSS(space: SearchToys.braninSpace(), seed: 8, numSamples: 20, repeatTimes: 2) }
    var calls = 0
    func drive(_ b: BOSS, _ n: Int) -> [Trial] {
      var out: [Trial] = []
      while out.count < n, let t = b.ask() {
        calls += 1
        b.tell(t.id, calls % 5 == 0 ? .failed() : TrialResult(["loss": BOSSTests.fidelityBranin(t)]))
        out.append(t)
      }
      return out
    }
    let a = make(), b = make()
    calls = 0
    let ta = drive(a, 20)
    calls = 0
    let tb = drive(b, 20)
    XCTAssertEqual(ta, tb)
    let c = make()
    try c.restore(try JSON.parse(JSON.encode(a.state(), pretty: false)))
    calls = 20
    let ra = drive(a, 1000)
    calls = 20
    let rc = drive(c, 1000)
    XCTAssertEqual(ra, rc)
    XCTAssertTrue(a.isDone && c.isDone)
    XCTAssertEqual(a.best()!.result.status, .completed)
    XCTAssertTrue(a.best()!.result.metrics["loss"]!.isFinite)
  }
}
