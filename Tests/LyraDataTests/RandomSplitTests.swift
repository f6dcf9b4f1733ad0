import LyraBase
import XCTest
@testable import LyraData

/// random_split's sizes (PyTorch's rule for fractions) and its parts: disjoint, covering,
/// repeatable for a seed.
final class RandomSplitTests: XCTestCase {
  func testLengthsFromCountsAndFractions() throws {
    XCTAssertEqual(try RandomSplit.lengths(count: 10, sizes: [7, 3]), [7, 3])
    XCTAssertEqual(try RandomSplit.lengths(count: 5, sizes: [0.5, 0.5]), [3, 2])
    XCTAssertEqual(try RandomSplit.lengths(count: 10, sizes: [0.3, 0.3, 0.4]), [3, 3, 4])
    // floor(11 * 0.1) = 1, floor(11 * 0.9) = 9; the one left over goes to the first part.
    XCTAssertEqual(try RandomSplit.lengths(count: 11, sizes: [0.1, 0.9]), [2, 9])
    XCTAssertEqual(try RandomSplit.lengths(count: 4, sizes: [1, 0]), [4, 0])
  }

  func testBadSizesAreErrors() {
    for (sizes, part) in [([6.0, 3.0], "sum to 9"), ([0.5, 0.4], "neither an integer"), ([-1.0, 11.0], ">= 0"), ([], "at least one")] {
      XCTAssertThrowsError(try RandomSplit.lengths(count: 10, sizes: sizes)) { e in
        XCTAssertTrue("\(e)".contains(part), "'\(e)' lacks '\(part)'")
      }
    }
  }

  func testPartsAreDisjointCoverAndRepeatForASeed() {
    let lengths = [50, 30, 20]
    let parts = RandomSplit.indices(count: 100, lengths: lengths, generator: Generator(seed: 7))
    XCTAssertEqual(parts.map(\.count), lengths)
    XCTAssertEqual(parts.flatMap { $0 }.sorted(), Array(0 ..< 100))
    XCTAssertEqual(RandomSplit.indices(count: 100, lengths: lengths, generator: Generator(seed: 7)), parts)
    XCTAssertNotEqual(RandomSplit.indices(count: 100, lengths: lengths, generator: Generator(seed: 8)), parts)
    // Shuffled, not the first 50 in order.
    XCTAssertNotEqual(parts[0], Array(0 ..< 50))
  }
}
