import Foundation
import XCTest
import LyraTensor
@testable import LyraNN

/// RMSprop, Adagrad and Adadelta against their update rules written out in Doubles
/// (PyTorch's formulas, independently of the fused Float loops), on the quadratic's
/// minimum, and through the factory. Resume (state save/load) is in OptimStateTests.
final class OptimAdaptiveTests: XCTestCase {
  typealias Reference = (inout [[Double]], [[Double]], Double) -> Void
  static var zeros: [[Double]] { OptimProblem.start.map { $0.map { _ in 0 } } }

  static func rmsprop(alpha: Double = 0.99, eps: Double = 1e-8, wd: Double = 0, momentum: Double = 0, centered: Bool = false) -> Reference {
    var v = zeros, gavg = zeros, buf = zeros
    return { w, g, lr in
      for k in 0..<w.count {
        for i in 0..<w[k].count {
          let gi = g[k][i] + wd * w[k][i]
          v[k][i] = alpha * v[k][i] + (1 - alpha) * gi * gi
          var vh = v[k][i]
          if centered {
            gavg[k][i] = alpha * gavg[k][i] + (1 - alpha) * gi
            vh -= gavg[k][i] * gavg[k][i]
          }
          let u = gi / (vh.squareRoot() + eps)
          if momentum > 0 {
            buf[k][i] = momentum * buf[k][i] + u
            w[k][i] -= lr * buf[k][i]
          } else {
            w[k][i] -= lr * u
          }
        }
      }
    }
  }

  static func adagrad(lrDecay: Double = 0, wd: Double = 0, initial: Double = 0, eps: Double = 1e-10) -> Reference {
    var sum = OptimProblem.start.map { $0.map { _ in initial } }
    var t = 0
    return { w, g, lr in
      t += 1
      let clr = lr / (1 + Double(t - 1) * lrDecay)
      for k in 0..<w.count {
        for i in 0..<w[k].count {
          let gi = g[k][i] + wd * w[k][i]
          sum[k][i] += gi * gi
          w[k][i] -= clr * gi / (sum[k][i].squareRoot() + eps)
        }
      }
    }
  }

  static func adadelta(rho: Double = 0.9, eps: Double = 1e-6, wd: Double = 0) -> Reference {
    var v = zeros, u = zeros
    return { w, g, lr in
      for k in 0..<w.count {
        for i in 0..<w[k].count {
          let gi = g[k][i] + wd * w[k][i]
          v[k][i] = rho * v[k][i] + (1 - rho) * gi * gi
          let delta = (u[k][i] + eps).squareRoot() / (v[k][i] + eps).squareRoot() * gi
          u[k][i] = rho * u[k][i] + (1 - rho) * delta * delta
          w[k][i] -= lr * delta
        }
      }
    }
  }

  func testRMSpropFollowsPyTorchsUpdate() {
    OptimProblem.checkTrajectory({ RMSprop($0, lr: 0.01) }, reference: Self.rmsprop())
    OptimProblem.checkTrajectory({ RMSprop($0, lr: 0.02, alpha: 0.9, eps: 1e-6, weightDecay: 0.1, momentum: 0.8, centered: true) },
                                 reference: Self.rmsprop(alpha: 0.9, eps: 1e-6, wd: 0.1, momentum: 0.8, centered: true))
    // A large eps tells where it is added (outside the square root, as PyTorch).
    OptimProblem.checkTrajectory({ RMSprop($0, lr: 0.05, eps: 0.5) }, reference: Self.rmsprop(eps: 0.5))
    // A rate change on the way applies from the next step (the buffers do not depend on lr).
    OptimProblem.checkTrajectory({ RMSprop($0, lr: 0.01, momentum: 0.5) }, lrAt: { 0.01 / Double(1 + $0) },
                                 reference: Self.rmsprop(momentum: 0.5))
  }

  func testAdagradFollowsPyTorchsUpdate() {
    OptimProblem.checkTrajectory({ Adagrad($0, lr: 0.1) }, reference: Self.adagrad())
    OptimProblem.checkTrajectory({ Adagrad($0, lr: 0.1, eps: 0.5) }, reference: Self.adagrad(eps: 0.5))
    OptimProblem.checkTrajectory({ Adagrad($0, lr: 0.3, lrDecay: 0.05, weightDecay: 0.2, initialAccumulatorValue: 0.5, eps: 1e-6) },
                                 reference: Self.adagrad(lrDecay: 0.05, wd: 0.2, initial: 0.5, eps: 1e-6))
  }

  func testAdadeltaFollowsPyTorchsUpdate() {
    // Adadelta's first steps are ~√eps small: lr 50 so the weights move enough to be checked.
    OptimProblem.checkTrajectory({ Adadelta($0, lr: 50) }, reference: Self.adadelta())
    OptimProblem.checkTrajectory({ Adadelta($0, lr: 20, rho: 0.5, eps: 1e-3, weightDecay: 0.1) },
                                 reference: Self.adadelta(rho: 0.5, eps: 1e-3, wd: 0.1))
  }

  /// The variants differ (a reference that ignored an option would still pass above only
  /// if that option made no difference).
  func testOptionsChangeTheTrajectory() {
    func run(_ make: ([Tensor]) -> Optimizer) -> [Float] {
      let p = OptimProblem.makeParams(), opt = make(p)
      for t in 0..<4 { OptimProblem.setGrads(p, step: t); opt.step() }
      return p.flatMap { $0.toArray() }
    }
    XCTAssertNotEqual(run { RMSprop($0) }, run { RMSprop($0, centered: true) })
    XCTAssertNotEqual(run { RMSprop($0) }, run { RMSprop($0, momentum: 0.9) })
    XCTAssertNotEqual(run { Adagrad($0) }, run { Adagrad($0, lrDecay: 0.5) })
    XCTAssertNotEqual(run { Adadelta($0) }, run { Adadelta($0, rho: 0.5) })
  }

  func testQuadraticReachesOptimum() {
    let cases: [(String, ([Tensor]) -> Optimizer, Int, Double)] = [
      ("RMSprop", { RMSprop($0, lr: 0.01) }, 2000, 1e-2),
      ("RMSprop centered momentum", { RMSprop($0, lr: 0.005, momentum: 0.9, centered: true) }, 2000, 1e-2),
      ("Adagrad", { Adagrad($0, lr: 0.5) }, 2000, 1e-3),
      ("Adadelta", { Adadelta($0, lr: 1) }, 3000, 1e-2),
    ]
    for (name, make, steps, tol) in cases {
      let r = OptimProblem.minimiseQuadratic(make, steps: steps)
      for (w, c) in zip(r.w, r.c) { XCTAssertEqual(w, c, accuracy: tol, name) }
    }
  }

  func testFactoryDefaultsAndErrors() throws {
    let p = OptimProblem.makeParams()
    let r = try XCTUnwrap(try Optimizers.make(name: "rmsprop", params: p, options: ["momentum": 0.9, "centered": true]) as? RMSprop)
    XCTAssertEqual(r.lr, 1e-2); XCTAssertEqual(r.alpha, 0.99); XCTAssertEqual(r.eps, 1e-8); XCTAssertTrue(r.centered)
    let a = try XCTUnwrap(try Optimizers.make(name: "Adagrad", params: p, options: ["lrDecay": 0.1]) as? Adagrad)
    XCTAssertEqual(a.lr, 1e-2); XCTAssertEqual(a.lrDecay, 0.1); XCTAssertEqual(a.eps, 1e-10)
    let d = try XCTUnwrap(try Optimizers.make(name: "Adadelta", params: p) as? Adadelta)
    XCTAssertEqual(d.lr, 1); XCTAssertEqual(d.rho, 0.9); XCTAssertEqual(d.eps, 1e-6)
    XCTAssertThrowsError(try Optimizers.make(name: "Adadelta", params: p, options: ["rho": 1.5])) { XCTAssertTrue("\($0)".contains("rho"), "\($0)") }
    XCTAssertThrowsError(try Optimizers.make(name: "RMSprop", params: p, options: ["betas": [0.9, 0.9]])) {
      XCTAssertTrue("\($0)".contains("alpha"), "\($0)")
    }
    XCTAssertThrowsError(try Optimizers.make(name: "Adagrad", params: p, options: ["lr": -1])) { XCTAssertTrue("\($0)".contains("learning rate"), "\($0)") }
  }
}

/// L-BFGS: the first iteration by hand, Newton's step on a 1-D quadratic once it has
/// one curvature pair, convergence on an ill-conditioned quadratic, and the early stops.
final class OptimLBFGSTests: XCTestCase {
  /// ½ Σ a (w − c)² with its gradient set on w; returns the loss.
  static func quadratic(_ w: Tensor, a: [Float], c: [Float]) -> Double {
    w.zeroGrad()
    let loss = w.sub(Tensor(c)).square().mul(Tensor(a)).sum().mul(0.5)
    loss.backward()
    return Double(loss.item())
  }

  func testFirstIterationIsAScaledGradientStep() {
    let w = Tensor([1, -1, 2]).requiresGrad_()
    let a: [Float] = [1, 2, 3], c: [Float] = [0, 0, 0]
    let opt = LBFGS([w], lr: 0.5, maxIter: 1)
    let loss = opt.step { Self.quadratic(w, a: a, c: c) }
    // g = a·w = {1, -2, 6}, |g|₁ = 9, t = min(1, 1/9)·0.5.
    let t: Float = 0.5 / 9
    XCTAssertEqual(loss, 0.5 * (1 + 2 + 12), accuracy: 1e-6)
    XCTAssertEqual(w.toArray(), [1 - t * 1, -1 + t * 2, 2 - t * 6])
    XCTAssertEqual(opt.evaluations, 1)
  }

  func testOneDimensionalQuadraticTakesNewtonsStep() {
    // After one pair, H = sᵀy / yᵀy = 1/a exactly, so the second iteration lands on c.
    let w = Tensor([5]).requiresGrad_()
    let opt = LBFGS([w], maxIter: 3) // max_eval 3: the evaluation after the second iteration ends it
    opt.step { Self.quadratic(w, a: [4], c: [1.5]) }
    XCTAssertEqual(w.toArray()[0], 1.5, accuracy: 1e-5)
    XCTAssertEqual(opt.iterations, 2)
  }

  func testConvergesOnAnIllConditionedQuadratic() {
    let a: [Float] = [1, 10, 0.5, 40, 3], c: [Float] = [1, -2, 3, 0.5, -0.7]
    let w = Tensor.zeros([5]).requiresGrad_()
    let opt = LBFGS([w], maxIter: 100, historySize: 10)
    opt.step { Self.quadratic(w, a: a, c: c) }
    for (v, target) in zip(w.toArray(), c) { XCTAssertEqual(v, target, accuracy: 1e-4) }
    XCTAssertLessThanOrEqual(opt.evaluations, 125, "max_eval = max_iter * 5 / 4")
    // Plain gradient descent at its stable rate is far from the optimum after as many evaluations.
    let g = Tensor.zeros([5]).requiresGrad_()
    let sgd = SGD([g], lr: 1.0 / 40)
    for _ in 0..<opt.evaluations { _ = Self.quadratic(g, a: a, c: c); sgd.step() }
    XCTAssertGreaterThan(abs(g.toArray()[2] - c[2]), 0.1)
  }

  func testStopsAtAZeroGradientAndPropagatesClosureErrors() {
    let w = Tensor([1.5]).requiresGrad_()
    let opt = LBFGS([w])
    opt.step { Self.quadratic(w, a: [4], c: [1.5]) }
    XCTAssertEqual(opt.evaluations, 1, "already optimal: one evaluation, no iteration")
    XCTAssertEqual(opt.iterations, 0)
    struct Boom: Error {}
    XCTAssertThrowsError(try opt.step { throw Boom() })
  }
}
