import Foundation
import LyraBase

/// Two-level co-kriging (Kennedy & O'Hagan 2000; Forrester, Sóbester & Keane,
/// "Multi-fidelity optimization via surrogate modelling", 2007), as VEGA's
/// `mfasc/mfgpr.py` fits it: the high fidelity is f_h(x) = ρ·f_l(x) + δ(x) with
/// independent GPs f_l and δ, each with a `KernelParameters` kernel. The joint covariance of
/// (low points, high points) is
///
///     [ K_l(X_l, X_l)      ρ K_l(X_l, X_h)                 ]
///     [ ρ K_l(X_h, X_l)    ρ² K_l(X_h, X_h) + K_d(X_h, X_h) ]
///
/// and ρ with both kernels' parameters maximise its log marginal likelihood (ρ in
/// [−1, 1], kernel parameters in [0.001, 100], as VEGA's bounds).
///
/// Differences from VEGA's code, each on purpose: targets are centred per fidelity
/// (VEGA's `normalize_y` option; see `GaussianProcess` for why); the likelihood is
/// maximised by a Nelder–Mead simplex from the caller's starting points instead of
/// L-BFGS-B; and the low-fidelity prediction is the low-fidelity GP's posterior (VEGA's
/// `MFGPR.predict_lf` calls the high-fidelity `predict`, so its low-fidelity acquisition
/// scored the wrong function).
public struct CoKriging {
  /// (ρ, θ_l, θ_d): ρ, then log noise, log amplitude, log length scale of each kernel.
  public let theta: [Double]
  public var rho: Double { theta[0] }
  public var low: KernelParameters { KernelParameters(theta: theta[1...3]) }
  public var difference: KernelParameters { KernelParameters(theta: theta[4...6]) }
  public let logLikelihood: Double
  let lowPoints: [[Double]], highPoints: [[Double]]
  let highMean: Double
  let factor: CholeskyFactor
  let weights: [Double]
  /// The low-fidelity posterior (kernel `low`, low-fidelity points only).
  public let lowProcess: GaussianProcess

  static let jitter = 1e-10
  static var lowerBounds: [Double] { [-1] + Array(repeating: log(KernelParameters.bounds.lowerBound), count: 6) }
  static var upperBounds: [Double] { [1] + Array(repeating: log(KernelParameters.bounds.upperBound), count: 6) }

  /// The starting point VEGA's fit uses: ρ = `rho`, every kernel parameter 1.
  public static func prior(rho: Double) -> [Double] { [min(max(rho, -1), 1)] + Array(repeating: 0, count: 6) }

  /// A random starting point in the bounds (ρ uniform, kernel parameters log-uniform).
  public static func randomStart(_ g: Generator) -> [Double] {
    zip(lowerBounds, upperBounds).map { g.uniform($0, $1) }
  }

  /// The joint covariance for parameters `theta`, from the precomputed squared distances
  /// of the stacked points (low first).
  static func covariance(_ theta: [Double], distances d: [Double], nLow: Int, n: Int) -> [Double] {
    let rho = theta[0], kl = KernelParameters(theta: theta[1...3]), kd = KernelParameters(theta: theta[4...6])
    var k = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0...i {
        var v = kl.covariance(squaredDistance: d[i * n + j])
        if i >= nLow && j >= nLow { v = rho * rho * v + kd.covariance(squaredDistance: d[i * n + j]) } else if i >= nLow || j >= nLow { v *= rho }
        if i == j { v += (i < nLow ? kl.noise : rho * rho * kl.noise + kd.noise) + jitter }
        k[i * n + j] = v
        k[j * n + i] = v
      }
    }
    return k
  }

  static func logLikelihood(_ theta: [Double], distances: [Double], nLow: Int, y: [Double]) -> Double {
    let n = y.count
    guard let f = CholeskyFactor(covariance(theta, distances: distances, nLow: nLow, n: n), n: n) else { return -.infinity }
    let a = f.solve(y)
    return -0.5 * zip(y, a).reduce(0) { $0 + $1.0 * $1.1 } - 0.5 * f.logDeterminant - Double(n) / 2 * log(2 * Double.pi)
  }

  /// Fits the model: the best likelihood over a simplex search from each of `starts`
  /// (at most `evaluations` likelihoods each). Nil without points of both fidelities or
  /// when no parameters give a positive-definite covariance.
  public static func fit(lowPoints: [[Double]], lowTargets: [Double], highPoints: [[Double]], highTargets: [Double],
                         starts: [[Double]], evaluations: Int = 300) -> CoKriging? {
    guard !lowPoints.isEmpty, !highPoints.isEmpty, !starts.isEmpty else { return nil }
    let lowMean = lowTargets.reduce(0, +) / Double(lowTargets.count)
    let highMean = highTargets.reduce(0, +) / Double(highTargets.count)
    let y = lowTargets.map { $0 - lowMean } + highTargets.map { $0 - highMean }
    let all = lowPoints + highPoints
    let d = SquaredDistances.between(all, all)
    var best: (x: [Double], value: Double)?
    for s in starts {
      let r = NelderMead.minimize({ -logLikelihood($0, distances: d, nLow: lowPoints.count, y: y) }, start: s,
                                  lower: lowerBounds, upper: upperBounds, step: 1, maxEvaluations: evaluations)
      if r.value.isFinite, best == nil || r.value < best!.value { best = r }
    }
    guard let best, let f = CholeskyFactor(covariance(best.x, distances: d, nLow: lowPoints.count, n: all.count), n: all.count),
          let lowGP = GaussianProcess(points: lowPoints, targets: lowTargets, kernel: KernelParameters(theta: best.x[1...3]), jitter: jitter)
    else { return nil }
    return CoKriging(theta: best.x, logLikelihood: -best.value, lowPoints: lowPoints, highPoints: highPoints, highMean: highMean,
                     factor: f, weights: f.solve(y), lowProcess: lowGP)
  }

  /// High-fidelity posterior mean and standard deviation at each query point.
  public func predictHigh(_ queries: [[Double]]) -> (mean: [Double], std: [Double]) {
    let kl = low, kd = difference, r = rho
    let dl = SquaredDistances.between(queries, lowPoints), dh = SquaredDistances.between(queries, highPoints)
    let nl = lowPoints.count, nh = highPoints.count
    let prior = r * r * kl.variance + kd.variance
    var means: [Double] = [], stds: [Double] = []
    for q in queries.indices {
      var ks = (0..<nl).map { r * kl.covariance(squaredDistance: dl[q * nl + $0]) }
      ks += (0..<nh).map { r * r * kl.covariance(squaredDistance: dh[q * nh + $0]) + kd.covariance(squaredDistance: dh[q * nh + $0]) }
      means.append(highMean + zip(ks, weights).reduce(0) { $0 + $1.0 * $1.1 })
      let v = factor.forward(ks)
      stds.append(max(prior - v.reduce(0) { $0 + $1 * $1 }, 0).squareRoot())
    }
    return (means, stds)
  }
}
