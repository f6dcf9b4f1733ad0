import Foundation
import XCTest
@testable import LyraBase

/// `JSON.formatted` (the notebook's .ipynb writer) and `.orderedObject`, the one JSON type
/// that replaced the notebook's own `JSONValue`.
final class JSONFormattedTests: XCTestCase {
  func testLayoutIsPinnedByteForByte() {
    let v: JSON = .orderedObject([
      ("z", .number(3)), ("a", .object(["y": .bool(true), "b": .null])),
      ("list", .array([.number(2.5), .number(-0.0), .number(1e300), .number(.infinity), .string("a/\"\n\u{1}")])),
      ("empty", .orderedObject([])), ("none", .array([])), ("dict", .object([:])),
    ])
    XCTAssertEqual(v.formatted(indent: 1), """
      {
       "z": 3,
       "a": {
        "b": null,
        "y": true
       },
       "list": [
        2.5,
        0,
        1e+300,
        null,
        "a/\\"\\n\\u0001"
       ],
       "empty": {},
       "none": [],
       "dict": {}
      }
      """)
    XCTAssertEqual(JSON.array([.number(1)]).formatted(indent: 2), "[\n  1\n]")
  }

  /// What JSONSerialization reads back from `formatted` is the value (members in order).
  func testFormattedParsesBack() throws {
    let v: JSON = .orderedObject([("b", .string("é 😀 <&>")), ("a", .array([.number(0.1), .bool(false), .number(123456789012)]))])
    let back = try JSON.parse(Data(v.formatted().utf8))
    XCTAssertEqual(back, .object(v.object!))
    XCTAssertEqual(v.formatted().components(separatedBy: "\"b\"").first?.contains("\"a\""), false, "b stays first")
  }

  func testOrderedObjectReadsLikeAnObject() {
    let v: JSON = .orderedObject([("k", .number(1)), ("j", .string("x")), ("k", .number(2))])
    XCTAssertEqual(v["k"], .number(2), "the last of a repeated key wins, as for a parsed object")
    XCTAssertEqual(v.object?.count, 2)
    XCTAssertEqual(v.text, #"{"j":"x","k":2}"#, "text writes it with sorted keys like .object")
    XCTAssertNotEqual(JSON.orderedObject([("a", .null), ("b", .null)]), .orderedObject([("b", .null), ("a", .null)]))
    XCTAssertEqual(JSON.orderedObject([("a", .null)]), .orderedObject([("a", .null)]))
    XCTAssertNil(JSON.array([]).object)
  }
}
