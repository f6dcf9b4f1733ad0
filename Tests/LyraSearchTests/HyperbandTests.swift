import LyraSpace
import XCTest

@testable import LyraSearch

final class HyperbandTests: XCTestCase {
  func testLiTableR81() {
    let plans = HyperbandSchedule.brackets(minBudget: 1, maxBudget: 81, eta: 3, variant: .li)
    XCTAssertEqual(plans.map(\.s), [4, 3, 2, 1, 0])
    XCTAssertEqual(plans.map { $0.counts[0] }, [81, 34, 15, 8, 5])
    XCTAssertEqual(plans.map { $0.budgets[0] }, [1, 3, 9, 27, 81])
    XCTAssertEqual(plans.map(\.counts), [[81, 27, 9, 3, 1], [34, 11, 3, 1], [15, 5, 1], [8, 2], [5]])
    XCTAssertEqual(plans[0].budgets, [1, 3, 9, 27, 81])
    XCTAssertEqual(plans[1].budgets, [3, 9, 27, 81])
  }

  func testHpBandSterTable() {
    let plans = HyperbandSchedule.brackets(minBudget: 81.0 / 81, maxBudget: 81, eta: 3, variant: .hpbandster)
    XCTAssertEqual(plans.map(\.counts), [[81, 27, 9, 3, 1], [27, 9, 3, 1], [9, 3, 1], [6, 2], [5]])
    // HpBandSter's schedule (docs/algorithms/hyperband.md): one cycle costs 21 full-fidelity equivalents.
    let ffe = plans.reduce(0.0) { acc, p in acc + zip(p.counts, p.budgets).reduce(0.0) { $0 + Double($1.0) * $1.1 / 81 } }
    XCTAssertEqual(ffe, 21, accuracy: 1e-9)
    // Budgets that are not a power of η: counts as HpBandSter, budgets max·η^(i−s).
    let odd = HyperbandSchedule.brackets(minBudget: 1, maxBudget: 100, eta: 3, variant: .hpbandster)
    XCTAssertEqual(odd[0].budgets.last, 100)
    XCTAssertEqual(odd[0].budgets[0], 100.0 / 81, accuracy: 1e-12)
  }

  /// Synchronous SH: ask waits (nil) until the rung is complete, then promotes the best
  /// ⌊n/η⌋ in their original order, resuming from their trials.
  func testSynchronousPromotion() {
    let hb = Hyperband(space: unitSpace, seed: 1, minBudget: 1, maxBudget: 9, eta: 3, variant: .li, iterations: 1)
    XCTAssertEqual(hb.plans[0].counts, [9, 3, 1])
    let first = (0..<9).map { _ in hb.ask()! }
    XCTAssertEqual(first.map(\.budget), Array(repeating: 1, count: 9))
    XCTAssertNil(hb.ask(), "rung 0 is out")
    let losses: [Double] = [5, .nan, 3, 7, 1, 9, 3, 8, 0.5]
    for (t, y) in zip(first, losses).dropLast() { hb.tell(t.id, ok(y)) }
    XCTAssertNil(hb.ask(), "one result still missing")
    hb.tell(first[8].id, ok(losses[8]))
    let second = (0..<3).map { _ in hb.ask()! }
    XCTAssertNil(hb.ask())
    // best 3: t8 (0.5), t4 (1), t2 (3; ties with t6, earlier wins) — in original order.
    XCTAssertEqual(second.map(\.resumeFrom), [2, 4, 8])
    XCTAssertEqual(second.map(\.budget), [3, 3, 3])
    XCTAssertEqual(second.map(\.rung), [1, 1, 1])
    XCTAssertEqual(second[0].config, first[2].config)
    hb.tell(second[0].id, ok(2)); hb.tell(second[1].id, .failed()); hb.tell(second[2].id, ok(2))
    let third = hb.ask()!
    XCTAssertEqual(third.resumeFrom, second[0].id, "tie at 2 → earlier")
    XCTAssertEqual(third.budget, 9)
    XCTAssertFalse(hb.isDone)
    hb.tell(third.id, ok(1))
    XCTAssertNil(hb.ask())
    XCTAssertTrue(hb.isDone)
    XCTAssertEqual(hb.best()?.trial.id, third.id)
  }

  func testOverlapStartsNextBracketWhileWaiting() {
    let hb = Hyperband(space: unitSpace, seed: 1, minBudget: 1, maxBudget: 9, eta: 3, variant: .hpbandster, overlapBrackets: true)
    let ts = (0..<12).map { _ in hb.ask()! }
    XCTAssertEqual(ts.map(\.bracket), Array(repeating: 0, count: 9) + [1, 1, 1])
    XCTAssertEqual(ts[9].budget, 3)
  }

  /// Branin ignores the budget, so the winner of every bracket is its best config and the
  /// incumbent (at the top budget) must be the best of all 143 configs of one cycle.
  func testBranin() {
    let p = BenchmarkProblem.branin
    var mean = 0.0
    for seed in UInt64(0)..<5 {
      let hb = Hyperband(space: p.space, seed: seed, minBudget: 1, maxBudget: 81, eta: 3)
      let told = drive(hb, p)
      XCTAssertTrue(hb.isDone)
      XCTAssertEqual(hb.history.trials.count, 81 + 27 + 9 + 3 + 1 + 34 + 11 + 3 + 1 + 15 + 5 + 1 + 8 + 2 + 5)
      XCTAssertEqual(hb.best()!.result.metrics["loss"], told.map(\.loss).min())
      mean += regret(hb, p) / 5
    }
    XCTAssertLessThan(mean, 0.5)
  }
}
