import XCTest
import LyraBase
@testable import LyraSpace

final class SpaceErrorTests: XCTestCase {
  func load(_ entries: String, condition: String = "[]", forbidden: String = "[]") throws -> SearchSpace {
    try SearchSpace(jsonText: "{\"hyperparameters\": [\(entries)], \"condition\": \(condition), \"forbidden\": \(forbidden)}")
  }

  func testBadHyperparametersNameTheKey() {
    assertSpaceError(["lr", "FLOT_EXP", "did you mean 'FLOAT_EXP'"]) { _ = try load(#"{"key": "lr", "type": "FLOT_EXP", "range": [0.1, 1]}"#) }
    assertSpaceError(["bs", "empty range"]) { _ = try load(#"{"key": "bs", "type": "CATEGORY", "range": []}"#) }
    assertSpaceError(["n", "inverted"]) { _ = try load(#"{"key": "n", "type": "INT", "range": [5, 1]}"#) }
    assertSpaceError(["f", "two numbers"]) { _ = try load(#"{"key": "f", "type": "FLOAT", "range": ["a", "b"]}"#) }
    assertSpaceError(["lr", "positive"]) { _ = try load(#"{"key": "lr", "type": "FLOAT_EXP", "range": [0, 0.1]}"#) }
    assertSpaceError(["n", "integers"]) { _ = try load(#"{"key": "n", "type": "INT", "range": [1, 2.5]}"#) }
    assertSpaceError(["code", "exceeds"]) { _ = try load(#"{"key": "code", "type": "BINARY_CODE", "range": [4, 5]}"#) }
    assertSpaceError(["x", "missing 'range'"]) { _ = try load(#"{"key": "x", "type": "INT"}"#) }
    assertSpaceError(["x", "rnage", "did you mean 'range'"]) { _ = try load(#"{"key": "x", "type": "INT", "rnage": [1, 2]}"#) }
    assertSpaceError(["a", "duplicate key"]) {
      _ = try load(#"{"key": "a", "type": "INT", "range": [1, 2]}, {"key": "a", "type": "BOOL"}"#)
    }
    assertSpaceError(["c", "duplicate choice"]) { _ = try load(#"{"key": "c", "type": "CATEGORY", "range": [1, 1.0]}"#) }
  }

  /// Array lengths size every sample: 2^40 used to abort in malloc at the first sample.
  func testHugeArrayLengthsAreErrors() throws {
    assertSpaceError(["code", "at most 1048576"]) { _ = try load(#"{"key": "code", "type": "BINARY_CODE", "range": [1099511627776]}"#) }
    assertSpaceError(["a", "at most 1048576"]) { _ = try load(#"{"key": "a", "type": "IntArray", "range": [1099511627776, 0, 3]}"#) }
    XCTAssertNoThrow(try load(#"{"key": "code", "type": "BINARY_CODE", "range": [1048576, 3]}"#))
  }

  func testBadConditionsNameTheKey() {
    let two = #"{"key": "a", "type": "CATEGORY", "range": ["x", "y"]}, {"key": "b", "type": "CATEGORY", "range": ["p", "q"]}"#
    assertSpaceError(["zz", "parent"]) { _ = try load(two, condition: #"[{"child": "b", "parent": "zz", "type": "EQUAL", "range": ["x"]}]"#) }
    assertSpaceError(["bb", "child", "did you mean 'b'"]) { _ = try load(two, condition: #"[{"child": "bb", "parent": "a", "type": "EQUAL", "range": ["x"]}]"#) }
    assertSpaceError(["cycle"]) {
      _ = try load(two, condition: #"[{"child": "b", "parent": "a", "type": "EQUAL", "range": ["x"]}, {"child": "a", "parent": "b", "type": "EQUAL", "range": ["p"]}]"#)
    }
    assertSpaceError(["b", "EQUALS", "did you mean 'EQUAL'"]) { _ = try load(two, condition: #"[{"child": "b", "parent": "a", "type": "EQUALS", "range": ["x"]}]"#) }
    assertSpaceError(["b", "exactly one"]) { _ = try load(two, condition: #"[{"child": "b", "parent": "a", "type": "EQUAL", "range": ["x", "y"]}]"#) }
    assertSpaceError(["b", "value w", "parent 'a'"]) { _ = try load(two, condition: #"[{"child": "b", "parent": "a", "type": "EQUAL", "range": ["w"]}]"#) }
  }

  func testBadForbiddenNameTheKey() {
    let two = #"{"key": "a", "type": "CATEGORY", "range": ["x", "y"]}, {"key": "n", "type": "INT", "range": [1, 4]}"#
    assertSpaceError(["m", "forbidden key"]) { _ = try load(two, forbidden: #"[{"a": "x", "m": 2}]"#) }
    assertSpaceError(["n", "forbidden value 9"]) { _ = try load(two, forbidden: #"[{"a": "x", "n": 9}]"#) }
    XCTAssertNoThrow(try load(two, forbidden: #"[{"a": "x", "n": 2}]"#))
  }

  func testValidateNamesTheKey() throws {
    let s = try SearchSpace(jsonText: ashaJSON)
    let ok: Config = ["dataset.batch_size": 64, "trainer.optimizer.params.lr": 0.01, "trainer.optimizer.type": "Adam"]
    XCTAssertNoThrow(try s.validate(ok))
    var unknown = ok
    unknown["trainer.optimizer.params.lrr"] = 0.1
    assertSpaceError(["trainer.optimizer.params.lrr", "did you mean"]) { try s.validate(unknown) }
    var out = ok
    out["trainer.optimizer.params.lr"] = 0.5
    assertSpaceError(["trainer.optimizer.params.lr", "outside"]) { try s.validate(out) }
    var bad = ok
    bad["dataset.batch_size"] = 48
    assertSpaceError(["dataset.batch_size", "48"]) { try s.validate(bad) }
  }
}
