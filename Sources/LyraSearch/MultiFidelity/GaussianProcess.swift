import Foundation

/// Gaussian-process regression with a `KernelParameters` kernel (Rasmussen & Williams,
/// GPML Algorithm 2.1), targets centred on their mean.
///
/// Used as MFKD1's surrogate (an RBF kernel, as VEGA's `GaussianProcessRegressor(RBF(1.0))`)
/// and as MFASC's low-fidelity predictor (the co-kriging's low-fidelity kernel on the
/// low-fidelity points). Why centred: VEGA's sklearn models have a zero prior mean on raw
/// accuracies; Lyra's objectives can be losses of any offset, where a zero mean would pull
/// every prediction far from the data toward 0.
public struct GaussianProcess {
  public let kernel: KernelParameters
  public let points: [[Double]]
  public let targetMean: Double
  let factor: CholeskyFactor
  let weights: [Double]

  /// The posterior given the points and targets; nil when the covariance is not positive
  /// definite even with `jitter` on its diagonal.
  public init?(points: [[Double]], targets: [Double], kernel: KernelParameters, jitter: Double = 1e-10) {
    guard !points.isEmpty, points.count == targets.count else { return nil }
    let mean = targets.reduce(0, +) / Double(targets.count)
    let n = points.count
    var k = SquaredDistances.between(points, points).map { kernel.covariance(squaredDistance: $0) }
    for i in 0..<n { k[i * n + i] += kernel.noise + jitter }
    guard let f = CholeskyFactor(k, n: n) else { return nil }
    self.kernel = kernel
    self.points = points
    self.targetMean = mean
    self.factor = f
    self.weights = f.solve(targets.map { $0 - mean })
  }

  /// −½ yᵀK⁻¹y − ½ log det K − n/2 log 2π of the centred targets (−∞ when K is singular).
  public static func logMarginalLikelihood(points: [[Double]], targets: [Double], kernel: KernelParameters, jitter: Double = 1e-10) -> Double {
    guard let gp = GaussianProcess(points: points, targets: targets, kernel: kernel, jitter: jitter) else { return -.infinity }
    let y = targets.map { $0 - gp.targetMean }
    let fit = zip(y, gp.weights).reduce(0) { $0 + $1.0 * $1.1 }
    return -0.5 * fit - 0.5 * gp.factor.logDeterminant - Double(y.count) / 2 * log(2 * Double.pi)
  }

  /// Posterior mean at each query point.
  public func mean(_ queries: [[Double]]) -> [Double] {
    SquaredDistances.between(queries, points).withUnsafeBufferPointer { d in
      (0..<queries.count).map { q in
        var s = targetMean
        for j in weights.indices { s += kernel.covariance(squaredDistance: d[q * points.count + j]) * weights[j] }
        return s
      }
    }
  }

  /// Posterior mean and standard deviation (of an observation: the noise term included,
  /// as sklearn's `predict(return_std=True)` with a WhiteKernel) at each query point.
  public func predict(_ queries: [[Double]]) -> (mean: [Double], std: [Double]) {
    let d = SquaredDistances.between(queries, points)
    var means: [Double] = [], stds: [Double] = []
    for q in queries.indices {
      let ks = (0..<points.count).map { kernel.covariance(squaredDistance: d[q * points.count + $0]) }
      means.append(targetMean + zip(ks, weights).reduce(0) { $0 + $1.0 * $1.1 })
      let v = factor.forward(ks)
      stds.append(max(kernel.variance - v.reduce(0) { $0 + $1 * $1 }, 0).squareRoot())
    }
    return (means, stds)
  }
}
