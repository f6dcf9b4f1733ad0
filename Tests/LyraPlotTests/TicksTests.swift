import XCTest
@testable import LyraPlot

final class TicksTests: XCTestCase {
  func testUnitRange() {
    let t = Ticks.linear(0, 1)
    XCTAssertEqual(t.values, [0, 0.2, 0.4, 0.6, 0.8, 1])
    XCTAssertEqual(t.labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
  }

  func testWidensToMultiplesOfStep() {
    let t = Ticks.linear(3, 97)
    XCTAssertEqual(t.values, [0, 20, 40, 60, 80, 100])
    XCTAssertEqual(t.labels, ["0", "20", "40", "60", "80", "100"])
    XCTAssertEqual(Ticks.linear(97, 3), t, "order of the ends does not matter")
  }

  /// An axis of counts (epochs) steps by whole numbers: 1…3 is 1, 2, 3, not 1.0, 1.5, ….
  func testIntegerTicksForCounts() {
    let t = Ticks.linear(1, 3, integers: true)
    XCTAssertEqual(t.values, [1, 2, 3])
    XCTAssertEqual(t.labels, ["1", "2", "3"])
    XCTAssertEqual(Ticks.linear(1, 1, integers: true).values, [0, 1, 2])
    XCTAssertEqual(Ticks.linear(0, 40, integers: true).values, [0, 10, 20, 30, 40], "large ranges step as before")
    XCTAssertTrue(Ticks.linear(1, 3).values.contains(1.5), "without the option: half steps")
  }

  func testOneTwoFiveSteps() {
    XCTAssertEqual(Ticks.linear(0, 10).values, [0, 2, 4, 6, 8, 10])
    XCTAssertEqual(Ticks.linear(0.31, 0.58).values, [0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60])
    XCTAssertEqual(Ticks.linear(-7, 12).values, [-10, -5, 0, 5, 10, 15])
    XCTAssertEqual(Ticks.linear(1, 10).values, [0, 2, 4, 6, 8, 10])
    for (a, b) in [(0.0, 1e-7), (-3e8, 5e9), (0.123, 0.1231), (1, 1000)] {
      let t = Ticks.linear(a, b)
      XCTAssertLessThanOrEqual(t.values.count, 7)
      XCTAssertGreaterThanOrEqual(t.values.count, 2)
      XCTAssertLessThanOrEqual(t.lo, a)
      XCTAssertGreaterThanOrEqual(t.hi, b)
    }
  }

  func testDegenerateRanges() {
    let t = Ticks.linear(5, 5) // widened to 4.5…5.5, then to steps of 0.2
    XCTAssertEqual(t.values, [4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6])
    XCTAssertEqual(Ticks.linear(0, 0).values, Ticks.linear(-1, 1).values)
    XCTAssertEqual(Ticks.linear(.nan, 3).values, [0, 0.2, 0.4, 0.6, 0.8, 1])
  }

  func testLogTicks() {
    XCTAssertEqual(Ticks.log(0.5, 20).values, [0.1, 1, 10, 100])
    XCTAssertEqual(Ticks.log(0.5, 20).labels, ["0.1", "1", "10", "100"])
    XCTAssertEqual(Ticks.log(2, 30).values, [1, 2, 5, 10, 20, 50, 100])
    XCTAssertEqual(Ticks.log(1e-12, 1).labels.first, "1e-12")
    XCTAssertLessThanOrEqual(Ticks.log(1e-12, 1e6).values.count, 10)
  }
}
