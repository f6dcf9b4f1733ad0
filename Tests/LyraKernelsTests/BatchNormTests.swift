import XCTest
@testable import LyraKernels

/// Batch norm against a Double reference of PyTorch's definition; backward against
/// finite differences of the training-mode forward (statistics depend on x too).
final class BatchNormTests: XCTestCase {
  static let shapes = [BatchNormShape(batch: 3, channels: 4, height: 5, width: 7), BatchNormShape(batch: 5, channels: 3),
                       BatchNormShape(batch: 2, channels: 3, plane: 21)]

  static func naiveTrain(_ s: BatchNormShape, _ x: [Float], _ gamma: [Float], _ beta: [Float], eps: Double = 1e-5,
                         relu: Bool = false) -> (y: [Float], mean: [Double], variance: [Double]) {
    var y = [Float](repeating: 0, count: s.count), means: [Double] = [], vars: [Double] = []
    for c in 0..<s.channels {
      var idx: [Int] = []
      for b in 0..<s.batch { for i in 0..<s.plane { idx.append((b * s.channels + c) * s.plane + i) } }
      let mean = idx.reduce(0.0) { $0 + Double(x[$1]) } / Double(idx.count)
      let v = idx.reduce(0.0) { $0 + (Double(x[$1]) - mean) * (Double(x[$1]) - mean) } / Double(idx.count)
      for i in idx {
        let o = (Double(x[i]) - mean) / (v + eps).squareRoot() * Double(gamma[c]) + Double(beta[c])
        y[i] = Float(relu ? max(o, 0) : o)
      }
      means.append(mean); vars.append(v)
    }
    return (y, means, vars)
  }

  func testTrainForwardAndRunningStats() {
    for (n, s) in BatchNormTests.shapes.enumerated() {
      var rng = TestRNG(UInt64(40 + n))
      let x = rng.array(s.count).map { $0 * 3 + 1.5 }, gamma = rng.array(s.channels), beta = rng.array(s.channels)
      let (ey, em, ev) = BatchNormTests.naiveTrain(s, x, gamma, beta)
      for relu in [false, true] {
        withKernelSettings { setting in
          var y = [Float](repeating: .nan, count: s.count), mean = [Float](repeating: .nan, count: s.channels)
          var invstd = mean
          var rm = [Float](repeating: 0.5, count: s.channels), rv = [Float](repeating: 2, count: s.channels)
          batchNormTrainForward(s, input: x, gamma: gamma, beta: beta, output: &y, saveMean: &mean, saveInvstd: &invstd,
                                runningMean: &rm, runningVar: &rv, momentum: 0.1, eps: 1e-5, relu: relu)
          assertClose(y, relu ? ey.map { max($0, 0) } : ey, "shape \(n) relu \(relu) \(setting)")
          assertClose(mean, em.map { Float($0) }, "mean")
          assertClose(invstd, ev.map { Float(1 / ($0 + 1e-5).squareRoot()) }, "invstd")
          let m = Double(s.reductionSize)
          assertClose(rm, em.map { Float(0.9 * 0.5 + 0.1 * $0) }, "running mean")
          assertClose(rv, ev.map { Float(0.9 * 2 + 0.1 * $0 * m / (m - 1)) }, "running var is unbiased")
        }
      }
      // affine = false: γ = 1, β = 0.
      var y = [Float](repeating: .nan, count: s.count), mean = [Float](repeating: 0, count: s.channels), invstd = mean
      batchNormTrainForward(s, input: x, gamma: nil, beta: nil, output: &y, saveMean: &mean, saveInvstd: &invstd,
                            runningMean: nil, runningVar: nil)
      assertClose(y, BatchNormTests.naiveTrain(s, x, .init(repeating: 1, count: s.channels), .init(repeating: 0, count: s.channels)).y)
    }
  }

  /// The one-pass statistics keep their digits when the mean dwarfs the spread (activations
  /// around 1000 with std 0.01: E[x²] − E[x]² in Float would lose every digit), and a NaN input
  /// gives NaN statistics rather than a silently clamped variance.
  func testStatisticsSurviveALargeMeanAndPropagateNaN() {
    let s = BatchNormShape(batch: 4, channels: 2, plane: 300)
    var rng = TestRNG(77)
    var x = rng.array(s.count).map { 1000 + 0.01 * $0 }
    x[0] = 1000.03   // the channel's first value (the shift) an outlier
    let (_, em, ev) = BatchNormTests.naiveTrain(s, x, [1, 1], [0, 0])
    withKernelSettings { setting in
      var y = [Float](repeating: .nan, count: s.count), mean = [Float](repeating: .nan, count: 2), invstd = mean
      batchNormTrainForward(s, input: x, gamma: nil, beta: nil, output: &y, saveMean: &mean, saveInvstd: &invstd,
                            runningMean: nil, runningVar: nil, eps: 0)
      for c in 0..<2 {
        XCTAssertEqual(Double(mean[c]), em[c], accuracy: 1e-4, "mean \(c) \(setting)")
        XCTAssertEqual(Double(1 / (invstd[c] * invstd[c])), ev[c], accuracy: 1e-3 * ev[c], "variance \(c) \(setting)")
      }
    }
    x[5] = .nan
    var y = [Float](repeating: 0, count: s.count), mean = [Float](repeating: 0, count: 2), invstd = mean
    batchNormTrainForward(s, input: x, gamma: nil, beta: nil, output: &y, saveMean: &mean, saveInvstd: &invstd,
                          runningMean: nil, runningVar: nil)
    XCTAssertTrue(mean[0].isNaN && invstd[0].isNaN && y[6].isNaN, "NaN in channel 0 must reach its statistics and outputs")
    XCTAssertFalse(mean[1].isNaN || invstd[1].isNaN, "channel 1 holds no NaN")
  }

  func testEvalForward() {
    let s = BatchNormTests.shapes[0]
    var rng = TestRNG(50)
    let x = rng.array(s.count), gamma = rng.array(s.channels), beta = rng.array(s.channels)
    let rm = rng.array(s.channels), rv = rng.array(s.channels).map { abs($0) + 0.1 }
    for relu in [false, true] {
      var y = [Float](repeating: .nan, count: s.count)
      batchNormEvalForward(s, input: x, gamma: gamma, beta: beta, runningMean: rm, runningVar: rv, output: &y, relu: relu)
      let expected = (0..<s.count).map { i -> Float in
        let c = (i / s.plane) % s.channels
        let v = (x[i] - rm[c]) / (rv[c] + 1e-5).squareRoot() * gamma[c] + beta[c]
        return relu ? max(v, 0) : v
      }
      assertClose(y, expected, atol: 1e-5)
    }
  }

  func testBackwardFiniteDifferences() {
    for (n, s) in BatchNormTests.shapes.enumerated() {
      for relu in [false, true] {
        var rng = TestRNG(UInt64(60 + n))
        let x = rng.array(s.count), gamma = rng.array(s.channels), beta = rng.array(s.channels), r = rng.array(s.count)
        var y = [Float](repeating: 0, count: s.count), mean = [Float](repeating: 0, count: s.channels), invstd = mean
        batchNormTrainForward(s, input: x, gamma: gamma, beta: beta, output: &y, saveMean: &mean, saveInvstd: &invstd,
                              runningMean: nil, runningVar: nil, relu: relu)
        var dx = [Float](repeating: .nan, count: s.count)
        var dg = [Float](repeating: .nan, count: s.channels), db = dg
        batchNormBackward(s, gradOutput: r, input: x, gamma: gamma, saveMean: mean, saveInvstd: invstd,
                          gradInput: &dx, gradGamma: &dg, gradBeta: &db, reluOutput: relu ? y : nil)
        let loss = { (x: [Float], g: [Float], b: [Float]) in dot(BatchNormTests.naiveTrain(s, x, g, b, relu: relu).y, r) }
        for i in 0..<s.count {
          XCTAssertEqual(Double(dx[i]), finiteDifference(x, i, eps: 1e-3) { loss($0, gamma, beta) }, accuracy: 2e-2,
                         "dx[\(i)] shape \(n) relu \(relu)")
        }
        for c in 0..<s.channels {
          XCTAssertEqual(Double(dg[c]), finiteDifference(gamma, c, eps: 1e-3) { loss(x, $0, beta) }, accuracy: 1e-2, "dgamma \(c)")
          XCTAssertEqual(Double(db[c]), finiteDifference(beta, c, eps: 1e-3) { loss(x, gamma, $0) }, accuracy: 1e-2, "dbeta \(c)")
        }
        // accumulate adds onto what is there.
        var dg2 = dg, db2 = db
        batchNormBackward(s, gradOutput: r, input: x, gamma: gamma, saveMean: mean, saveInvstd: invstd,
                          gradInput: nil, gradGamma: &dg2, gradBeta: &db2, accumulateParams: true, reluOutput: relu ? y : nil)
        assertClose(dg2, dg.map { 2 * $0 }); assertClose(db2, db.map { 2 * $0 })
      }
    }
  }

  func testFusedConvBatchNormReLUEval() {
    let s = Conv2dShape(batch: 2, inChannels: 3, height: 6, width: 5, outChannels: 4, kernel: 3, padding: 1)
    var rng = TestRNG(70)
    let x = rng.array(s.inputCount), w = rng.array(s.weightCount), bias = rng.array(s.outChannels)
    let gamma = rng.array(s.outChannels), beta = rng.array(s.outChannels)
    let rm = rng.array(s.outChannels), rv = rng.array(s.outChannels).map { abs($0) + 0.2 }
    let conv = NaiveConv.forward(s, x, w, bias)
    var bn = [Float](repeating: 0, count: s.outputCount)
    batchNormEvalForward(BatchNormShape(batch: 2, channels: 4, height: 6, width: 5), input: conv, gamma: gamma, beta: beta,
                         runningMean: rm, runningVar: rv, output: &bn, relu: true)
    var y = [Float](repeating: .nan, count: s.outputCount)
    conv2dBatchNormEvalForward(s, input: x, weight: w, bias: bias, gamma: gamma, beta: beta, runningMean: rm, runningVar: rv,
                               output: &y, relu: true)
    assertClose(y, bn, atol: 1e-4)
  }
}
