import XCTest
import LyraBase

/// The two ways shapes are written; each expected text is the one the call sites printed
/// before they shared this helper (LyraTensor's `Shape.describe`, LyraNN's `dims`, the Lua
/// bindings' `shapeText` and `sizeText`, the profile table's column).
final class ShapeTextTests: XCTestCase {
  func testListStyleIsBracketedAndCommaSeparated() {
    XCTAssertEqual(ShapeText.format([2, 3, 28, 28]), "[2, 3, 28, 28]")
    XCTAssertEqual(ShapeText.format([7], .list), "[7]")
    XCTAssertEqual(ShapeText.format([]), "[]")
    XCTAssertEqual(ShapeText.format([0, -1]), "[0, -1]")
  }

  func testSizeStyleIsTorch7s() {
    XCTAssertEqual(ShapeText.format([2, 3, 4], .size), "2x3x4")
    XCTAssertEqual(ShapeText.format([5], .size), "5")
    XCTAssertEqual(ShapeText.format([], .size), "()")
    XCTAssertEqual(ShapeText.format([1, 0], .size), "1x0")
  }

  /// Against a naive spelling of each style, over many shapes (ranks 0 to 5).
  func testBothStylesAgreeWithANaiveSpelling() {
    let g = Generator(seed: 5)
    for _ in 0..<200 {
      let shape = (0..<g.int(below: 6)).map { _ in g.int(below: 1000) }
      var list = "["
      for (i, d) in shape.enumerated() { list += (i == 0 ? "" : ", ") + "\(d)" }
      XCTAssertEqual(ShapeText.format(shape), list + "]")
      var size = ""
      for (i, d) in shape.enumerated() { size += (i == 0 ? "" : "x") + "\(d)" }
      XCTAssertEqual(ShapeText.format(shape, .size), shape.isEmpty ? "()" : size)
    }
  }
}
