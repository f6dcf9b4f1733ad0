import LyraBase
import XCTest
@testable import LyraTensor

/// `CheckedSize`: counts and byte sizes of untrusted shapes never wrap, and refusals say
/// how many bytes were asked. Compared with exact arithmetic in `Double`/`UInt128`-free
/// terms: a product is representable iff its `Double` estimate is well below 2^63.
final class CheckedSizeTests: XCTestCase {
  func testCountIsExactOrRefused() throws {
    XCTAssertEqual(try CheckedSize.count([]), 1)
    XCTAssertEqual(try CheckedSize.count([3, 0, 5]), 0)
    XCTAssertEqual(try CheckedSize.count([1 << 31, 1 << 31]), 1 << 62)
    XCTAssertThrowsError(try CheckedSize.count([1 << 62, 4]))
    XCTAssertThrowsError(try CheckedSize.count([1 << 32, 1 << 32, 0]), "overflow before a zero still counts")
    XCTAssertThrowsError(try CheckedSize.count([2, -1]))
    // Random shapes: the count is exact whenever the real product fits.
    var g = SystemRandomNumberGenerator()
    for _ in 0..<500 {
      let shape = (0..<Int.random(in: 1...5, using: &g)).map { _ in Int.random(in: 0...(1 << Int.random(in: 0...20, using: &g)), using: &g) }
      let real = shape.reduce(1.0) { $0 * Double(max($1, 1)) } // every prefix product stays below it
      if real < 0x1p62 { XCTAssertEqual(try CheckedSize.count(shape), shape.reduce(1, *), "\(shape)") }
      if real > 0x1p64 { XCTAssertThrowsError(try CheckedSize.count(shape), "\(shape)") }
    }
  }

  func testAllocationsBeyondTheCapStateTheBytes() {
    XCTAssertThrowsError(try CheckedSize.allocation([1 << 40], "lyra.zeros")) { e in
      let text = "\(e)"
      XCTAssertTrue(text.contains("lyra.zeros of shape [1099511627776]"), text)
      XCTAssertTrue(text.contains("4.0 TiB requested"), text)
      XCTAssertTrue(text.contains("LYRA_MAX_TENSOR_BYTES"), text)
    }
    XCTAssertThrowsError(try CheckedSize.bytes(count: Int.max / 2, elementSize: 4)) { XCTAssertTrue("\($0)".contains("more than")) }
    XCTAssertThrowsError(try CheckedSize.bytes(count: -1))
    XCTAssertEqual(try CheckedSize.allocation([2, 3]), 6)
  }

  func testByteCountsParseWithSuffixes() {
    XCTAssertEqual(CheckedSize.parseByteCount("512"), 512)
    XCTAssertEqual(CheckedSize.parseByteCount("64K"), 64 << 10)
    XCTAssertEqual(CheckedSize.parseByteCount(" 2g "), 2 << 30)
    XCTAssertNil(CheckedSize.parseByteCount("-1"))
    XCTAssertNil(CheckedSize.parseByteCount("99999999999T"))
    XCTAssertNil(CheckedSize.parseByteCount("x"))
  }

  func testSumAndProductReportOverflow() {
    XCTAssertEqual(try CheckedSize.sum(2, 3), 5)
    XCTAssertThrowsError(try CheckedSize.sum(Int.max, 1))
    XCTAssertThrowsError(try CheckedSize.product(1 << 32, 1 << 31))
  }

  /// Float → int32 conversion is total (it used to trap on NaN and values past 2^31).
  func testFloatToInt32Saturates() {
    XCTAssertEqual(int32Saturating(.nan), 0)
    XCTAssertEqual(int32Saturating(3e9), Int32.max)
    XCTAssertEqual(int32Saturating(-3e9), Int32.min)
    XCTAssertEqual(int32Saturating(-2.9), -2)
    XCTAssertEqual(Tensor([Float.nan, 1e20, 7.5]).int().toIntArray(), [0, Int(Int32.max), 7])
  }
}
