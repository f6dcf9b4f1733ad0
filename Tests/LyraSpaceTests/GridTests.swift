import XCTest
@testable import LyraSpace

final class GridTests: XCTestCase {
  func testCartesianProductSizes() throws {
    let s = try SearchSpace(parameters: [hp("i", .int, [1, 5]), hp("f", .float, [0, 1]), hp("c", .category, ["a", "b", "c"])])
    let g = s.grid(slices: 3)
    XCTAssertEqual(g.count, 3 * 3 * 3)
    XCTAssertEqual(Set(g.map { $0["i"]! }), [1, 3, 5])
    XCTAssertEqual(Set(g.map { $0["f"]! }), [0.0, 0.5, 1.0])
    XCTAssertEqual(s.grid(slices: 5).count, 5 * 5 * 3)
    XCTAssertEqual(Set(g).count, g.count, "no duplicates")
  }

  func testRoundedIntsDeduplicateAndSliceOverrides() throws {
    XCTAssertEqual(hp("i", .int, [0, 2]).gridValues(slices: 5), [0, 1, 2])
    XCTAssertEqual(hp("f", .float, [0, 1], slice: 2).gridValues(slices: 7), [0.0, 1.0])
    XCTAssertEqual(hp("e", .floatExp, [0.001, 0.1]).gridValues(slices: 3).count, 3)
    XCTAssertEqual(hp("e", .floatExp, [0.001, 0.1]).gridValues(slices: 3)[1].number!, 0.01, accuracy: 1e-12)
    XCTAssertEqual(hp("one", .float, [0, 1]).gridValues(slices: 1), [0.5])
  }

  func testConditionalChildrenDoNotMultiplyInactiveBranches() throws {
    let s = try SearchSpace(jsonText: ashaJSON)
    // batch 6 × lr 3 × (Adam + SGD × momentum 3)
    XCTAssertEqual(s.grid(slices: 3).count, 6 * 3 * (1 + 3))
    for c in s.grid(slices: 3) { XCTAssertNoThrow(try s.validate(c)) }
  }

  func testArrayGrids() {
    XCTAssertEqual(hp("b", .binaryCode, [4, 2]).gridValues(slices: 3).count, 6)
    XCTAssertEqual(hp("b", .binaryCode, [4]).gridValues(slices: 3).count, 16)
    XCTAssertEqual(hp("h", .half, [4]).gridValues(slices: 3).count, 1 + 6)
    XCTAssertEqual(hp("a", .adjacencyList, [0, 1, 2]).gridValues(slices: 3).count, 3)
    XCTAssertEqual(hp("a", .adjacencyList, [0, 1, 2], sampleNum: 2).gridValues(slices: 3).count, 6)
    XCTAssertEqual(hp("m", .multiPositionArray, [4]).gridValues(slices: 3).count, 15)
    XCTAssertEqual(hp("ia", .intArray, [[0, 10], [1, 1]]).gridValues(slices: 3), [[0, 1], [5, 1], [10, 1]])
  }
}
