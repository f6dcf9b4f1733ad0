import LyraSpace
import XCTest

@testable import LyraSearch

final class ASHATests: XCTestCase {
  func testRungs() {
    let a = ASHA(space: unitSpace, minBudget: 1, maxBudget: 81, eta: 3, earlyStoppingRate: 1, maxTrials: 10)
    XCTAssertEqual(a.rungBudgets, [3, 9, 27, 81])
  }

  /// Algorithm 2 on a scripted sequence; expected promotions worked out by hand.
  func testPromotionScript() {
    let a = ASHA(space: unitSpace, seed: 5, minBudget: 1, maxBudget: 9, eta: 3, maxTrials: 100)
    func step(_ y: Double) -> Trial { let t = a.ask()!; a.tell(t.id, ok(y)); return t }
    let t0 = step(5), t1 = step(3), t2 = step(4)  // rung0 {5,3,4}: top ⌊3/3⌋=1 is t1
    XCTAssertEqual([t0, t1, t2].map(\.rung), [0, 0, 0])
    let t3 = step(2)
    XCTAssertEqual([t3.rung, t3.resumeFrom], [1, t1.id])
    XCTAssertEqual(t3.budget, 3)
    XCTAssertEqual(t3.config, t1.config)
    let t4 = step(1)  // rung1 has 1 (⌊1/3⌋=0); rung0's top t1 already promoted → new
    XCTAssertEqual([t4.rung, t4.resumeFrom], [0, nil])
    let t5 = step(2.5)  // rung0 {5,3,4,1}: top 1 = t4
    XCTAssertEqual([t5.rung, t5.resumeFrom], [1, t4.id])
    let t6 = step(0.5)  // rung1 {2,2.5}: none; rung0 top 1 = t4 promoted → new
    XCTAssertEqual([t6.rung, t6.resumeFrom], [0, nil])
    let t7 = step(1.5)  // rung0 now 5 entries, top 1 = t6
    XCTAssertEqual([t7.rung, t7.resumeFrom], [1, t6.id])
    let t8 = a.ask()!  // rung1 {2,2.5,1.5}: top 1 = t7 → rung 2 (scanned first)
    XCTAssertEqual([t8.rung, t8.resumeFrom], [2, t7.id])
    XCTAssertEqual(t8.budget, 9)
    let t9 = a.ask()!  // never waits: a new config while t8 runs
    XCTAssertEqual([t9.rung, t9.resumeFrom], [0, nil])
    // Six results in rung 0 make the top two: t6 (0.5) promoted, t4 (1) promoted → none.
    a.tell(t9.id, ok(9))
    XCTAssertNil(a.promotable())
    a.tell(t8.id, ok(0.1))
    XCTAssertEqual(a.best()?.trial.id, t8.id)
  }

  func testMaxTrialsAndDone() {
    let a = ASHA(space: unitSpace, minBudget: 1, maxBudget: 3, eta: 3, maxTrials: 3)
    let ts = (0..<3).map { _ in a.ask()! }
    XCTAssertNil(a.ask())
    for (t, y) in zip(ts, [3.0, 1, 2]) { a.tell(t.id, ok(y)) }
    let p = a.ask()!
    XCTAssertEqual(p.resumeFrom, ts[1].id)
    XCTAssertFalse(a.isDone)
    a.tell(p.id, ok(0))
    XCTAssertNil(a.ask())
    XCTAssertTrue(a.isDone)
  }

  /// Optuna's rule: continue iff value ≤ sorted(rung)[max(⌊n/η⌋−1, 0)], n including itself.
  func testStoppingOptunaScript() {
    let a = ASHA(space: unitSpace, minBudget: 1, maxBudget: 27, eta: 3, type: .stopping, maxTrials: 20, rule: .optuna)
    let ts = (0..<8).map { _ in a.ask()! }
    XCTAssertEqual(ts[0].budget, 27, "stopping type trains to R")
    XCTAssertEqual(a.reportBudgets(for: ts[0]), [1, 3, 9])
    XCTAssertEqual(a.report(ts[0].id, budget: 0.5, value: 99), .continue, "below r_0: nothing to judge")
    let script: [(Int, Double, Decision)] = [
      (0, 5, .continue),  // [5], idx 0
      (1, 6, .stop),  // [5,6], idx 0
      (2, 4, .continue),  // [4,5,6], idx 0 → 4 ≤ 4
      (3, 5.5, .stop),  // n=4, idx 0
      (4, 4.5, .stop),  // n=5, idx 0
      (5, 4.8, .stop),  // n=6, idx 1 → 4.5
      (6, 4.2, .continue),  // n=7, idx 1 → sorted [4, 4.2, ...]
      (7, .nan, .stop),
    ]
    for (i, y, want) in script { XCTAssertEqual(a.report(ts[i].id, budget: 1, value: y), want, "trial \(i) value \(y)") }
    XCTAssertEqual(a.report(ts[6].id, budget: 1, value: 100), .continue, "a rung is judged once")
    // One report past two rungs judges both: rung1 [3] and rung2 [3] → continue.
    XCTAssertEqual(a.report(ts[0].id, budget: 9, value: 3), .continue)
    XCTAssertEqual(a.rungs[1].map(\.id), [ts[0].id])
    XCTAssertEqual(a.rungs[2].map(\.id), [ts[0].id])
    XCTAssertEqual(a.report(ts[2].id, budget: 3, value: 3.5), .stop)
    a.tell(ts[2].id, TrialResult(["loss": 3.5], status: .pruned))
    XCTAssertEqual(a.report(ts[2].id, budget: 9, value: 0), .continue, "finished trials are not judged")
  }

  /// Ray's rule: stop iff value is above the (100/η)th percentile of the others recorded.
  func testStoppingRayScript() {
    let a = ASHA(space: unitSpace, minBudget: 1, maxBudget: 27, eta: 3, type: .stopping, maxTrials: 20, rule: .ray)
    let ts = (0..<6).map { _ in a.ask()! }
    XCTAssertEqual(a.report(ts[0].id, budget: 1, value: 5), .continue)  // first arrival
    XCTAssertEqual(a.report(ts[1].id, budget: 1, value: 6), .stop)  // p33([5]) = 5
    XCTAssertEqual(a.report(ts[2].id, budget: 1, value: 4), .continue)  // p33([5,6]) = 5.33
    XCTAssertEqual(a.report(ts[3].id, budget: 1, value: 5.2), .stop)  // p33([4,5,6]) = 4.67
    XCTAssertEqual(a.report(ts[4].id, budget: 1, value: 4.6), .continue)  // p33([4,5,5.2,6]) = 5.0
    // Ray judges only the highest rung reached: rung 2 is empty → continue; rung 1 is skipped.
    XCTAssertEqual(a.report(ts[5].id, budget: 9, value: 50), .continue)
    XCTAssertEqual(a.rungs[1].count, 0)
    XCTAssertEqual(ASHA.percentile([4, 5, 6], 100.0 / 3), 4 + 2.0 / 3, accuracy: 1e-12)
  }

  /// Branin ignores the budget; once ASHA is done every rung's top third was promoted, so
  /// the best config overall reached the top rung and is the incumbent.
  func testBranin() {
    let p = BenchmarkProblem.branin
    var mean = 0.0
    for seed in UInt64(0)..<5 {
      let a = ASHA(space: p.space, seed: seed, minBudget: 1, maxBudget: 27, eta: 3, maxTrials: 150)
      let told = drive(a, p)
      XCTAssertTrue(a.isDone)
      XCTAssertEqual(a.best()!.result.metrics["loss"], told.map(\.loss).min())
      XCTAssertEqual(a.best()!.trial.budget, 27)
      mean += regret(a, p) / 5
    }
    XCTAssertLessThan(mean, 0.5)
  }
}
