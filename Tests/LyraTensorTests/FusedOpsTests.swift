import XCTest
import LyraKernels
@testable import LyraTensor

/// Fused ops (BN+ReLU, add+ReLU, eval conv+BN folding) against their unfused compositions,
/// and finite-difference gradients.
final class FusedOpsTests: XCTestCase {
  /// Forward values and gradients of every input of `f` and `g` agree.
  func assertSameOpAndGrads(_ inputs: [Tensor], tol: Float = 1e-4, file: StaticString = #filePath, line: UInt = #line,
                            _ f: ([Tensor]) -> Tensor, _ g: ([Tensor]) -> Tensor) {
    let w = param(inputs[0].shape, seed: 99)  // every op here keeps the first input's shape
    func run(_ h: ([Tensor]) -> Tensor) -> ([Float], [[Float]]) {
      for t in inputs { t.grad = nil }
      let y = h(inputs)
      y.mul(w).sum().backward()
      return (y.toArray(), inputs.map { $0.grad?.toArray() ?? [] })
    }
    let (ya, ga) = run(f), (yb, gb) = run(g)
    assertClose(ya, yb, tol: tol, file: file, line: line)
    for (a, b) in zip(ga, gb) { assertClose(a, b, tol: tol, file: file, line: line) }
  }

  func testBatchNormReluTrainingMatchesUnfused() {
    let x = param([4, 3, 5, 5], seed: 1), gamma = param([3], seed: 2, scale: 0.5, shift: 1), beta = param([3], seed: 3)
    let rm1 = Tensor.zeros([3]), rv1 = Tensor.ones([3]), rm2 = Tensor.zeros([3]), rv2 = Tensor.ones([3])
    assertSameOpAndGrads([x, gamma, beta], {
      Tensor.batchNorm($0[0], runningMean: rm1, runningVar: rv1, weight: $0[1], bias: $0[2], training: true, relu: true)
    }, {
      Tensor.batchNorm($0[0], runningMean: rm2, runningVar: rv2, weight: $0[1], bias: $0[2], training: true).relu()
    })
    assertClose(rm1.toArray(), rm2.toArray())
    assertClose(rv1.toArray(), rv2.toArray())
    gradCheck([param([3, 2, 2, 3], seed: 4), param([2], seed: 5, shift: 1), param([2], seed: 6)]) {
      Tensor.batchNorm($0[0], runningMean: nil, runningVar: nil, weight: $0[1], bias: $0[2], training: true, relu: true)
    }
  }

  func testBatchNormReluEvalMatchesUnfused() {
    let x = param([2, 3, 4, 4], seed: 7), gamma = param([3], seed: 8, shift: 1), beta = param([3], seed: 9)
    let rm = param([3], seed: 10).detach(), rv = param([3], seed: 11, scale: 0.1, shift: 1).detach()
    assertSameOpAndGrads([x, gamma, beta], {
      Tensor.batchNorm($0[0], runningMean: rm, runningVar: rv, weight: $0[1], bias: $0[2], training: false, relu: true)
    }, {
      Tensor.batchNorm($0[0], runningMean: rm, runningVar: rv, weight: $0[1], bias: $0[2], training: false).relu()
    })
    let fused = Tensor.noGrad {
      Tensor.batchNorm(x, runningMean: rm, runningVar: rv, weight: gamma, bias: beta, training: false, relu: true)
    }
    let plain = Tensor.noGrad { Tensor.batchNorm(x, runningMean: rm, runningVar: rv, weight: gamma, bias: beta, training: false).relu() }
    assertClose(fused.toArray(), plain.toArray())
  }

  func testAddReluMatchesUnfused() {
    let a = param([2, 3, 17], seed: 12), b = param([2, 3, 17], seed: 13)
    assertSameOpAndGrads([a, b], { Tensor.addRelu($0[0], $0[1]) }, { ($0[0] + $0[1]).relu() })
    // The same tensor on both sides (an identity shortcut of a block's input).
    let c = param([40], seed: 14)
    assertSameOpAndGrads([c], { Tensor.addRelu($0[0], $0[0]) }, { ($0[0] + $0[0]).relu() })
    gradCheck([param([3, 5], seed: 15), param([3, 5], seed: 16)]) { Tensor.addRelu($0[0], $0[1]) }
  }

  func testConvBatchNormEvalFoldingMatchesUnfused() {
    let x = param([3, 4, 7, 6], seed: 17), w = param([5, 4, 3, 3], seed: 18, scale: 0.3)
    let gamma = param([5], seed: 19, shift: 1).detach(), beta = param([5], seed: 20).detach()
    let rm = param([5], seed: 21).detach(), rv = param([5], seed: 22, scale: 0.1, shift: 1).detach()
    for relu in [false, true] {
      for (stride, pad) in [(1, 1), (2, 0)] {
        let (st, pd) = (Window2d(stride), Window2d(pad))
        let folded = Tensor.noGrad {
          Tensor.conv2dBatchNormEval(x, w, nil, stride: st, padding: pd, dilation: Window2d(1), groups: 1,
                                     runningMean: rm, runningVar: rv, gamma: gamma, beta: beta, eps: 1e-5, relu: relu)
        }
        let plain = Tensor.noGrad { () -> Tensor in
          let y = Tensor.batchNorm(Tensor.conv2d(x, w, stride: st, padding: pd), runningMean: rm, runningVar: rv,
                                   weight: gamma, bias: beta, training: false)
          return relu ? y.relu() : y
        }
        assertClose(folded.toArray(), plain.toArray(), tol: 1e-4)
      }
    }
    // With gradients recorded it falls back to the unfused ops (and so has gradients).
    let y = Tensor.conv2dBatchNormEval(x, w, nil, stride: Window2d(1), padding: Window2d(1), dilation: Window2d(1), groups: 1,
                                       runningMean: rm, runningVar: rv, gamma: gamma, beta: beta, eps: 1e-5, relu: true)
    y.sum().backward()
    XCTAssertNotNil(w.grad)
  }

  func testLinearAndMatmulUseSplitGemm() {
    // Big enough to be split across threads; compared with a naive product.
    let saved = KernelParallel.maxThreads
    defer { KernelParallel.maxThreads = saved }
    KernelParallel.maxThreads = 2
    let x = param([130, 300], seed: 23), wt = param([70, 300], seed: 24), b = param([70], seed: 25)
    let y = Tensor.linear(x, wt, b)
    let xa = x.toArray(), wa = wt.toArray(), ba = b.toArray()
    var ref = [Float](repeating: 0, count: 130 * 70)
    for i in 0..<130 { for j in 0..<70 {
      var s = Double(ba[j])
      for k in 0..<300 { s += Double(xa[i * 300 + k]) * Double(wa[j * 300 + k]) }
      ref[i * 70 + j] = Float(s)
    } }
    assertClose(y.toArray(), ref, tol: 1e-4)
  }
}
