import XCTest
@testable import LyraSearch

/// VEGA's `total_epochs` for BOSS, against layouts worked out by hand.
final class BOSSBudgetDesignTests: XCTestCase {
  /// repeat_times 2: n = 4..8 samples cost 8, 9, 10, 14, 18 epochs; n = 9 costs 27 (its first
  /// group of 5 has brackets of 3, 1 and 1 samples starting at 1, 3 and 9 epochs).
  func testLayoutsAndBudgetsWorkedByHand() {
    let nine = BOSSBudgetDesign.brackets(numSamples: 9, repeatTimes: 2)
    XCTAssertEqual(nine.map(\.samples), [3, 1, 1, 3, 1])
    XCTAssertEqual(nine.map(\.epochs), [1, 3, 9, 1, 3])
    XCTAssertEqual((4...9).map { BOSSBudgetDesign.budget(of: BOSSBudgetDesign.brackets(numSamples: $0, repeatTimes: 2)) },
                   [8, 9, 10, 14, 18, 27])
  }

  func testDesignTakesTheLargestSampleCountWithinTheTotal() {
    // 20 epochs: 8 samples cost 18, 9 would cost 27; the max budget is the 9-sample layout's 9.
    XCTAssertEqual(BOSSBudgetDesign.design(totalEpochs: 20, repeatTimes: 2)?.numSamples, 8)
    XCTAssertEqual(BOSSBudgetDesign.design(totalEpochs: 20, repeatTimes: 2)?.maxEpochs, 9)
    // Exactly 18: 8 samples, and that layout's own largest start, 3.
    XCTAssertEqual(BOSSBudgetDesign.design(totalEpochs: 18, repeatTimes: 2)?.numSamples, 8)
    XCTAssertEqual(BOSSBudgetDesign.design(totalEpochs: 18, repeatTimes: 2)?.maxEpochs, 3)
    XCTAssertNil(BOSSBudgetDesign.design(totalEpochs: 4, repeatTimes: 2))
  }

  /// For any total: the chosen count fits and one more sample would not (or the loop ran out).
  func testChosenCountIsMaximal() {
    for total in stride(from: 10, through: 3000, by: 37) {
      for repeats in 1...3 {
        guard let d = BOSSBudgetDesign.design(totalEpochs: total, repeatTimes: repeats) else { return XCTFail("\(total)") }
        let cost = { BOSSBudgetDesign.budget(of: BOSSBudgetDesign.brackets(numSamples: $0, repeatTimes: repeats)) }
        XCTAssertLessThanOrEqual(cost(d.numSamples), total, "total \(total) repeat \(repeats)")
        if d.numSamples + 1 < total { XCTAssertGreaterThan(cost(d.numSamples + 1), total, "total \(total) repeat \(repeats)") }
      }
    }
  }
}
