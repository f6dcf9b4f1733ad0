import XCTest
@testable import LyraKernels

/// Direct-loop convolution in Double: the reference every fast path is checked against.
enum NaiveConv {
  static func forward(_ s: Conv2dShape, _ x: [Float], _ w: [Float], _ bias: [Float]?) -> [Float] {
    let OH = s.outHeight, OW = s.outWidth, cinG = s.inChannelsPerGroup, coutG = s.outChannelsPerGroup
    var y = [Float](repeating: 0, count: s.outputCount)
    for b in 0..<s.batch { for oc in 0..<s.outChannels {
      let g = oc / coutG
      for oy in 0..<OH { for ox in 0..<OW {
        var acc = Double(bias?[oc] ?? 0)
        for c in 0..<cinG { for i in 0..<s.kernelH { for j in 0..<s.kernelW {
          let iy = oy * s.strideH - s.padH + i * s.dilationH, ix = ox * s.strideW - s.padW + j * s.dilationW
          if iy < 0 || iy >= s.height || ix < 0 || ix >= s.width { continue }
          let ic = g * cinG + c
          acc += Double(x[((b * s.inChannels + ic) * s.height + iy) * s.width + ix]) *
                 Double(w[((oc * cinG + c) * s.kernelH + i) * s.kernelW + j])
        } } }
        y[((b * s.outChannels + oc) * OH + oy) * OW + ox] = Float(acc)
      } }
    } }
    return y
  }

  /// Analytic gradients of Σ y·dy (same loops, transposed).
  static func backward(_ s: Conv2dShape, _ x: [Float], _ w: [Float], _ dy: [Float]) -> (dx: [Float], dw: [Float]) {
    let OH = s.outHeight, OW = s.outWidth, cinG = s.inChannelsPerGroup, coutG = s.outChannelsPerGroup
    var dx = [Double](repeating: 0, count: s.inputCount), dw = [Double](repeating: 0, count: s.weightCount)
    for b in 0..<s.batch { for oc in 0..<s.outChannels {
      let g = oc / coutG
      for oy in 0..<OH { for ox in 0..<OW {
        let gy = Double(dy[((b * s.outChannels + oc) * OH + oy) * OW + ox])
        for c in 0..<cinG { for i in 0..<s.kernelH { for j in 0..<s.kernelW {
          let iy = oy * s.strideH - s.padH + i * s.dilationH, ix = ox * s.strideW - s.padW + j * s.dilationW
          if iy < 0 || iy >= s.height || ix < 0 || ix >= s.width { continue }
          let xi = ((b * s.inChannels + g * cinG + c) * s.height + iy) * s.width + ix
          let wi = ((oc * cinG + c) * s.kernelH + i) * s.kernelW + j
          dx[xi] += gy * Double(w[wi]); dw[wi] += gy * Double(x[xi])
        } } }
      } }
    } }
    return (dx.map { Float($0) }, dw.map { Float($0) })
  }
}

extension NaiveConv {
  /// `conv2dForward` under every kernel setting (`withKernelSettings`) against `forward`: with
  /// bias, with the fused ReLU, without bias. Shape n's data come from TestRNG(seed + n).
  static func checkForward(_ shapes: [Conv2dShape], seed: UInt64, file: StaticString = #filePath, line: UInt = #line) {
    for (n, s) in shapes.enumerated() {
      var rng = TestRNG(seed + UInt64(n))
      let x = rng.array(s.inputCount), w = rng.array(s.weightCount), bias = rng.array(s.outChannels)
      let expected = forward(s, x, w, bias)
      withKernelSettings { setting in
        var y = [Float](repeating: .nan, count: s.outputCount)
        conv2dForward(s, input: x, weight: w, bias: bias, output: &y)
        assertClose(y, expected, "shape \(n) \(setting)", file: file, line: line)
        conv2dForward(s, input: x, weight: w, bias: bias, output: &y, relu: true)
        assertClose(y, expected.map { max($0, 0) }, "relu shape \(n) \(setting)", file: file, line: line)
        conv2dForward(s, input: x, weight: w, output: &y)
        assertClose(y, forward(s, x, w, nil), "no bias shape \(n) \(setting)", file: file, line: line)
      }
    }
  }
}

final class Conv2dTests: XCTestCase {
  /// Odd shapes covering every branch: general grouped/strided/dilated, plain 3×3,
  /// pointwise, strided 1×1, depthwise with multiplier, rectangular kernels.
  static let shapes: [Conv2dShape] = [
    Conv2dShape(batch: 2, inChannels: 3, height: 7, width: 5, outChannels: 6, kernelH: 3, kernelW: 3,
                strideH: 2, strideW: 2, padH: 1, padW: 1, dilationH: 2, dilationW: 2, groups: 3),
    Conv2dShape(batch: 3, inChannels: 4, height: 6, width: 7, outChannels: 5, kernel: 3, stride: 1, padding: 1),
    Conv2dShape(batch: 3, inChannels: 6, height: 5, width: 4, outChannels: 4, kernel: 1, groups: 2),
    Conv2dShape(batch: 2, inChannels: 4, height: 7, width: 7, outChannels: 6, kernel: 1, stride: 2),
    Conv2dShape(batch: 2, inChannels: 3, height: 6, width: 5, outChannels: 6, kernel: 3, stride: 2, padding: 1, groups: 3),
    Conv2dShape(batch: 3, inChannels: 4, height: 5, width: 6, outChannels: 4, kernel: 3, stride: 1, padding: 1, groups: 4),
    Conv2dShape(batch: 2, inChannels: 2, height: 8, width: 6, outChannels: 3, kernelH: 2, kernelW: 3,
                strideH: 1, strideW: 2, padH: 0, padW: 2, dilationH: 1, dilationW: 1, groups: 1),
    // Stride 1, ungrouped: backward-input runs as a forward conv of the flipped kernel
    // (dilated with uneven padding; unpadded rectangular; ResNet-like 16 → 16 with batching).
    Conv2dShape(batch: 2, inChannels: 3, height: 9, width: 8, outChannels: 5, kernelH: 3, kernelW: 3,
                strideH: 1, strideW: 1, padH: 2, padW: 1, dilationH: 2, dilationW: 2, groups: 1),
    Conv2dShape(batch: 3, inChannels: 5, height: 6, width: 7, outChannels: 2, kernelH: 2, kernelW: 3,
                strideH: 1, strideW: 1, padH: 0, padW: 1, dilationH: 1, dilationW: 1, groups: 1),
    Conv2dShape(batch: 5, inChannels: 16, height: 6, width: 5, outChannels: 16, kernel: 3, padding: 1),
    // 16 → 16 at 28×28: 784 columns, several GEMM column blocks of every tile width.
    Conv2dShape(batch: 2, inChannels: 16, height: 28, width: 28, outChannels: 16, kernel: 3, padding: 1),
    // Padding beyond the kernel reach: the col2im path.
    Conv2dShape(batch: 2, inChannels: 2, height: 4, width: 4, outChannels: 3, kernel: 3, padding: 3),
  ]

  func testShapeArithmetic() {
    let s = Conv2dShape(batch: 128, inChannels: 32, height: 14, width: 14, outChannels: 64, kernel: 3, padding: 1)
    XCTAssertEqual(s.outHeight, 14); XCTAssertEqual(s.outWidth, 14)
    XCTAssertEqual(s.macs / 128, 3_612_672)
    XCTAssertEqual(Conv2dTests.shapes[0].outHeight, 3); XCTAssertEqual(Conv2dTests.shapes[0].outWidth, 2)
    XCTAssertTrue(Conv2dTests.shapes[5].isDepthwise); XCTAssertTrue(Conv2dTests.shapes[2].isPointwise)
    XCTAssertFalse(Conv2dTests.shapes[3].isPointwise)
    XCTAssertNotNil(Conv2dTests.shapes[1].backwardInputAsForward)
    XCTAssertNotNil(Conv2dTests.shapes[7].backwardInputAsForward)
    XCTAssertEqual(Conv2dTests.shapes[7].backwardInputAsForward?.padH, 2)
    XCTAssertEqual(Conv2dTests.shapes[7].backwardInputAsForward?.padW, 3)
    XCTAssertNil(Conv2dTests.shapes[0].backwardInputAsForward)
    XCTAssertNil(Conv2dTests.shapes[6].backwardInputAsForward)
    XCTAssertNil(Conv2dTests.shapes[11].backwardInputAsForward)
  }

  func testForwardMatchesNaive() { NaiveConv.checkForward(Conv2dTests.shapes, seed: 1) }

  func testBackwardMatchesNaiveGradients() {
    for (n, s) in Conv2dTests.shapes.enumerated() {
      var rng = TestRNG(UInt64(100 + n))
      let x = rng.array(s.inputCount), w = rng.array(s.weightCount), dy = rng.array(s.outputCount)
      let (edx, edw) = NaiveConv.backward(s, x, w, dy)
      withKernelSettings { setting in
        var dx = [Float](repeating: .nan, count: s.inputCount)
        conv2dBackwardInput(s, gradOutput: dy, weight: w, gradInput: &dx)
        assertClose(dx, edx, "dx shape \(n) \(setting)")
        var dw = [Float](repeating: .nan, count: s.weightCount)
        conv2dBackwardWeight(s, input: x, gradOutput: dy, gradWeight: &dw)
        assertClose(dw, edw, "dw shape \(n) \(setting)")
        conv2dBackwardWeight(s, input: x, gradOutput: dy, gradWeight: &dw, accumulate: true)
        assertClose(dw, edw.map { 2 * $0 }, "dw accumulate shape \(n) \(setting)")
        var db = [Float](repeating: 1, count: s.outChannels)
        conv2dBackwardBias(s, gradOutput: dy, gradBias: &db)
        let edb = (0..<s.outChannels).map { c -> Float in
          var t: Float = 0
          for b in 0..<s.batch { for i in 0..<(s.outHeight * s.outWidth) { t += dy[(b * s.outChannels + c) * s.outHeight * s.outWidth + i] } }
          return t
        }
        assertClose(db, edb, "db shape \(n) \(setting)")
      }
    }
  }

  /// Checks the kernels' gradients of L = Σ conv(x, w)·r against central differences of
  /// the naive forward, so a shared mistake in the naive backward would still be caught.
  func testBackwardMatchesFiniteDifferences() {
    for (n, s) in Conv2dTests.shapes.enumerated() {
      var rng = TestRNG(UInt64(200 + n))
      let x = rng.array(s.inputCount), w = rng.array(s.weightCount), r = rng.array(s.outputCount)
      var dx = [Float](repeating: 0, count: s.inputCount), dw = [Float](repeating: 0, count: s.weightCount)
      conv2dBackwardInput(s, gradOutput: r, weight: w, gradInput: &dx)
      conv2dBackwardWeight(s, input: x, gradOutput: r, gradWeight: &dw)
      for i in stride(from: 0, to: s.inputCount, by: max(1, s.inputCount / 17)) {
        let fd = finiteDifference(x, i) { dot(NaiveConv.forward(s, $0, w, nil), r) }
        XCTAssertEqual(Double(dx[i]), fd, accuracy: 1e-2, "dx[\(i)] shape \(n)")
      }
      for i in stride(from: 0, to: s.weightCount, by: max(1, s.weightCount / 13)) {
        let fd = finiteDifference(w, i) { dot(NaiveConv.forward(s, x, $0, nil), r) }
        XCTAssertEqual(Double(dw[i]), fd, accuracy: 1e-2, "dw[\(i)] shape \(n)")
      }
    }
  }
}
