import XCTest
import LyraBase
@testable import LyraSpace

final class ForbiddenTests: XCTestCase {
  func space() throws -> SearchSpace {
    try SearchSpace(
      parameters: [hp("a", .category, [1, 2, 3]), hp("b", .category, ["x", "y"]), hp("n", .int, [0, 4])],
      forbidden: [["a": 2, "b": "y"], ["n": 2]])
  }

  func testNeverSampled() throws {
    let s = try space()
    let g = Generator(seed: 4)
    var a2 = 0, by = 0
    for _ in 0..<10_000 {
      let c = s.sample(g)
      XCTAssertFalse(c["a"] == 2 && c["b"] == "y")
      XCTAssertNotEqual(c["n"], 2)
      if c["a"] == 2 { a2 += 1 }
      if c["b"] == "y" { by += 1 }
    }
    XCTAssertGreaterThan(a2, 1000, "a = 2 alone is allowed")
    XCTAssertGreaterThan(by, 1000, "b = y alone is allowed")
  }

  func testDecodeSteersTheLastKey() throws {
    let s = try space()
    let d = s.decode(s.encode(["a": 2, "b": "y", "n": 1]))
    XCTAssertEqual(d["a"], 2, "the earlier key keeps its value")
    XCTAssertEqual(d["b"], "x", "the last key moves to its nearest allowed value")
    XCTAssertEqual(s.decode(s.encode(["a": 1, "b": "y", "n": 2]))["n"], 3, "nearest int, tie to the larger")
    let g = Generator(seed: 5)
    for _ in 0..<2000 {
      let u = (0..<s.dimension).map { _ in g.nextDouble() }
      XCTAssertFalse(s.isForbidden(s.decode(u)))
    }
  }

  func testSteeringThroughAParentReResolvesChildren() throws {
    let s = try SearchSpace(
      parameters: [hp("opt", .category, ["Adam", "SGD", "RMS"]), hp("m", .float, [0, 1])],
      conditions: [Condition(child: "m", parent: "opt", rule: .equal("SGD"))],
      forbidden: [["opt": "SGD"]])
    let d = s.decode([0.5, 0.3])
    XCTAssertEqual(d, ["opt": "RMS"], "nearest allowed choice (tie to the larger), child dropped")
  }

  func testValidateRejectsForbidden() throws {
    let s = try space()
    assertSpaceError(["b", "forbidden"]) { try s.validate(["a": 2, "b": "y", "n": 1]) }
    XCTAssertNoThrow(try s.validate(["a": 2, "b": "x", "n": 1]))
  }

  func testGridAndMutateRespectForbidden() throws {
    let s = try space()
    XCTAssertEqual(s.grid(slices: 5).count, 5 * 4)  // (3·2 − 1) × (5 − 1)
    let g = Generator(seed: 6)
    var c = s.sample(g)
    for _ in 0..<1000 {
      c = s.mutate(c, g)
      XCTAssertFalse(s.isForbidden(c))
    }
  }
}
