import Foundation
import XCTest
import LyraTensor
@testable import LyraNN

/// A small two-tensor problem for optimiser trajectories: gradients are those of
/// ½ Σ a (w − c)² plus a step-dependent perturbation (so momentum and second moments see
/// changing signs and magnitudes), computed from whichever weights are being updated.
enum OptimProblem {
  static let shapes = [[3], [2, 2]]
  static let start: [[Double]] = [[0.5, -1.0, 2.0], [1.5, -0.25, 0.75, -2.0]]
  static let a: [[Double]] = [[1, 2, 0.5], [3, 0.25, 1.5, 4]]
  static let c: [[Double]] = [[1, -2, 3], [0.5, 1, -1, 0.25]]

  static func gradient(_ w: [[Double]], step t: Int) -> [[Double]] {
    var g = w
    for k in 0..<w.count {
      for i in 0..<w[k].count {
        let noise: Double = 1.5 * sin(1.7 * Double(t) + Double(3 * k + i)) / Double(1 + t)
        g[k][i] = a[k][i] * (w[k][i] - c[k][i]) + noise
      }
    }
    return g
  }

  static func makeParams() -> [Tensor] {
    zip(start, shapes).map { Tensor($0.0.map(Float.init), shape: $0.1).requiresGrad_() }
  }

  static func values(_ params: [Tensor]) -> [[Double]] { params.map { $0.toArray().map(Double.init) } }

  /// Sets each parameter's grad from the gradient at its current (Float) values.
  static func setGrads(_ params: [Tensor], step t: Int) {
    let g = gradient(values(params), step: t)
    for (p, gk) in zip(params, g) { p.grad = Tensor(gk.map(Float.init), shape: p.shape) }
  }

  /// Runs `steps` optimiser steps and the Double `reference` update side by side and
  /// checks every weight after every step; also checks the weights really moved, so a
  /// no-op optimiser cannot pass. `lrAt` changes the rate on the way (both sides).
  static func checkTrajectory(_ makeOpt: ([Tensor]) -> Optimizer, steps: Int = 8, tolerance: Double = 2e-5,
                              lrAt: ((Int) -> Double)? = nil,
                              reference: (_ w: inout [[Double]], _ g: [[Double]], _ lr: Double) -> Void,
                              file: StaticString = #filePath, line: UInt = #line) {
    let params = makeParams()
    let opt = makeOpt(params)
    var w = start
    for t in 0..<steps {
      if let lrAt { opt.lr = lrAt(t) }
      setGrads(params, step: t)
      opt.step()
      reference(&w, gradient(w, step: t), opt.lr)
      let got = values(params)
      for k in 0..<w.count {
        for i in 0..<w[k].count {
          XCTAssertEqual(got[k][i], w[k][i], accuracy: tolerance * Swift.max(1, abs(w[k][i])),
                         "step \(t) param \(k)[\(i)]", file: file, line: line)
        }
      }
    }
    let moved = zip(values(params).joined(), start.joined()).map { abs($0 - $1) }.max()!
    XCTAssertGreaterThan(moved, 0.01, "weights did not move", file: file, line: line)
  }

  /// Minimises f(w) = ½ Σ a (w − c)² with autograd for `steps` steps; returns w.
  static func minimiseQuadratic(_ makeOpt: ([Tensor]) -> Optimizer, steps: Int) -> (w: [Double], a: [Double], c: [Double]) {
    let a: [Float] = [1, 2, 0.5, 4, 0.8], c: [Float] = [1, -2, 3, 0.5, -0.7]
    let w = Tensor.zeros([5]).requiresGrad_()
    let at = Tensor(a), ct = Tensor(c)
    let opt = makeOpt([w])
    for _ in 0..<steps {
      opt.zeroGrad()
      let loss = w.sub(ct).square().mul(at).sum().mul(0.5)
      loss.backward()
      opt.step()
    }
    return (w.toArray().map(Double.init), a.map(Double.init), c.map(Double.init))
  }
}
