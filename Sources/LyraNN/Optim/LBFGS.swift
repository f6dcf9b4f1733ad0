import Foundation
import LyraTensor

/// L-BFGS as `torch.optim.LBFGS` without a line search (its default): each `step(closure)`
/// runs up to `maxIter` iterations, each moving all parameters (seen as one flat vector)
/// along the two-loop-recursion direction built from the last `historySize` curvature
/// pairs, by `lr` (the very first step by min(1, 1/‖g‖₁)·lr). The closure recomputes the
/// loss and the gradients (zero them, forward, backward) and returns the loss.
///
/// Stops early as PyTorch: gradient max-norm ≤ tolerance_grad, a direction that is no
/// longer a descent (gᵀd > −tolerance_change), a step or a loss change below
/// tolerance_change, or `maxEval` closure calls. Curvature pairs with yᵀs ≤ 1e-10 are
/// skipped. Not an `Optimizer`: its step needs the closure. No state_dict yet; the
/// strong-Wolfe line search is not implemented.
public final class LBFGS {
  public let params: [Tensor]
  public var lr: Double
  public let maxIter: Int, maxEval: Int, historySize: Int
  public let toleranceGrad: Double, toleranceChange: Double

  // State carried between steps, as PyTorch's.
  var direction: [Float] = [], stepLength = 0.0
  var oldDirs: [[Float]] = [], oldSteps: [[Float]] = [], ro: [Double] = []
  var hDiag = 1.0
  var prevGrad: [Float] = [], prevLoss = 0.0
  /// Iterations over every step so far (PyTorch's state['n_iter']).
  public private(set) var iterations = 0
  /// Closure calls so far (state['func_evals']).
  public private(set) var evaluations = 0

  public init(_ params: [Tensor], lr: Double = 1, maxIter: Int = 20, maxEval: Int? = nil, toleranceGrad: Double = 1e-7,
              toleranceChange: Double = 1e-9, historySize: Int = 100) {
    OptimizerChecks.checkParams(params, "LBFGS")
    OptimizerChecks.mustPass {
      try LBFGS.validate(lr: lr, maxIter: maxIter, maxEval: maxEval, historySize: historySize,
                         toleranceGrad: toleranceGrad, toleranceChange: toleranceChange)
    }
    self.params = params
    self.lr = lr
    self.maxIter = maxIter
    self.maxEval = maxEval ?? maxIter * 5 / 4
    self.historySize = historySize
    self.toleranceGrad = toleranceGrad
    self.toleranceChange = toleranceChange
  }

  /// PyTorch's constructor checks, as thrown errors (the Lua binding reports them).
  public static func validate(lr: Double, maxIter: Int, maxEval: Int?, historySize: Int, toleranceGrad: Double, toleranceChange: Double) throws {
    try OptimizerChecks.atLeast("LBFGS", "learning rate", lr)
    try OptimizerChecks.require(maxIter >= 1 && (maxEval ?? 1) >= 1 && historySize >= 1,
                                "LBFGS: max_iter, max_eval and history_size must be at least 1")
    try OptimizerChecks.atLeast("LBFGS", "tolerance_grad", toleranceGrad)
    try OptimizerChecks.atLeast("LBFGS", "tolerance_change", toleranceChange)
  }

  public func zeroGrad(setToNone: Bool = true) { for p in params { p.zeroGrad(setToNone: setToNone) } }

  /// Every gradient as one flat vector (zeros for a parameter without one).
  func flatGrad() -> [Float] {
    var out: [Float] = []
    out.reserveCapacity(params.reduce(0) { $0 + $1.count })
    for p in params {
      if let g = OptimizerChecks.gradient(of: p, "LBFGS.step") {
        out.append(contentsOf: UnsafeBufferPointer(start: g.data, count: g.count))
      } else {
        out.append(contentsOf: repeatElement(0, count: p.count))
      }
    }
    return out
  }

  func addToParams(_ t: Double, _ d: [Float]) {
    var k = 0
    for p in params {
      let w = p.data
      for i in 0..<p.count { w[i] += Float(t) * d[k + i] }
      k += p.count
    }
  }

  static func dot(_ a: [Float], _ b: [Float]) -> Double {
    var s = 0.0
    for i in a.indices { s += Double(a[i]) * Double(b[i]) }
    return s
  }

  static func maxAbs(_ a: [Float]) -> Double { Double(a.reduce(0) { Swift.max($0, Swift.abs($1)) }) }

  /// One optimisation step (several iterations); returns the loss the first closure call gave.
  @discardableResult
  public func step(_ closure: () throws -> Double) rethrows -> Double {
    let originalLoss = try closure()
    var loss = originalLoss
    var evals = 1
    evaluations += 1
    var g = flatGrad()
    if LBFGS.maxAbs(g) <= toleranceGrad { return originalLoss }
    var n = 0
    while n < maxIter {
      n += 1
      iterations += 1
      if iterations == 1 {
        direction = g.map { -$0 }
        oldDirs = []; oldSteps = []; ro = []
        hDiag = 1
      } else {
        let y = zip(g, prevGrad).map { $0 - $1 }
        let s = direction.map { $0 * Float(stepLength) }
        let ys = LBFGS.dot(y, s)
        if ys > 1e-10 {
          if oldDirs.count == historySize { oldDirs.removeFirst(); oldSteps.removeFirst(); ro.removeFirst() }
          oldDirs.append(y); oldSteps.append(s); ro.append(1 / ys)
          hDiag = ys / LBFGS.dot(y, y)
        }
        // Two-loop recursion: d = −H g.
        var q = g.map { -$0 }
        var al = [Double](repeating: 0, count: oldDirs.count)
        for i in stride(from: oldDirs.count - 1, through: 0, by: -1) {
          al[i] = LBFGS.dot(oldSteps[i], q) * ro[i]
          for j in q.indices { q[j] -= Float(al[i]) * oldDirs[i][j] }
        }
        var r = q.map { $0 * Float(hDiag) }
        for i in 0..<oldDirs.count {
          let be = LBFGS.dot(oldDirs[i], r) * ro[i]
          for j in r.indices { r[j] += Float(al[i] - be) * oldSteps[i][j] }
        }
        direction = r
      }
      prevGrad = g
      prevLoss = loss
      stepLength = iterations == 1 ? Swift.min(1, 1 / Double(g.reduce(0) { $0 + Swift.abs($1) })) * lr : lr
      if LBFGS.dot(g, direction) > -toleranceChange { break }
      addToParams(stepLength, direction)
      var optimal = false
      if n != maxIter {
        loss = try closure()
        evals += 1
        evaluations += 1
        g = flatGrad()
        optimal = LBFGS.maxAbs(g) <= toleranceGrad
      }
      if n == maxIter || evals >= maxEval || optimal { break }
      if LBFGS.maxAbs(direction) * stepLength <= toleranceChange { break }
      if Swift.abs(loss - prevLoss) < toleranceChange { break }
    }
    return originalLoss
  }
}
