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
    // Random shapes (a fixed seed: the same 2,000 shapes every run), against the real
    // products in Double, prefix by prefix as CheckedSize multiplies: exact whenever every
    // prefix fits, refused whenever one is past 2^64 (even if a zero comes later).
    var g = SplitMix64(seed: 0x5eed)
    for _ in 0..<2000 {
      let shape = (0..<Int(g.next() % 5 + 1)).map { _ in Int(g.next() % (1 << (g.next() % 21) + 1)) }
      var prefix = 1.0, largest = 1.0
      for s in shape { prefix *= Double(s); largest = max(largest, prefix) }
      if largest < 0x1p62 { XCTAssertEqual(try CheckedSize.count(shape), shape.reduce(1, *), "\(shape)") }
      if largest > 0x1p64 { XCTAssertThrowsError(try CheckedSize.count(shape), "\(shape)") }
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

/// A small seeded generator (SplitMix64): the test's random shapes are the same every run.
struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}
