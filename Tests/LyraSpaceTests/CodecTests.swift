import XCTest
import LyraBase
@testable import LyraSpace

final class CodecTests: XCTestCase {
  func testRoundTripEveryTypeOnRandomSamples() throws {
    let space = try allTypesSpace()
    XCTAssertEqual(space.dimension, space.dimensions.count)
    XCTAssertEqual(space.dimension, 1 * 9 + 12 + 10 + 8 + 7 + 1 + 3 + 3 + 4 + 8 + 6 + 9)
    let g = Generator(seed: 7)
    for _ in 0..<2000 {
      let c = space.sample(g)
      XCTAssertNoThrow(try space.validate(c))
      let u = space.encode(c)
      XCTAssertEqual(u.count, space.dimension)
      for x in u { XCTAssertTrue(x >= 0 && x <= 1, "coordinate \(x) outside [0, 1]") }
      let d = space.decode(u)
      XCTAssertEqual(Set(d.keys), Set(c.keys))
      for (k, v) in c {
        if space[k]!.type == .float || space[k]!.type == .floatExp {
          XCTAssertTrue(close(d[k]!, v), "\(k): \(v) → \(d[k]!)")
        } else {
          XCTAssertEqual(d[k]!, v, "\(k) must round-trip exactly")
        }
      }
    }
  }

  func testDecodeOfAnyPointIsValid() throws {
    let space = try allTypesSpace()
    let g = Generator(seed: 11)
    for _ in 0..<1000 {
      let u = (0..<space.dimension).map { _ in g.uniform(-0.2, 1.2) }
      XCTAssertNoThrow(try space.validate(space.decode(u)))
    }
  }

  func testScalarEncodings() throws {
    XCTAssertEqual(hp("c", .category, ["a", "b", "c"]).encode("b"), [0.5])
    XCTAssertEqual(hp("c", .category, ["a", "b", "c", "d", "e"]).encode("e"), [1])
    XCTAssertEqual(hp("one", .category, ["x"]).encode("x"), [0.5])
    XCTAssertEqual(hp("fe", .floatExp, [1e-5, 0.1]).encode(.double(1e-3))[0], 0.5, accuracy: 1e-12)
    XCTAssertEqual(hp("ie", .intExp, [1, 10000]).encode(100)[0], 0.5, accuracy: 1e-12)
    XCTAssertEqual(hp("i", .int, [0, 10]).encode(3), [0.3])
    XCTAssertEqual(hp("b", .bool, []).encode(true), [1])
  }

  func testNearestCategoryTiesToLarger() {
    let c = hp("c", .category, ["a", "b", "c"])
    XCTAssertEqual(c.decode([0.24][...]), "a")
    XCTAssertEqual(c.decode([0.25][...]), "b")  // exactly between a and b: the larger
    XCTAssertEqual(c.decode([0.75][...]), "c")
    XCTAssertEqual(c.decode([1.7][...]), "c")  // clamps
    XCTAssertEqual(c.decode([Double.nan][...]), "b")  // NaN reads as the middle
  }

  func testIntsRoundAndClamp() {
    let i = hp("i", .int, [0, 10])
    XCTAssertEqual(i.decode([0.04][...]), 0)
    XCTAssertEqual(i.decode([0.06][...]), 1)
    XCTAssertEqual(i.decode([-3][...]), 0)
    XCTAssertEqual(i.decode([3][...]), 10)
    let e = hp("ie", .intExp, [1, 1000])
    XCTAssertEqual(e.decode([1.0 / 3][...]), 10)
    XCTAssertEqual(hp("fe", .floatExp, [1e-5, 0.1]).decode([2][...]), .double(0.1))
  }

  func testArrayDecodeIsNearestValid() {
    // BINARY_CODE [n, k]: exactly k ones, at the largest coordinates.
    XCTAssertEqual(hp("b", .binaryCode, [5, 2]).decode([0.1, 0.9, 0.2, 0.3, 0.8][...]), [0, 1, 0, 0, 1])
    XCTAssertEqual(hp("b", .binaryCode, [4]).decode([0.5, 0.49, 0, 1][...]), [1, 0, 0, 1])
    // HALF: all ones, or n/2 ones, whichever is nearer.
    XCTAssertEqual(hp("h", .half, [4]).decode([0.9, 0.8, 0.7, 0.4][...]), [1, 1, 1, 1])
    XCTAssertEqual(hp("h", .half, [4]).decode([0.9, 0.2, 0.7, 0.1][...]), [1, 0, 1, 0])
    // MultiPositionArray [n, k]: sorted positions.
    XCTAssertEqual(hp("m", .multiPositionArray, [6, 2]).decode([0, 0.7, 0, 0, 0.9, 0.1][...]), [1, 4])
    XCTAssertEqual(hp("m", .multiPositionArray, [3]).decode([0.1, 0.2, 0.3][...]), [2])
    // IntArray: per-element ranges.
    XCTAssertEqual(hp("a", .intArray, [[1, 4], [16, 64]]).decode([1, 0.5][...]), [4, 40])
    // ADJACENCY_LIST with sample_num: duplicates move to the nearest unused edge.
    let adj = hp("adj", .adjacencyList, [0, 1, 2], sampleNum: 2)
    XCTAssertEqual(adj.decode([0, 0][...]), [[0, 1], [0, 2]])
    XCTAssertEqual(hp("adj", .adjacencyList, [0, 1, 2]).decode([1][...]), [1, 2])
  }

  func testDimensionsDescribeCoordinates() throws {
    let space = try SearchSpace(jsonText: ashaJSON)
    XCTAssertEqual(space.dimensions.map(\.kind), [.categorical(choices: 6), .continuous, .categorical(choices: 2), .continuous])
    XCTAssertEqual(space.dimensions.map(\.isLog), [false, true, false, false])
    let d = try SearchSpace(parameters: [hp("i", .intExp, [1, 8]), hp("a", .intArray, [2, 0, 3])]).dimensions
    XCTAssertEqual(d, [Dimension(key: "i", kind: .discrete(levels: 8), isLog: true),
                       Dimension(key: "a", element: 0, kind: .discrete(levels: 4)),
                       Dimension(key: "a", element: 1, kind: .discrete(levels: 4))])
  }
}
