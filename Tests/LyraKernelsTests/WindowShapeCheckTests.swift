import LyraBase
import XCTest
@testable import LyraKernels

/// `CheckedSize.windowOutput` and the checked output shapes of convolutions and pools,
/// against PyTorch's formulas computed naively here, and on hostile geometry that used to
/// overflow (and then reach unchecked kernel loops).
final class WindowShapeCheckTests: XCTestCase {
  /// PyTorch's output length, by brute force: count the window starts that fit.
  func naiveOutput(_ input: Int, _ k: Int, _ s: Int, _ p: Int, _ d: Int) -> Int {
    var n = 0, start = 0
    while start + d * (k - 1) < input + 2 * p { n += 1; start += s }
    return n
  }

  func testWindowOutputMatchesTheNaiveCount() throws {
    for input in 1...9 { for k in 1...4 { for s in 1...3 { for p in 0...2 { for d in 1...2 where input + 2 * p >= d * (k - 1) + 1 {
      XCTAssertEqual(try CheckedSize.windowOutput(input: input, kernel: k, stride: s, padding: p, dilation: d),
                     naiveOutput(input, k, s, p, d), "input \(input) k \(k) s \(s) p \(p) d \(d)")
    } } } } }
  }

  func testWindowOutputRefusesHostileGeometry() {
    XCTAssertThrowsError(try CheckedSize.windowOutput(input: 4, kernel: 1, padding: 1 << 62))
    XCTAssertThrowsError(try CheckedSize.windowOutput(input: 4, kernel: 3, dilation: 1 << 62))
    XCTAssertThrowsError(try CheckedSize.windowOutput(input: Int.max, kernel: 1, padding: 1))
    XCTAssertThrowsError(try CheckedSize.windowOutput(input: 4, kernel: 5))
    XCTAssertThrowsError(try CheckedSize.windowOutput(input: 4, kernel: 0))
    XCTAssertThrowsError(try CheckedSize.windowOutput(input: 4, kernel: 2, stride: 0))
    XCTAssertThrowsError(try CheckedSize.windowOutput(input: 4, kernel: 2, stride: -1))
    XCTAssertThrowsError(try CheckedSize.windowOutput(input: 4, kernel: 2, padding: -1))
    XCTAssertEqual(try CheckedSize.windowOutput(input: 4, kernel: 2, stride: Int.max), 1)
  }

  func testConvolutionShapeIsCheckedBeforeTheKernels() throws {
    let ok = Conv2dShape(batch: 2, inChannels: 4, height: 7, width: 5, outChannels: 6, kernelH: 3, kernelW: 1,
                         strideH: 2, padH: 1, groups: 2)
    XCTAssertEqual(try ok.checkedOutputShape(), [2, 6, ok.outHeight, ok.outWidth])
    var bad = ok
    bad.padH = 1 << 62
    XCTAssertThrowsError(try bad.checkedOutputShape())
    bad = ok
    bad.groups = 3
    XCTAssertThrowsError(try bad.checkedOutputShape())
    bad = ok
    bad.kernelW = 1 << 40
    bad.padW = 1 << 40
    XCTAssertThrowsError(try bad.checkedOutputShape()) { XCTAssertTrue("\($0)".contains("requested") || "\($0)".contains("counted")) }
  }

  func testPoolShapeFollowsPyTorchsCeilModeRule() throws {
    // PyTorch: MaxPool2d(2, stride 2, ceil_mode) on 5 → 3; on 4 with padding 1 → 3.
    let a = Pool2dShape(batch: 1, channels: 1, height: 5, width: 4, kernelH: 2, kernelW: 2, strideH: 2, strideW: 2,
                        padW: 1, ceilMode: true)
    XCTAssertEqual(try a.checkedOutputShape(), [1, 1, 3, 3])
    XCTAssertEqual(try a.checkedOutputShape(), [1, 1, a.outHeight, a.outWidth])
    // A huge stride in ceil mode: the second window would start past the input.
    var huge = a
    huge.strideH = Int.max
    XCTAssertEqual(try huge.checkedOutputShape()[2], 1)
    var bad = a
    bad.kernelH = 1 << 40
    bad.kernelW = 1 << 40
    bad.padH = 1 << 39
    bad.padW = 1 << 39
    XCTAssertThrowsError(try bad.checkedOutputShape()) { XCTAssertTrue("\($0)".contains("overflows"), "\($0)") }
    bad = a
    bad.padH = 2
    XCTAssertThrowsError(try bad.checkedOutputShape())
  }
}
