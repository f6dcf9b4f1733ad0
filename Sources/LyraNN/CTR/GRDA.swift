import Foundation
import LyraTensor

/// Generalized Regularized Dual Averaging (Chao, Wang, Xing & Cheng 2020, "Directional
/// pruning of deep neural networks", arXiv:2006.09358), VEGA's `gRDA` with its `lr`, `c`
/// and `mu`: the optimiser AutoFIS trains its interaction gates with, because it drives
/// weights to *exact* zeros, so pruning is reading which gates are 0.
///
/// State per parameter: the accumulator a_n = w_0 − lr·Σ g_k and the soft threshold
/// λ_n = c·lr^(1/2+mu)·n^mu; the weight is sign(a_n)·max(|a_n| − λ_n, 0). The threshold
/// grows with n (mu < 1 keeps it sublinear), so a gate whose gradients do not consistently
/// push it away from 0 ends at exactly 0.
public final class GRDA: Optimizer {
  public let name = "GRDA"
  public let params: [Tensor]
  public var lr: Double
  public var c: Double
  public var mu: Double
  private var accumulators: [[Float]?]
  private var iterations: [Int]

  public init(_ params: [Tensor], lr: Double = 0.01, c: Double = 0, mu: Double = 0.7) throws {
    guard lr > 0 else { throw OptimizerError("GRDA: lr must be positive, got \(lr)") }
    guard c >= 0 else { throw OptimizerError("GRDA: c must be ≥ 0, got \(c)") }
    guard mu > 0 && mu < 1 else { throw OptimizerError("GRDA: mu must be in (0, 1), got \(mu)") }
    OptimizerChecks.checkParams(params, "GRDA")
    self.params = params
    self.lr = lr
    self.c = c
    self.mu = mu
    accumulators = Array(repeating: nil, count: params.count)
    iterations = Array(repeating: 0, count: params.count)
  }

  public var hyperparameters: [String: Double] { ["lr": lr, "c": c, "mu": mu] }

  /// The soft threshold after n steps.
  public func threshold(after n: Int) -> Double { c * pow(lr, 0.5 + mu) * pow(Double(n), mu) }

  public func step() {
    for (k, p) in params.enumerated() {
      guard let g = OptimizerChecks.gradient(of: p, "GRDA") else { continue }
      let w = p.storage.floats + p.offset
      var a = accumulators[k] ?? Array(UnsafeBufferPointer(start: w, count: p.count))
      let gv = g.toArray()
      iterations[k] += 1
      let lam = Float(threshold(after: iterations[k])), step = Float(lr)
      for i in 0..<a.count {
        a[i] -= step * gv[i]
        let shrunk = abs(a[i]) - lam
        w[i] = shrunk > 0 ? (a[i] < 0 ? -shrunk : shrunk) : 0
      }
      accumulators[k] = a
    }
  }

  public func stateDict() -> OptimizerState {
    var s = OptimizerState(optimizer: name, hyperparameters: hyperparameters)
    for (k, a) in accumulators.enumerated() {
      guard let a else { continue }
      s.buffers["\(k).accumulator"] = a
      s.steps[k] = iterations[k]
    }
    return s
  }

  public func loadStateDict(_ state: OptimizerState) throws {
    try state.validate(for: name, paramCount: params.count, bufferNames: ["accumulator"], hyper: Set(hyperparameters.keys))
    var acc: [[Float]?] = [], its: [Int] = []
    for (k, p) in params.enumerated() {
      acc.append(try state.buffer(k, "accumulator", count: p.count))
      its.append(state.steps[k] ?? 0)
    }
    (accumulators, iterations) = (acc, its)
    lr = state.hyperparameters["lr"] ?? lr
    c = state.hyperparameters["c"] ?? c
    mu = state.hyperparameters["mu"] ?? mu
  }
}
