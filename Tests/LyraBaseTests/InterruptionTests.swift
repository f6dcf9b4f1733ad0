import XCTest
import LyraBase

/// The Ctrl-C flag that native loops poll.
final class InterruptionTests: XCTestCase {
  func testCheckThrowsOnlyWhenRequested() throws {
    Interruption.clear()
    XCTAssertNoThrow(try Interruption.check())
    Interruption.request()
    XCTAssertThrowsError(try Interruption.check()) { XCTAssertTrue($0 is Interrupted) }
    Interruption.clear()
    XCTAssertFalse(Interruption.isRequested)
  }
}
