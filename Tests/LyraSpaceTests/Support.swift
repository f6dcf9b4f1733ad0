import XCTest
import LyraBase
@testable import LyraSpace

func hp(_ key: String, _ type: ParamType, _ range: [ParamValue], slice: Int? = nil, sampleNum: Int? = nil) -> Hyperparameter {
  try! Hyperparameter(key: key, type: type, range: range, slice: slice, sampleNum: sampleNum)
}

/// Every type in one space, arrays in several shapes.
func allTypesSpace() throws -> SearchSpace {
  try SearchSpace(parameters: [
    hp("i", .int, [-3, 7]), hp("ie", .intExp, [1, 1000]), hp("f", .float, [-1.5, 2.5]),
    hp("fe", .floatExp, [1e-5, 0.1]), hp("c", .category, ["a", "b", "c"]), hp("cn", .category, [8, 16, 32, 0.5]),
    hp("cl", .category, [[1, 2], [3, 4]]), hp("one", .category, ["only"]), hp("b", .bool, []),
    hp("bc", .binaryCode, [12]), hp("bck", .binaryCode, [10, 3]), hp("h", .half, [8]), hp("h7", .half, [7, 0.5]),
    hp("adj", .adjacencyList, [0, 1, 2, 3]), hp("adjk", .adjacencyList, ["in", "a", "b", "out"], sampleNum: 3),
    hp("ia", .intArray, [[1, 4], [16, 64], [0, 0]]), hp("ia2", .intArray, [4, 8, 32]),
    hp("mp", .multiPositionArray, [8, 3]), hp("mp1", .multiPositionArray, [6]), hp("ba", .binaryArray, [9]),
  ])
}

/// The ASHA example's space (the VEGA paper's ASHA example, as in docs/examples/asha_hpo.yml).
let ashaJSON = """
  {"hyperparameters": [
     {"key": "dataset.batch_size", "type": "CATEGORY", "range": [8, 16, 32, 64, 128, 256]},
     {"key": "trainer.optimizer.params.lr", "type": "FLOAT_EXP", "range": [0.00001, 0.1]},
     {"key": "trainer.optimizer.type", "type": "CATEGORY", "range": ["Adam", "SGD"]},
     {"key": "trainer.optimizer.params.momentum", "type": "FLOAT", "range": [0.0, 0.99]}],
   "condition": [{"key": "c1", "child": "trainer.optimizer.params.momentum",
                  "parent": "trainer.optimizer.type", "type": "EQUAL", "range": ["SGD"]}]}
  """

/// Asserts `body` throws a SpaceError whose message mentions every string in `mentions`.
func assertSpaceError(_ mentions: [String], file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
  do {
    try body()
    XCTFail("expected a SpaceError mentioning \(mentions)", file: file, line: line)
  } catch let e as SpaceError {
    for m in mentions { XCTAssertTrue(e.message.contains(m), "'\(e.message)' should mention '\(m)'", file: file, line: line) }
  } catch {
    XCTFail("expected a SpaceError, got \(error)", file: file, line: line)
  }
}

/// Values equal: exactly, or within 1e-9 relative for doubles (lists element-wise).
func close(_ a: ParamValue, _ b: ParamValue) -> Bool {
  switch (a, b) {
  case (.double(let x), .double(let y)): return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
  case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy(close)
  default: return a == b
  }
}
