import XCTest
import LyraBase

final class KeyedErrorTests: XCTestCase {
  func testKeyAndMessageStayApart() {
    let e = KeyedError("search.trainer.epochs", "must be at least 0, got -1")
    XCTAssertEqual(e.key, "search.trainer.epochs")
    XCTAssertEqual(e.message, "must be at least 0, got -1")
    XCTAssertEqual("\(e)", "search.trainer.epochs: must be at least 0, got -1")
  }

  /// A message holding colons of its own (a file path with a line, a module name) keeps
  /// them: the key is a value, never the text before the first ':'.
  func testColonsInTheMessageDoNotMoveTheKey() {
    let e = KeyedError("search.dataset", "/data/train.csv:3:7: expected a number")
    XCTAssertEqual(e.key, "search.dataset")
    XCTAssertEqual(e.message, "/data/train.csv:3:7: expected a number")
    XCTAssertEqual(e.description, "search.dataset: /data/train.csv:3:7: expected a number")
    let thrown: Error = KeyedError("a.b", "Conv2d: input [1, 2] is too small")
    XCTAssertEqual((thrown as? KeyedError)?.key, "a.b")
  }

  func testEquality() {
    XCTAssertEqual(KeyedError("a", "b"), KeyedError("a", "b"))
    XCTAssertNotEqual(KeyedError("a", "b"), KeyedError("a.b", "b"))
    XCTAssertNotEqual(KeyedError("a", "b"), KeyedError("a", "c"))
  }
}
