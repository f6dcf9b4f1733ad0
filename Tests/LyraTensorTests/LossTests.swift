import XCTest
import Foundation
@testable import LyraTensor

final class LossTests: XCTestCase {
  func naiveLogSoftmax(_ row: [Float]) -> [Double] {
    let m = Double(row.max()!)
    let lse = m + Foundation.log(row.reduce(0.0) { $0 + Foundation.exp(Double($1) - m) })
    return row.map { Double($0) - lse }
  }

  func testSoftmaxAndLogSoftmax() {
    let s = [3, 5, 7]
    let a = param(s, seed: 1)
    for d in 0..<3 {
      let y = a.softmax(d), ly = a.logSoftmax(d)
      let av = a.toArray(), yv = y.toArray(), lyv = ly.toArray()
      var os = s
      os.remove(at: d)
      for i in 0..<Shape.count(os) {
        var c = coords(i, os)
        c.insert(0, at: d)
        let idx = (0..<s[d]).map { k -> Int in c[d] = k; return flat(c, s) }
        let ref = naiveLogSoftmax(idx.map { av[$0] })
        for (k, j) in idx.enumerated() {
          XCTAssertEqual(Double(lyv[j]), ref[k], accuracy: 1e-5)
          XCTAssertEqual(Double(yv[j]), Foundation.exp(ref[k]), accuracy: 1e-6)
        }
      }
      gradCheck([a]) { $0[0].softmax(d) }
      gradCheck([a]) { $0[0].logSoftmax(d) }
    }
    // Large logits do not overflow.
    XCTAssertEqual(Tensor([1000, 1000]).softmax().toArray(), [0.5, 0.5])
    XCTAssertFalse(Tensor([1000, -1000]).logSoftmax().toArray().contains { !$0.isFinite })
  }

  func testCrossEntropy() {
    let logits = param([6, 5], seed: 2, scale: 2)
    let targets = Tensor(indices: [0, 4, 2, 2, 1, 3])
    for eps: Float in [0, 0.1] {
      var ref = 0.0
      let lv = logits.toArray()
      for i in 0..<6 {
        let lp = naiveLogSoftmax(Array(lv[(i * 5)..<(i * 5 + 5)]))
        let t = targets.toIntArray()[i]
        ref += -(1 - Double(eps)) * lp[t] - Double(eps) / 5 * lp.reduce(0, +)
      }
      XCTAssertEqual(Double(Tensor.crossEntropy(logits, targets, labelSmoothing: eps).item()), ref / 6, accuracy: 1e-5)
      gradCheck([logits]) { Tensor.crossEntropy($0[0], targets, labelSmoothing: eps) }
    }
    // Equals the composed NLL of log_softmax.
    let composed = logits.logSoftmax(1).gather(1, targets.reshape([6, 1])).mean().neg()
    XCTAssertEqual(composed.item(), Tensor.crossEntropy(logits, targets).item(), accuracy: 1e-5)
  }

  func testBCEWithLogits() {
    let x = param([3, 5, 7], seed: 3, scale: 3)
    let y = Tensor.rand([3, 5, 7])
    let ref = zip(x.toArray(), y.toArray()).map { xi, yi -> Double in
      let s = 1 / (1 + Foundation.exp(-Double(xi)))
      return -(Double(yi) * Foundation.log(s) + (1 - Double(yi)) * Foundation.log(1 - s))
    }.reduce(0, +) / 105
    XCTAssertEqual(Double(Tensor.bceWithLogits(x, y).item()), ref, accuracy: 1e-5)
    gradCheck([x]) { Tensor.bceWithLogits($0[0], y) }
    XCTAssertTrue(Tensor.bceWithLogits(Tensor([500, -500]), Tensor([0, 1])).item().isFinite)
  }

  func testMSEAndL1() {
    let a = param([3, 5, 7], seed: 4), b = param([3, 5, 7], seed: 5)
    let d = zip(a.toArray(), b.toArray()).map { Double($0 - $1) }
    XCTAssertEqual(Double(Tensor.mseLoss(a, b).item()), d.map { $0 * $0 }.reduce(0, +) / 105, accuracy: 1e-5)
    XCTAssertEqual(Double(Tensor.l1Loss(a, b).item()), d.map { Swift.abs($0) }.reduce(0, +) / 105, accuracy: 1e-5)
    gradCheck([a, b]) { Tensor.mseLoss($0[0], $0[1]) }
    gradCheck([a, b]) { Tensor.l1Loss($0[0], $0[1]) }
  }

  func testTinyTrainingLoopLearns() {
    // Logistic regression on a separable problem: the loss must drop.
    let g = LyraKernelsGen.make(5)
    let x = Tensor.randn([64, 3], generator: g)
    let labels = Tensor(indices: x.toArray().enumerated().filter { $0.offset % 3 == 0 }.map { $0.element > 0 ? 1 : 0 })
    let w = Tensor.zeros([2, 3]).requiresGrad_(), b = Tensor.zeros([2]).requiresGrad_()
    var first: Float = 0, last: Float = 0
    for step in 0..<50 {
      w.zeroGrad(); b.zeroGrad()
      let loss = Tensor.crossEntropy(Tensor.linear(x, w, b), labels)
      loss.backward()
      Tensor.noGrad {
        w.add_(w.grad!, alpha: -0.5)
        b.add_(b.grad!, alpha: -0.5)
      }
      if step == 0 { first = loss.item() }
      last = loss.item()
    }
    XCTAssertLessThan(last, first * 0.5)
  }
}

import LyraBase
enum LyraKernelsGen { static func make(_ s: UInt64) -> Generator { Generator(seed: s) } }
