import XCTest
import LyraKernels
@testable import LyraTensor

/// The NN ops built on LyraKernels (conv, pooling, batch norm, resampling): forward
/// against direct references where cheap, and every gradient against finite differences.
final class FunctionalNNTests: XCTestCase {
  func testConv2dForwardMatchesDirectLoops() {
    let x = param([2, 4, 5, 6], seed: 1), w = param([6, 2, 3, 2], seed: 2), b = param([6], seed: 3)
    let y = Tensor.conv2d(x, w, b, stride: Window2d(2, 1), padding: Window2d(1, 2), dilation: Window2d(1, 2), groups: 2)
    let xs = x.toArray(), ws = w.toArray(), bs = b.toArray()
    let (N, C, H, W) = (2, 4, 5, 6), (O, kh, kw) = (6, 3, 2)
    let OH = (H + 2 - 1 * (kh - 1) - 1) / 2 + 1, OW = (W + 4 - 2 * (kw - 1) - 1) / 1 + 1
    XCTAssertEqual(y.shape, [N, O, OH, OW])
    let ys = y.toArray()
    for n in 0..<N { for o in 0..<O { for i in 0..<OH { for j in 0..<OW {
      let g = o / 3
      var s = bs[o]
      for ci in 0..<2 { for p in 0..<kh { for q in 0..<kw {
        let hi = i * 2 - 1 + p, wi = j - 2 + q * 2
        if hi < 0 || hi >= H || wi < 0 || wi >= W { continue }
        s += xs[((n * C + g * 2 + ci) * H + hi) * W + wi] * ws[((o * 2 + ci) * kh + p) * kw + q]
      } } }
      XCTAssertEqual(ys[((n * O + o) * OH + i) * OW + j], s, accuracy: 1e-4)
    } } } }
  }

  func testConv2dGradients() {
    gradCheck([param([2, 3, 5, 4], seed: 4), param([4, 3, 3, 3], seed: 5, scale: 0.5), param([4], seed: 6)]) {
      Tensor.conv2d($0[0], $0[1], $0[2], stride: Window2d(2), padding: Window2d(1))
    }
    // depthwise with a channel multiplier, no bias
    gradCheck([param([1, 3, 6, 5], seed: 7), param([6, 1, 3, 3], seed: 8)]) {
      Tensor.conv2d($0[0], $0[1], nil, padding: Window2d(1), groups: 3)
    }
    // 1x1 pointwise
    gradCheck([param([2, 4, 3, 3], seed: 9), param([5, 4, 1, 1], seed: 10)]) { Tensor.conv2d($0[0], $0[1]) }
  }

  func testPoolingGradients() {
    // distinct values so max pooling's arg-max is stable under ±eps
    let x = Tensor((0..<(2 * 3 * 7 * 6)).map { Float(($0 * 37) % 101) * 0.1 }, shape: [2, 3, 7, 6]).requiresGrad_()
    gradCheck([x]) { $0[0].maxPool2d(Window2d(3), stride: Window2d(2), padding: Window2d(1)) }
    gradCheck([param([2, 3, 7, 6], seed: 11)]) { $0[0].avgPool2d(Window2d(3, 2), stride: Window2d(2), padding: Window2d(1)) }
    gradCheck([param([2, 3, 7, 6], seed: 12)]) { $0[0].adaptiveAvgPool2d(3, 4) }
    gradCheck([param([2, 3, 7, 6], seed: 13)]) { $0[0].adaptiveAvgPool2d(1, 1) }
  }

  func testMaxPoolForward() {
    let x = Tensor([1, 5, 2, 0, 3, 4, 9, 8, 7, 6, 1, 2, 0, 0, 3, 1], shape: [1, 1, 4, 4])
    XCTAssertEqual(x.maxPool2d(Window2d(2)).toArray(), [5, 9, 7, 3])
    XCTAssertEqual(x.avgPool2d(Window2d(2)).toArray(), [3.25, 4.75, 3.25, 1.75])
  }

  func testBatchNormTrainingMatchesFormulaAndUpdatesRunningStats() {
    let x = param([4, 3, 2, 2], seed: 14, scale: 2, shift: 1)
    let rm = Tensor.zeros([3]), rv = Tensor.ones([3])
    let gamma = param([3], seed: 15), beta = param([3], seed: 16)
    let y = Tensor.batchNorm(x, runningMean: rm, runningVar: rv, weight: gamma, bias: beta, training: true, momentum: 0.1, eps: 1e-5)
    let xs = x.toArray(), ys = y.toArray(), g = gamma.toArray(), b = beta.toArray()
    for c in 0..<3 {
      var vals: [Double] = []
      for n in 0..<4 { for k in 0..<4 { vals.append(Double(xs[(n * 3 + c) * 4 + k])) } }
      let mean = vals.reduce(0, +) / 16
      let varB = vals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 16
      for n in 0..<4 { for k in 0..<4 {
        let i = (n * 3 + c) * 4 + k
        let expected = (Double(xs[i]) - mean) / (varB + 1e-5).squareRoot() * Double(g[c]) + Double(b[c])
        XCTAssertEqual(Double(ys[i]), expected, accuracy: 1e-4)
      } }
      XCTAssertEqual(Double(rm.toArray()[c]), 0.1 * mean, accuracy: 1e-5)
      XCTAssertEqual(Double(rv.toArray()[c]), 0.9 + 0.1 * varB * 16 / 15, accuracy: 1e-4)
    }
  }

  func testBatchNormGradients() {
    gradCheck([param([3, 2, 3, 2], seed: 17), param([2], seed: 18), param([2], seed: 19)], rtol: 2e-2, atol: 5e-3) {
      Tensor.batchNorm($0[0], runningMean: nil, runningVar: nil, weight: $0[1], bias: $0[2], training: true)
    }
    gradCheck([param([5, 4], seed: 20), param([4], seed: 21), param([4], seed: 22)], rtol: 2e-2, atol: 5e-3) {
      Tensor.batchNorm($0[0], runningMean: nil, runningVar: nil, weight: $0[1], bias: $0[2], training: true)
    }
    let rm = Tensor([0.1, -0.2]), rv = Tensor([1.5, 0.5])
    gradCheck([param([3, 2, 2, 2], seed: 23), param([2], seed: 24), param([2], seed: 25)]) {
      Tensor.batchNorm($0[0], runningMean: rm, runningVar: rv, weight: $0[1], bias: $0[2], training: false)
    }
  }

  func testResamplingGradientsAndPixelShuffle() {
    gradCheck([param([1, 2, 3, 4], seed: 26)]) { $0[0].upsample(6, 7, mode: .nearest) }
    gradCheck([param([1, 2, 3, 4], seed: 27)]) { $0[0].upsample(5, 9, mode: .bilinear) }
    gradCheck([param([2, 8, 2, 3], seed: 28)]) { $0[0].pixelShuffle(2) }
    let x = Tensor((0..<8).map(Float.init), shape: [1, 4, 1, 2])
    // channel c·4 + i·2 + j lands at row i, column 2·w + j
    XCTAssertEqual(x.pixelShuffle(2).toArray(), [0, 2, 1, 3, 4, 6, 5, 7])
  }
}
