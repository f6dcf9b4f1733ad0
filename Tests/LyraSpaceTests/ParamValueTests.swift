import XCTest
import LyraBase
@testable import LyraSpace

final class ParamValueTests: XCTestCase {
  func testJSONRoundTrip() {
    let values: [ParamValue] = [.int(3), .double(0.25), .string("SGD"), .bool(true), .list([.int(1), .int(0)])]
    for v in values { XCTAssertEqual(ParamValue(json: v.json), v) }
    XCTAssertEqual(ParamValue.bool(true).number, 1)
  }
}
