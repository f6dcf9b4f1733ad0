import XCTest
@testable import LyraPipeline

/// The self-kill switch's setting: only `STEP:EVENT:K` with a known event and K >= 1 arms
/// it (a typo must not silently kill somewhere else, nor kill at the 0-th event).
final class TestKillSwitchTests: XCTestCase {
  func testParse() {
    XCTAssertEqual(TestKillSwitch.parse("fully_train:epoch:2"), .init(step: "fully_train", event: .epoch, k: 2))
    XCTAssertEqual(TestKillSwitch.parse("hpo:tell:1"), .init(step: "hpo", event: .tell, k: 1))
    for bad in ["", "hpo", "hpo:epoch", "hpo:epochs:1", "hpo:epoch:0", "hpo:epoch:-1", "hpo:epoch:x", ":epoch:1", "a:epoch:1:2"] {
      XCTAssertNil(TestKillSwitch.parse(bad), bad)
    }
    XCTAssertFalse(TestKillSwitch.armed(step: "hpo"), "unset in the test process")
  }
}
