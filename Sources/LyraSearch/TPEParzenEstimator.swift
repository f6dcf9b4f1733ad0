import Foundation
import LyraBase
import LyraSpace

/// The Parzen-window density of TPE (Bergstra et al., "Algorithms for Hyper-Parameter
/// Optimization", NeurIPS 2011), built the way Optuna v5's `_ParzenEstimator` builds it
/// (docs/algorithms/tpe.md), over the encoded unit cube of a `SearchSpace`.
///
/// One kernel per observation plus a prior kernel (weight `priorWeight`, centred in the
/// range with σ = the range) so the density never vanishes anywhere: that is what keeps
/// log l − log g finite and lets TPE still explore. Kernels are normals truncated to the
/// range (discrete coordinates: the mass of ±half a step around each level, on a range
/// widened by half a step at both ends) and, for categorical coordinates, a table with
/// `priorWeight / nKernels` on every choice plus 1 on the observed one.
///
/// Multivariate (a product kernel: one component index for all coordinates) keeps the
/// correlations between hyperparameters; Optuna v5 uses it by default for one objective.
/// Inactive coordinates (NaN in the encoding) take the prior kernel's shape, so a
/// conditional child neither attracts nor repels when it was absent.
public struct ParzenEstimator {
  /// How one coordinate is modelled.
  public enum Coordinate: Equatable {
    /// A number on [0, 1]; `step` for evenly spaced levels (ints, bits), nil otherwise.
    case numeric(step: Double?)
    /// One of `n` unordered choices, encoded as i/(n−1).
    case categorical(n: Int)

    /// The model of a space dimension: ordered levels get a step, except log-scale ints,
    /// whose levels are not evenly spaced in the encoding: they are modelled as continuous
    /// in the encoded log space (Optuna v5 models their cells [v ± 1/2] in log space; the
    /// encoding does not carry the levels' positions).
    public init(_ d: LyraSpace.Dimension) {
      switch d.kind {
      case .continuous: self = .numeric(step: nil)
      case .discrete(let levels): self = levels > 1 && !d.isLog ? .numeric(step: 1 / Double(levels - 1)) : .numeric(step: nil)
      case .categorical(let n): self = .categorical(n: n)
      }
    }
  }

  /// Per coordinate: the kernel centres/widths (numeric) or choice tables (categorical),
  /// with the prior kernel last.
  enum Component {
    case numeric(mus: [Double], sigmas: [Double], step: Double?)
    case categorical(probs: [[Double]])
  }

  /// How numeric kernel widths are chosen.
  public enum Bandwidth: String, Equatable, Sendable {
    /// Optuna v5 (with or without `multivariate`): the larger gap to a neighbour.
    case neighbourGaps
    /// Optuna v2–v4's multivariate rule, σ = 0.2·n^(−1/(d+4))·range (Scott-like): wider
    /// kernels on few points; BOSS keeps it for its small per-rung data sets.
    case scott
  }

  public let coordinates: [Coordinate]
  /// Mixture weights, normalised, the prior's last.
  public let weights: [Double]
  let components: [Component]

  /// - Parameters:
  ///   - observations: encoded points (NaN where inactive), oldest first.
  ///   - observationWeights: one per observation before normalisation (Optuna's ramp);
  ///     nil for `ParzenEstimator.defaultWeights`.
  public init(observations: [[Double]], coordinates: [Coordinate], priorWeight: Double = 1,
              multivariate: Bool = true, considerMagicClip: Bool = true, considerEndpoints: Bool = false,
              observationWeights: [Double]? = nil, bandwidth: Bandwidth = .neighbourGaps) {
    precondition(priorWeight > 0, "TPE's prior weight must be positive")
    self.coordinates = coordinates
    let n = observations.count
    var w = n == 0 ? [] : (observationWeights ?? ParzenEstimator.defaultWeights(n))
    precondition(w.count == n, "one weight per observation")
    w.append(n == 0 ? 1 : priorWeight)
    let total = w.reduce(0, +)
    weights = w.map { $0 / total }
    components = coordinates.indices.map { j in
      let column = observations.map { $0[j] }
      switch coordinates[j] {
      case .numeric(let step):
        let (mus, sigmas) = ParzenEstimator.numericKernels(column, step: step, nDimensions: coordinates.count,
                                                           multivariate: multivariate, magicClip: considerMagicClip,
                                                           endpoints: considerEndpoints, bandwidth: bandwidth)
        return .numeric(mus: mus, sigmas: sigmas, step: step)
      case .categorical(let c):
        return .categorical(probs: ParzenEstimator.categoricalKernels(column, choices: c, priorWeight: priorWeight))
      }
    }
  }

  /// Optuna's `default_weights`: equal below 25 observations; from 25 on, the newest 25
  /// weigh 1 and the older ones ramp linearly from 1/n up, so old trials fade.
  public static func defaultWeights(_ n: Int) -> [Double] {
    if n < 25 { return Array(repeating: 1, count: n) }
    let m = n - 25
    let ramp: [Double] = (0..<m).map { i in m == 1 ? 1 / Double(n) : 1 / Double(n) + (1 - 1 / Double(n)) * Double(i) / Double(m - 1) }
    return ramp + Array(repeating: 1, count: 25)
  }

  /// Centres and widths on [0, 1] (range widened by ±step/2 for levels); the prior kernel
  /// last at (0.5, range). Inactive observations get the prior's centre and width.
  ///
  /// Optuna v5's rule, the same with and without `multivariate` (v5 keeps that flag only
  /// for history; the Scott-like 0.2·n^(−1/(d+4)) of v2–v4's multivariate TPE is gone):
  /// σ_i = the larger gap to a neighbour among the sorted observed centres and the
  /// (widened) range ends — the prior's centre is not among them; without endpoints the
  /// outermost two take their inner gap. Then the "magic clip" to
  /// [range / min(100, 1 + nKernels), range], nKernels = observations + 1: never so
  /// narrow that one lucky point becomes a spike, never wider than the range.
  static func numericKernels(_ column: [Double], step: Double?, nDimensions: Int, multivariate: Bool,
                             magicClip: Bool, endpoints: Bool, bandwidth: Bandwidth = .neighbourGaps) -> (mus: [Double], sigmas: [Double]) {
    let s = step ?? 0
    let low = -s / 2, high = 1 + s / 2, range = high - low
    let priorMu = 0.5 * (low + high), priorSigma = range
    let active = column.indices.filter { !column[$0].isNaN }
    let m = active.count
    var raw = [Double](repeating: 0, count: m)
    if bandwidth == .scott {
      raw = Array(repeating: 0.2 * pow(Double(max(m, 1)), -1.0 / Double(nDimensions + 4)) * range, count: m)
    } else if m > 0 {
      let values = active.map { column[$0] }
      // Stable order: equal centres keep their age order (numpy's argsort is a quicksort,
      // so Optuna's tie order is unspecified; equal centres get equal gaps either way
      // except at the two ends).
      let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
      var e: [Double] = [low]
      e += order.map { values[$0] }
      e.append(high)
      var sorted: [Double] = (0..<m).map { (i: Int) -> Double in Swift.max(e[i + 1] - e[i], e[i + 2] - e[i + 1]) }
      if !endpoints && e.count >= 4 {
        sorted[0] = e[2] - e[1]
        sorted[m - 1] = e[e.count - 2] - e[e.count - 3]
      }
      for (rank, i) in order.enumerated() { raw[i] = sorted[rank] }
    }
    let maxSigma = range
    let minSigma = magicClip ? range / min(100, 1 + Double(m + 1)) : 1e-12
    var mus = column.map { $0.isNaN ? priorMu : $0 }
    var sigmas = [Double](repeating: priorSigma, count: column.count)
    for (k, i) in active.enumerated() { sigmas[i] = min(max(raw[k], minSigma), maxSigma) }
    mus.append(priorMu)
    sigmas.append(priorSigma)
    return (mus, sigmas)
  }

  /// Each observation's row: priorWeight/nKernels on every choice plus 1 on its own,
  /// normalised; the prior's row (and an inactive observation's) is uniform.
  static func categoricalKernels(_ column: [Double], choices n: Int, priorWeight: Double) -> [[Double]] {
    let nKernels = Double(column.count + 1)
    let uniform = [Double](repeating: 1 / Double(n), count: n)
    var rows: [[Double]] = column.map { u in
      guard !u.isNaN else { return uniform }
      var row = [Double](repeating: priorWeight / nKernels, count: n)
      row[ParzenEstimator.index(u, of: n)] += 1
      let t = row.reduce(0, +)
      return row.map { $0 / t }
    }
    rows.append(uniform)
    return rows
  }

  /// The choice index of a categorical coordinate (nearest i/(n−1), ties up, like the
  /// space's decoder).
  static func index(_ u: Double, of n: Int) -> Int {
    n == 1 ? 0 : min(n - 1, max(0, Int((u * Double(n - 1) + 0.5).rounded(.down))))
  }

  static func unit(index i: Int, of n: Int) -> Double { n == 1 ? 0.5 : Double(i) / Double(n - 1) }

  // MARK: density and sampling

  /// log of the mixture density at an encoded point (NaN coordinates are skipped).
  public func logPDF(_ x: [Double]) -> Double {
    var perKernel = weights.map { Foundation.log($0) }
    for (j, c) in components.enumerated() where !x[j].isNaN {
      switch c {
      case .numeric(let mus, let sigmas, let step):
        for k in perKernel.indices { perKernel[k] += ParzenEstimator.logKernel(x[j], mu: mus[k], sigma: sigmas[k], step: step) }
      case .categorical(let probs):
        guard case .categorical(let n) = coordinates[j] else { continue }
        let i = ParzenEstimator.index(x[j], of: n)
        for k in perKernel.indices { perKernel[k] += Foundation.log(probs[k][i]) }
      }
    }
    let top = perKernel.max() ?? -.infinity
    guard top.isFinite else { return top }
    return top + Foundation.log(perKernel.reduce(0) { $0 + Foundation.exp($1 - top) })
  }

  /// log density of one truncated-normal kernel on [0, 1] (levels: probability mass of
  /// the level's cell on the half-step-widened range).
  static func logKernel(_ x: Double, mu: Double, sigma: Double, step: Double?) -> Double {
    if let s = step {
      let lo = -s / 2, hi = 1 + s / 2
      let a = max(x - s / 2, lo), b = min(x + s / 2, hi)
      return Normal.logMass((a - mu) / sigma, (b - mu) / sigma) - Normal.logMass((lo - mu) / sigma, (hi - mu) / sigma)
    }
    let z = (x - mu) / sigma
    return -0.5 * z * z - Foundation.log(sigma) - 0.5 * Foundation.log(2 * Double.pi)
      - Normal.logMass((0 - mu) / sigma, (1 - mu) / sigma)
  }

  /// One draw: a kernel by weight, then every coordinate from that kernel (one kernel for
  /// all coordinates: the product kernel).
  public func sample(_ g: Generator) -> [Double] {
    var u = g.nextDouble(), k = weights.count - 1
    for (i, w) in weights.enumerated() {
      if u < w { k = i; break }
      u -= w
    }
    return components.map { c in
      switch c {
      case .numeric(let mus, let sigmas, let step):
        let s = step ?? 0
        let x = Normal.truncatedSample(mu: mus[k], sigma: sigmas[k], low: -s / 2, high: 1 + s / 2, g)
        guard let s = step else { return min(max(x, 0), 1) }
        return min(max((x / s).rounded() * s, 0), 1)
      case .categorical(let probs):
        var v = g.nextDouble(), pick = probs[k].count - 1
        for (i, p) in probs[k].enumerated() {
          if v < p { pick = i; break }
          v -= p
        }
        return ParzenEstimator.unit(index: pick, of: probs[k].count)
      }
    }
  }
}

/// Standard normal helpers for truncated kernels, accurate in the tails (the lower tail
/// is always used, by symmetry, so no 1 − Φ cancels).
enum Normal {
  /// Φ(x) via erfc: accurate for x ≪ 0.
  static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

  /// log(Φ(b) − Φ(a)) for a ≤ b.
  static func logMass(_ a: Double, _ b: Double) -> Double {
    let m: Double
    if b <= 0 { m = cdf(b) - cdf(a) } else if a >= 0 { m = cdf(-a) - cdf(-b) } else { m = 1 - cdf(a) - cdf(-b) }
    return Foundation.log(max(m, 0))
  }

  /// Φ⁻¹(p) (Acklam's rational approximation, one Halley step against erfc).
  static func quantile(_ p: Double) -> Double {
    if p <= 0 { return -.infinity }
    if p >= 1 { return .infinity }
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    var x: Double
    if p < 0.02425 {
      let q = (-2 * Foundation.log(p)).squareRoot()
      x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - 0.02425 {
      let q = p - 0.5, r = q * q
      x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
      let q = (-2 * Foundation.log(1 - p)).squareRoot()
      x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    let e = cdf(x) - p
    let u = e * (2 * Double.pi).squareRoot() * Foundation.exp(x * x / 2)
    x -= u / (1 + x * u / 2)
    return x
  }

  /// N(mu, sigma²) truncated to [low, high], by inverting the CDF with one uniform (a
  /// fixed draw count keeps seeded streams aligned). Works in the lower tail by symmetry.
  static func truncatedSample(mu: Double, sigma: Double, low: Double, high: Double, _ g: Generator) -> Double {
    var a = (low - mu) / sigma, b = (high - mu) / sigma
    let flip = a > -b  // more of the interval above 0: sample the mirror image
    if flip { (a, b) = (-b, -a) }
    let pa = cdf(a), pb = cdf(b)
    var z = quantile(pa + g.nextDouble() * (pb - pa))
    if !z.isFinite { z = a }
    z = min(max(z, a), b)
    return mu + sigma * (flip ? -z : z)
  }
}
