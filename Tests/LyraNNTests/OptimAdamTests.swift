import Foundation
import XCTest
import LyraTensor
@testable import LyraNN

final class OptimAdamTests: XCTestCase {
  /// Adam / AdamW written out in Doubles from the papers' algorithm with PyTorch's
  /// placement of eps (after the bias correction of √v).
  static func reference(beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay wd: Double = 0,
                        amsgrad: Bool = false, decoupled: Bool = false) -> (inout [[Double]], [[Double]], Double) -> Void {
    var m: [[Double]] = OptimProblem.start.map { $0.map { _ in 0 } }
    var v = m, vmax = m
    var t = 0
    return { w, g, lr in
      t += 1
      for k in 0..<w.count {
        for i in 0..<w[k].count {
          if decoupled { w[k][i] *= 1 - lr * wd }
          let gi = decoupled ? g[k][i] : g[k][i] + wd * w[k][i]
          m[k][i] = beta1 * m[k][i] + (1 - beta1) * gi
          v[k][i] = beta2 * v[k][i] + (1 - beta2) * gi * gi
          vmax[k][i] = max(vmax[k][i], v[k][i])
          let mHat = m[k][i] / (1 - pow(beta1, Double(t)))
          let vHat = (amsgrad ? vmax[k][i] : v[k][i]) / (1 - pow(beta2, Double(t)))
          w[k][i] -= lr * mHat / (vHat.squareRoot() + eps)
        }
      }
    }
  }

  func testAdamDefaults() {
    OptimProblem.checkTrajectory({ Adam($0, lr: 0.05) }, reference: Self.reference())
  }

  func testAdamL2WeightDecayAndBetas() {
    OptimProblem.checkTrajectory({ Adam($0, lr: 0.05, betas: (0.8, 0.99), eps: 1e-6, weightDecay: 0.1) },
                                 reference: Self.reference(beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1))
  }

  func testAdamAMSGrad() {
    OptimProblem.checkTrajectory({ Adam($0, lr: 0.05, betas: (0.9, 0.9), weightDecay: 0.01, amsgrad: true) }, steps: 12,
                                 reference: Self.reference(beta2: 0.9, weightDecay: 0.01, amsgrad: true))
  }

  func testAdamWDecoupledDecay() {
    OptimProblem.checkTrajectory({ AdamW($0, lr: 0.05, weightDecay: 0.5) }, lrAt: { 0.05 / Double($0 + 1) },
                                 reference: Self.reference(weightDecay: 0.5, decoupled: true))
  }

  func testAdamWAMSGrad() {
    OptimProblem.checkTrajectory({ AdamW($0, lr: 0.05, betas: (0.9, 0.9), amsgrad: true) }, steps: 12,
                                 reference: Self.reference(beta2: 0.9, weightDecay: 0.01, amsgrad: true, decoupled: true))
  }

  func testDefaults() {
    let p = [Tensor([1]).requiresGrad_()]
    let a = Adam(p), w = AdamW(p)
    XCTAssertEqual(a.lr, 1e-3); XCTAssertEqual(a.betas.0, 0.9); XCTAssertEqual(a.betas.1, 0.999)
    XCTAssertEqual(a.eps, 1e-8); XCTAssertEqual(a.weightDecay, 0); XCTAssertFalse(a.amsgrad)
    XCTAssertEqual(w.weightDecay, 0.01)
  }

  /// L2 decay (Adam) and decoupled decay (AdamW) give different trajectories, and
  /// AMSGrad changes the trajectory when v shrinks (so the variant tests can fail).
  func testVariantsAreDistinguishable() {
    func after(_ opt: ([Tensor]) -> Optimizer) -> [Double] {
      let p = OptimProblem.makeParams(), o = opt(p)
      for t in 0..<10 { OptimProblem.setGrads(p, step: t); o.step() }
      return Array(OptimProblem.values(p).joined())
    }
    let l2 = after { Adam($0, lr: 0.05, weightDecay: 0.5) }
    let dec = after { AdamW($0, lr: 0.05, weightDecay: 0.5) }
    let plain = after { Adam($0, lr: 0.05, betas: (0.9, 0.9)) }
    let ams = after { Adam($0, lr: 0.05, betas: (0.9, 0.9), amsgrad: true) }
    XCTAssertGreaterThan(zip(l2, dec).map { abs($0 - $1) }.max()!, 1e-3)
    XCTAssertGreaterThan(zip(plain, ams).map { abs($0 - $1) }.max()!, 1e-4)
  }

  func testQuadraticReachesOptimum() {
    for make in [{ Adam($0, lr: 0.05) }, { Adam($0, lr: 0.05, amsgrad: true) },
                 { AdamW($0, lr: 0.05, weightDecay: 0) }] as [([Tensor]) -> Optimizer] {
      let r = OptimProblem.minimiseQuadratic(make, steps: 1500)
      for i in 0..<r.c.count { XCTAssertEqual(r.w[i], r.c[i], accuracy: 2e-3) }
    }
  }

  /// Adam's L2 decay moves the optimum to a·c/(a + wd), like SGD's.
  func testQuadraticWithL2ReachesShiftedOptimum() {
    let wd = 0.2
    let r = OptimProblem.minimiseQuadratic({ Adam($0, lr: 0.05, weightDecay: wd) }, steps: 1500)
    for i in 0..<r.c.count { XCTAssertEqual(r.w[i], r.a[i] * r.c[i] / (r.a[i] + wd), accuracy: 2e-3) }
  }

  func testSkipsParamsWithoutGrad() {
    let a = Tensor([1]).requiresGrad_(), b = Tensor([2]).requiresGrad_()
    let opt = Adam([a, b], lr: 0.1)
    a.grad = Tensor([3])
    opt.step(); opt.step()
    XCTAssertEqual(b.toArray(), [2])
    XCTAssertEqual(opt.stateDict().steps, [0: 2])
    // First Adam step moves by lr·sign(g) (bias-corrected m/√v = ±1, up to eps).
    XCTAssertEqual(a.toArray()[0], 0.8, accuracy: 1e-5)
  }
}
