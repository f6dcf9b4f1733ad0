import LyraBase
import Foundation
import LyraSpace
import XCTest

@testable import LyraSearch

final class HistoryTests: XCTestCase {
  func testNaNInfAndFailedNeverBest() {
    let h = SearchHistory(objectives: [Objective("acc", .maximize)])
    for i in 0..<6 { h.add(Trial(id: i, config: ["x": .int(i)])) }
    h.record(0, TrialResult(["acc": .nan]))
    h.record(1, TrialResult.failed())
    h.record(2, TrialResult(["acc": .infinity]))
    XCTAssertNil(h.best(), "only NaN/inf/failed so far")
    h.record(3, TrialResult(["acc": 0.5]))
    h.record(4, TrialResult(["acc": 0.7]))
    h.record(5, TrialResult(["acc": 0.9], status: .pruned))
    XCTAssertEqual(h.best()?.trial.id, 4, "maximised: 0.7 beats 0.5; pruned 0.9 is not a finished result")
    XCTAssertEqual(h.loss(4), -0.7)
    XCTAssertEqual(h.loss(0), .infinity)
    XCTAssertEqual(h.loss(1), .infinity)
    XCTAssertFalse(h.record(4, TrialResult(["acc": 1.0])), "second tell ignored")
    XCTAssertFalse(h.record(42, TrialResult(["acc": 1.0])), "unknown id ignored")
  }

  func testTiesGoToEarlierAndLargestBudget() {
    let h = SearchHistory(objectives: [Objective("loss")])
    h.add(Trial(id: 0, config: [:], budget: 1))
    h.add(Trial(id: 1, config: [:], budget: 9))
    h.add(Trial(id: 2, config: [:], budget: 9))
    h.add(Trial(id: 3, config: [:], budget: 1))
    h.record(3, ok(-5))
    XCTAssertEqual(h.best()?.trial.id, 3)
    h.record(2, ok(1))
    h.record(1, ok(1))
    h.record(0, ok(-10))
    XCTAssertEqual(h.best()?.trial.id, 2, "largest budget only; tie → earlier result")
  }

  func testParetoFrontHandMade() {
    let objs = [Objective("err"), Objective("acc", .maximize)]
    let h = SearchHistory(objectives: objs)
    // (err, acc): A(1, .5) B(2, .8) C(3, .9) D(2, .6) dominated by B; E(1, .5) duplicate of A;
    // F(4, .85) dominated by C; G NaN; H failed.
    let pts: [(Double, Double)] = [(1, 0.5), (2, 0.8), (3, 0.9), (2, 0.6), (1, 0.5), (4, 0.85), (.nan, 1.0), (0, 0)]
    for (i, p) in pts.enumerated() {
      h.add(Trial(id: i, config: [:]))
      h.record(i, i == 7 ? .failed() : TrialResult(["err": p.0, "acc": p.1]))
    }
    XCTAssertEqual(h.paretoFront().map(\.trial.id), [0, 1, 2, 4])
    let fronts = Ranking.nonDominatedSort(pts.prefix(6).map { [$0.0, -$0.1] })
    XCTAssertEqual(fronts, [[0, 1, 2, 4], [3, 5]])
    let cd = Ranking.crowdingDistance([[1, 3], [2, 2], [3, 1], [4, 0]], front: [0, 1, 2, 3])
    XCTAssertEqual(cd[0], .infinity)
    XCTAssertEqual(cd[3], .infinity)
    XCTAssertEqual(cd[1], 4.0 / 3, accuracy: 1e-12)
  }

  func testStateCodecRoundTripsNonFinite() throws {
    let r = TrialResult(["a": .nan, "b": -.infinity, "c": 0.1, "d": -0.0], status: .pruned)
    let back = try StateCodec.result(try JSON.parse(Data(StateCodec.result(r).text.utf8)))
    XCTAssertTrue(back.metrics["a"]!.isNaN)
    XCTAssertEqual(back.metrics["b"], -.infinity)
    XCTAssertEqual(back.metrics["c"], 0.1)
    XCTAssertEqual(back.metrics["d"]!.sign, .minus)
    let cfg: [String: ParamValue] = ["x": .double(1.0), "n": .int(1), "s": .string("a"), "l": .list([.bool(true), .double(2)])]
    XCTAssertEqual(try StateCodec.config(try JSON.parse(Data(StateCodec.config(cfg).text.utf8))), cfg)
  }
}
