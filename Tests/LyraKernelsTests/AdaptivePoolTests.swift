import XCTest
@testable import LyraKernels

final class AdaptivePoolTests: XCTestCase {
  /// PyTorch's windows for 5 → 3: [0, 2), [1, 4), [3, 5) (overlapping), checked on a ramp.
  func testAdaptiveWindowsMatchPyTorch() {
    let x: [Float] = (0..<5).map { Float($0) }  // 1×1×1×5
    var y = [Float](repeating: .nan, count: 3)
    adaptiveAvgPool2dForward(input: x, output: &y, batch: 1, channels: 1, height: 1, width: 5, outHeight: 1, outWidth: 3)
    XCTAssertEqual(y, [0.5, 2, 3.5])
    // 7 → 4: starts 0,1,3,5; ends 2,4,6,7 (squares: 0,1,4,9,16,25,36).
    let x7: [Float] = (0..<7).map { Float($0 * $0) }
    var y4 = [Float](repeating: .nan, count: 4)
    adaptiveAvgPool2dForward(input: x7, output: &y4, batch: 1, channels: 1, height: 7, width: 1, outHeight: 4, outWidth: 1)
    assertClose(y4, [0.5, 14.0 / 3, 50.0 / 3, 30.5], atol: 1e-5)
  }

  func testAdaptiveEqualsAvgPoolWhenDivisible() {
    var rng = TestRNG(5)
    let x = rng.array(2 * 3 * 8 * 6)
    var a = [Float](repeating: .nan, count: 2 * 3 * 4 * 2), b = a
    adaptiveAvgPool2dForward(input: x, output: &a, batch: 2, channels: 3, height: 8, width: 6, outHeight: 4, outWidth: 2)
    avgPool2dForward(Pool2dShape(batch: 2, channels: 3, height: 8, width: 6, kernelH: 2, kernelW: 3, strideH: 2, strideW: 3),
                     input: x, output: &b)
    assertClose(a, b, atol: 1e-6)
  }

  func testAdaptiveBackwardFiniteDifference() {
    var rng = TestRNG(6)
    let (n, c, h, w, oh, ow) = (2, 2, 7, 5, 3, 4)
    let x = rng.array(n * c * h * w), r = rng.array(n * c * oh * ow)
    func f(_ x: [Float]) -> Double {
      var y = [Float](repeating: 0, count: r.count)
      adaptiveAvgPool2dForward(input: x, output: &y, batch: n, channels: c, height: h, width: w, outHeight: oh, outWidth: ow)
      return dot(y, r)
    }
    var dx = [Float](repeating: .nan, count: x.count)
    adaptiveAvgPool2dBackward(gradOutput: r, gradInput: &dx, batch: n, channels: c, height: h, width: w, outHeight: oh, outWidth: ow)
    for i in 0..<x.count { XCTAssertEqual(Double(dx[i]), finiteDifference(x, i, f), accuracy: 1e-3, "dx[\(i)]") }
  }

  func testGlobalAvgPool() {
    var rng = TestRNG(8)
    let (n, c, p) = (3, 4, 10)
    let x = rng.array(n * c * p), r = rng.array(n * c)
    withKernelSettings { setting in
      var y = [Float](repeating: .nan, count: n * c)
      globalAvgPoolForward(input: x, output: &y, batch: n, channels: c, plane: p)
      let expected = (0..<(n * c)).map { q in x[(q * p)..<((q + 1) * p)].reduce(0, +) / Float(p) }
      assertClose(y, expected, atol: 1e-6, setting)
      var dx = [Float](repeating: .nan, count: x.count)
      globalAvgPoolBackward(gradOutput: r, gradInput: &dx, batch: n, channels: c, plane: p)
      assertClose(dx, (0..<x.count).map { r[$0 / p] / Float(p) }, atol: 1e-7, setting)
    }
  }
}
