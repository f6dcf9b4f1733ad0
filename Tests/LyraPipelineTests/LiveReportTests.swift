import XCTest
@testable import LyraPipeline

/// LiveReport's throttle, with the clock passed in (no sleeping, no timing).
final class LiveReportTests: XCTestCase {
  func testWritesAfterFinishedTrialsAtMostOncePerInterval() {
    let live = LiveReport(interval: 10)
    var reads = 0
    func due(_ now: Double, _ n: Int) -> Bool { live.due(now: now) { reads += 1; return n } }
    XCTAssertFalse(due(0, 0), "nothing finished yet")
    XCTAssertTrue(due(1, 1), "the first finished trial writes at once")
    XCTAssertFalse(due(2, 2), "within the interval")
    XCTAssertFalse(due(10.9, 3))
    XCTAssertEqual(reads, 2, "the store is not read inside the interval")
    XCTAssertTrue(due(11, 3), "interval passed and more finished")
    XCTAssertFalse(due(30, 3), "nothing new finished")
    XCTAssertTrue(due(31, 4))
  }
}
