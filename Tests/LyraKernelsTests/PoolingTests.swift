import XCTest
@testable import LyraKernels

/// Max / average pooling against direct window loops (written from PyTorch's definitions,
/// independently of the kernels' index arithmetic), and backward against finite differences.
final class PoolingTests: XCTestCase {
  static let shapes: [Pool2dShape] = [
    Pool2dShape(batch: 2, channels: 3, height: 7, width: 5, kernel: 3, stride: 2, padding: 1),
    Pool2dShape(batch: 2, channels: 3, height: 8, width: 6, kernel: 2),                  // fast 2×2 path
    Pool2dShape(batch: 1, channels: 2, height: 7, width: 7, kernel: 2),                  // odd size, fast path
    Pool2dShape(batch: 2, channels: 2, height: 7, width: 6, kernel: 3, stride: 2, padding: 1, ceilMode: true),
    Pool2dShape(batch: 2, channels: 2, height: 9, width: 8, kernelH: 3, kernelW: 2, strideH: 2, strideW: 1,
                padH: 1, padW: 1, dilationH: 2, dilationW: 1),
  ]

  /// Input positions of output (oy, ox)'s window, including padded ones as nil.
  static func window(_ s: Pool2dShape, _ oy: Int, _ ox: Int) -> [(Int, Int)?] {
    var r: [(Int, Int)?] = []
    for i in 0..<s.kernelH { for j in 0..<s.kernelW {
      let iy = oy * s.strideH - s.padH + i * s.dilationH, ix = ox * s.strideW - s.padW + j * s.dilationW
      r.append(iy >= 0 && iy < s.height && ix >= 0 && ix < s.width ? (iy, ix) : nil)
    } }
    return r
  }

  static func naiveMax(_ s: Pool2dShape, _ x: [Float]) -> ([Float], [Int32]) {
    var y: [Float] = [], ind: [Int32] = []
    for p in 0..<(s.batch * s.channels) { for oy in 0..<s.outHeight { for ox in 0..<s.outWidth {
      var best = -Float.infinity, bi = -1
      for case let (iy, ix)? in window(s, oy, ox) where x[p * s.height * s.width + iy * s.width + ix] > best {
        best = x[p * s.height * s.width + iy * s.width + ix]; bi = iy * s.width + ix
      }
      y.append(best); ind.append(Int32(bi))
    } } }
    return (y, ind)
  }

  static func naiveAvg(_ s: Pool2dShape, _ x: [Float], includePad: Bool) -> [Float] {
    var y: [Float] = []
    for p in 0..<(s.batch * s.channels) { for oy in 0..<s.outHeight { for ox in 0..<s.outWidth {
      let w = window(s, oy, ox)
      // Padded positions count, but not window positions past the padded border (ceil mode).
      let padded = w.indices.filter { k in
        let iy = oy * s.strideH - s.padH + k / s.kernelW, ix = ox * s.strideW - s.padW + k % s.kernelW
        return iy < s.height + s.padH && ix < s.width + s.padW
      }.count
      let real = w.compactMap { $0 }
      let sum = real.reduce(0.0) { $0 + Double(x[p * s.height * s.width + $1.0 * s.width + $1.1]) }
      y.append(Float(sum / Double(includePad ? padded : real.count)))
    } } }
    return y
  }

  func testShapes() {
    XCTAssertEqual(PoolingTests.shapes[0].outHeight, 4); XCTAssertEqual(PoolingTests.shapes[0].outWidth, 3)
    XCTAssertEqual(PoolingTests.shapes[2].outHeight, 3)
    // ceil mode: (7 + 2 − 3 + 1)/2 + 1 = 4 rows; (6 + 2 − 3 + 1)/2 + 1 = 4, but the last window would start at 6 ≥ 6 + 1? no: 6 < 7, kept.
    XCTAssertEqual(PoolingTests.shapes[3].outHeight, 4); XCTAssertEqual(PoolingTests.shapes[3].outWidth, 4)
    let c = Pool2dShape(batch: 1, channels: 1, height: 5, width: 5, kernel: 2, stride: 2, ceilMode: true)
    XCTAssertEqual(c.outHeight, 3)
  }

  func testMaxPoolForwardAndIndices() {
    for (n, s) in PoolingTests.shapes.enumerated() where s.padH * 2 <= s.kernelH && s.padW * 2 <= s.kernelW {
      var rng = TestRNG(UInt64(n + 11))
      let x = rng.array(s.inputCount)
      let (ey, eind) = PoolingTests.naiveMax(s, x)
      withKernelSettings { setting in
        var y = [Float](repeating: .nan, count: s.outputCount), ind = [Int32](repeating: -7, count: s.outputCount)
        maxPool2dForward(s, input: x, output: &y, indices: &ind)
        XCTAssertEqual(y, ey, "shape \(n) \(setting)")
        XCTAssertEqual(ind, eind, "indices shape \(n) \(setting)")
        var y2 = [Float](repeating: .nan, count: s.outputCount)
        maxPool2dForward(s, input: x, output: &y2, indices: nil)
        XCTAssertEqual(y2, ey, "no indices shape \(n) \(setting)")
      }
    }
  }

  func testMaxPoolBackwardFiniteDifference() {
    for (n, s) in PoolingTests.shapes.enumerated() {
      var rng = TestRNG(UInt64(n + 21))
      // Distinct values 0.01 apart, so a ±1e-3 step never changes which input wins a window.
      var x = (0..<s.inputCount).map { Float($0) * 0.01 - 5 }
      for i in stride(from: x.count - 1, to: 0, by: -1) { x.swapAt(i, Int(abs(rng.next()) * Float(i + 1)) % (i + 1)) }
      let r = rng.array(s.outputCount)
      var y = [Float](repeating: 0, count: s.outputCount), ind = [Int32](repeating: 0, count: s.outputCount)
      maxPool2dForward(s, input: x, output: &y, indices: &ind)
      var dx = [Float](repeating: .nan, count: s.inputCount)
      maxPool2dBackward(s, gradOutput: r, indices: ind, gradInput: &dx)
      for i in 0..<s.inputCount {
        let fd = finiteDifference(x, i, eps: 1e-3) { dot(PoolingTests.naiveMax(s, $0).0, r) }
        XCTAssertEqual(Double(dx[i]), fd, accuracy: 2e-2, "dx[\(i)] shape \(n)")
      }
    }
  }

  func testAvgPoolForwardAndBackward() {
    for (n, s) in PoolingTests.shapes.enumerated() where s.dilationH == 1 && s.dilationW == 1 {
      var rng = TestRNG(UInt64(n + 31))
      let x = rng.array(s.inputCount), r = rng.array(s.outputCount)
      for includePad in [true, false] {
        var y = [Float](repeating: .nan, count: s.outputCount)
        avgPool2dForward(s, input: x, output: &y, countIncludePad: includePad)
        assertClose(y, PoolingTests.naiveAvg(s, x, includePad: includePad), "shape \(n) pad \(includePad)")
        var dx = [Float](repeating: .nan, count: s.inputCount)
        avgPool2dBackward(s, gradOutput: r, gradInput: &dx, countIncludePad: includePad)
        for i in 0..<s.inputCount {
          let fd = finiteDifference(x, i) { dot(PoolingTests.naiveAvg(s, $0, includePad: includePad), r) }
          XCTAssertEqual(Double(dx[i]), fd, accuracy: 1e-3, "dx[\(i)] shape \(n) pad \(includePad)")
        }
      }
      var y = [Float](repeating: .nan, count: s.outputCount)
      avgPool2dForward(s, input: x, output: &y, divisorOverride: 2)
      let sums = PoolingTests.naiveAvg(s, x, includePad: false)
      XCTAssertEqual(y[0], sums[0] * Float(PoolingTests.window(s, 0, 0).compactMap { $0 }.count) / 2, accuracy: 1e-5)
    }
  }
}
