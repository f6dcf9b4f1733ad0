import XCTest
@testable import LyraSearch

final class ObjectiveTests: XCTestCase {
  func testDefaultsAndFailedResult() {
    XCTAssertEqual(Objective("loss").direction, .minimize)
    XCTAssertEqual(TrialResult.failed().status, .failed)
  }
}
