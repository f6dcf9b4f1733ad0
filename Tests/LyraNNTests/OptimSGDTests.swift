import Foundation
import XCTest
import LyraTensor
@testable import LyraNN

final class OptimSGDTests: XCTestCase {
  /// PyTorch's SGD written out in Doubles, independently of the implementation.
  static func reference(momentum mu: Double = 0, dampening: Double = 0, weightDecay wd: Double = 0,
                        nesterov: Bool = false) -> (inout [[Double]], [[Double]], Double) -> Void {
    var buf: [[Double]?] = [nil, nil]
    return { w, g, lr in
      for k in 0..<w.count {
        var d = (0..<w[k].count).map { g[k][$0] + wd * w[k][$0] }
        if mu != 0 {
          if let b = buf[k] {
            buf[k] = (0..<d.count).map { mu * b[$0] + (1 - dampening) * d[$0] }
          } else {
            buf[k] = d
          }
          let b = buf[k]!
          d = nesterov ? (0..<d.count).map { d[$0] + mu * b[$0] } : b
        }
        for i in 0..<d.count { w[k][i] -= lr * d[i] }
      }
    }
  }

  func testPlain() {
    OptimProblem.checkTrajectory({ SGD($0, lr: 0.1) }, reference: Self.reference())
  }

  func testWeightDecay() {
    OptimProblem.checkTrajectory({ SGD($0, lr: 0.1, weightDecay: 0.05) }, reference: Self.reference(weightDecay: 0.05))
  }

  func testMomentumDampeningWeightDecay() {
    OptimProblem.checkTrajectory({ SGD($0, lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 1e-2) },
                                 reference: Self.reference(momentum: 0.9, dampening: 0.3, weightDecay: 1e-2))
  }

  func testNesterovWithWeightDecayAndChangingRate() {
    OptimProblem.checkTrajectory({ SGD($0, lr: 0.05, momentum: 0.8, weightDecay: 1e-3, nesterov: true) },
                                 lrAt: { 0.05 * pow(0.8, Double($0)) },
                                 reference: Self.reference(momentum: 0.8, weightDecay: 1e-3, nesterov: true))
  }

  /// The variants really differ, so each trajectory test can tell them apart.
  func testVariantsAreDistinguishable() {
    func after(_ opt: ([Tensor]) -> Optimizer) -> [Double] {
      let p = OptimProblem.makeParams(), o = opt(p)
      for t in 0..<4 { OptimProblem.setGrads(p, step: t); o.step() }
      return Array(OptimProblem.values(p).joined())
    }
    let plain = after { SGD($0, lr: 0.05, momentum: 0.9) }
    let nest = after { SGD($0, lr: 0.05, momentum: 0.9, nesterov: true) }
    let damp = after { SGD($0, lr: 0.05, momentum: 0.9, dampening: 0.5) }
    XCTAssertGreaterThan(zip(plain, nest).map { abs($0 - $1) }.max()!, 1e-3)
    XCTAssertGreaterThan(zip(plain, damp).map { abs($0 - $1) }.max()!, 1e-3)
  }

  /// The anchor's optimiser: momentum 0.9, v = 0.9·v + g; w −= lr·v (docs/architecture.md#reference-models-and-benchmark-problems).
  func testAnchorMomentumForm() {
    let w = Tensor([1]).requiresGrad_()
    let opt = SGD([w], lr: 0.05, momentum: 0.9)
    w.grad = Tensor([2]); opt.step()   // v = 2, w = 1 − 0.1
    XCTAssertEqual(w.toArray()[0], 0.9, accuracy: 1e-7)
    w.grad = Tensor([1]); opt.step()   // v = 1.8 + 1 = 2.8, w = 0.9 − 0.14
    XCTAssertEqual(w.toArray()[0], 0.76, accuracy: 1e-6)
  }

  func testQuadraticReachesOptimum() {
    for make in [{ SGD($0, lr: 0.1) }, { SGD($0, lr: 0.1, momentum: 0.9) },
                 { SGD($0, lr: 0.1, momentum: 0.9, nesterov: true) }] as [([Tensor]) -> Optimizer] {
      let r = OptimProblem.minimiseQuadratic(make, steps: 400)
      for i in 0..<r.c.count { XCTAssertEqual(r.w[i], r.c[i], accuracy: 1e-4) }
    }
  }

  /// With weight decay the optimum of ½Σa(w−c)² + ½·wd·|w|² is a·c/(a + wd).
  func testQuadraticWithWeightDecayReachesShiftedOptimum() {
    let wd = 0.2
    let r = OptimProblem.minimiseQuadratic({ SGD($0, lr: 0.1, momentum: 0.9, weightDecay: wd) }, steps: 400)
    for i in 0..<r.c.count { XCTAssertEqual(r.w[i], r.a[i] * r.c[i] / (r.a[i] + wd), accuracy: 1e-4) }
  }

  func testParamsWithoutGradAreSkippedAndZeroGrad() {
    let a = Tensor([1, 2]).requiresGrad_(), b = Tensor([3]).requiresGrad_()
    let opt = SGD([a, b], lr: 0.5, momentum: 0.9)
    a.grad = Tensor([1, 1])
    opt.step()
    XCTAssertEqual(a.toArray(), [0.5, 1.5])
    XCTAssertEqual(b.toArray(), [3])
    XCTAssertEqual(Set(opt.stateDict().buffers.keys), ["0.momentum_buffer"])
    opt.zeroGrad(setToNone: false)
    XCTAssertEqual(a.grad?.toArray(), [0, 0])
    opt.zeroGrad()
    XCTAssertNil(a.grad)
  }
}
