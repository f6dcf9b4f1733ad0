import XCTest
@testable import LyraKernels

/// Upsampling against values PyTorch returns for small inputs, and backward against
/// finite differences (the maps are linear, so central differences are exact up to rounding).
final class UpsampleTests: XCTestCase {
  func testNearestKnownValues() {
    var y = [Float](repeating: .nan, count: 5)
    upsampleNearest2dForward(input: [10, 20, 30], output: &y, batch: 1, channels: 1, height: 1, width: 3, outHeight: 1, outWidth: 5)
    XCTAssertEqual(y, [10, 10, 20, 20, 30])  // F.interpolate(size=5, mode="nearest")
    var y2 = [Float](repeating: .nan, count: 16)
    upsampleNearest2dForward(input: [1, 2, 3, 4], output: &y2, batch: 1, channels: 1, height: 2, width: 2, outHeight: 4, outWidth: 4)
    XCTAssertEqual(y2, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
    // scale_factor 1.5 on 5 → 7: src = floor(o / 1.5).
    var y3 = [Float](repeating: .nan, count: 7)
    upsampleNearest2dForward(input: [0, 1, 2, 3, 4], output: &y3, batch: 1, channels: 1, height: 1, width: 5, outHeight: 1, outWidth: 7,
                             scaleW: 1.5)
    XCTAssertEqual(y3, [0, 0, 1, 2, 2, 3, 4])
  }

  func testBilinearKnownValues() {
    var y = [Float](repeating: .nan, count: 4)
    upsampleBilinear2dForward(input: [0, 1], output: &y, batch: 1, channels: 1, height: 1, width: 2, outHeight: 1, outWidth: 4)
    XCTAssertEqual(y, [0, 0.25, 0.75, 1])  // align_corners=False
    var y3 = [Float](repeating: .nan, count: 3)
    upsampleBilinear2dForward(input: [0, 1], output: &y3, batch: 1, channels: 1, height: 1, width: 2, outHeight: 1, outWidth: 3,
                              alignCorners: true)
    XCTAssertEqual(y3, [0, 0.5, 1])
    // 2×2 → 3×3, align_corners=False: src = (o + 0.5)·2/3 − 0.5 = −1/6→0, 0.5, 7/6.
    var y9 = [Float](repeating: .nan, count: 9)
    upsampleBilinear2dForward(input: [0, 1, 2, 3], output: &y9, batch: 1, channels: 1, height: 2, width: 2, outHeight: 3, outWidth: 3)
    assertClose(y9, [0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3], atol: 1e-6)
  }

  func testBackwardFiniteDifferences() {
    let (n, c, h, w) = (2, 3, 4, 5)
    for (oh, ow) in [(7, 9), (3, 4), (8, 10)] {
      var rng = TestRNG(UInt64(oh * 100 + ow))
      let x = rng.array(n * c * h * w), r = rng.array(n * c * oh * ow)
      for mode in 0..<3 {
        func f(_ x: [Float]) -> [Float] {
          var y = [Float](repeating: 0, count: r.count)
          switch mode {
          case 0: upsampleNearest2dForward(input: x, output: &y, batch: n, channels: c, height: h, width: w, outHeight: oh, outWidth: ow)
          case 1: upsampleBilinear2dForward(input: x, output: &y, batch: n, channels: c, height: h, width: w, outHeight: oh, outWidth: ow)
          default: upsampleBilinear2dForward(input: x, output: &y, batch: n, channels: c, height: h, width: w, outHeight: oh, outWidth: ow,
                                             alignCorners: true)
          }
          return y
        }
        var dx = [Float](repeating: .nan, count: x.count)
        switch mode {
        case 0: upsampleNearest2dBackward(gradOutput: r, gradInput: &dx, batch: n, channels: c, height: h, width: w, outHeight: oh, outWidth: ow)
        case 1: upsampleBilinear2dBackward(gradOutput: r, gradInput: &dx, batch: n, channels: c, height: h, width: w, outHeight: oh, outWidth: ow)
        default: upsampleBilinear2dBackward(gradOutput: r, gradInput: &dx, batch: n, channels: c, height: h, width: w, outHeight: oh,
                                            outWidth: ow, alignCorners: true)
        }
        for i in 0..<x.count {
          XCTAssertEqual(Double(dx[i]), finiteDifference(x, i) { dot(f($0), r) }, accuracy: 1e-3, "mode \(mode) \(oh)x\(ow) dx[\(i)]")
        }
      }
    }
  }
}
