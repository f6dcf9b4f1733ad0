import LyraBase
import LyraSpace

/// TPE's acquisition step on its own (Bergstra et al., NeurIPS 2011; Optuna v5's
/// `TPESampler._sample`): fit l on the "below" (good) points and g on the "above" ones,
/// draw `nEICandidates` points from l and return the one maximising log l − log g, which
/// maximises expected improvement under the two-density model.
///
/// Why separate from `TPE`: BOSS proposes each sub-bracket with the same model refit on
/// scores at one rung, so the split and the acquisition are reusable on any point set.
public struct TPEProposer {
  public var coordinates: [ParzenEstimator.Coordinate]
  public var priorWeight: Double
  public var multivariate: Bool
  public var considerMagicClip: Bool
  public var considerEndpoints: Bool
  public var nEICandidates: Int
  /// Kernel widths: Optuna v5's neighbour gaps (default) or v2–v4's Scott-like rule.
  public var bandwidth: ParzenEstimator.Bandwidth

  public init(coordinates: [ParzenEstimator.Coordinate], priorWeight: Double = 1, multivariate: Bool = true,
              considerMagicClip: Bool = true, considerEndpoints: Bool = false, nEICandidates: Int = 24,
              bandwidth: ParzenEstimator.Bandwidth = .neighbourGaps) {
    self.coordinates = coordinates
    self.priorWeight = priorWeight
    self.multivariate = multivariate
    self.considerMagicClip = considerMagicClip
    self.considerEndpoints = considerEndpoints
    self.nEICandidates = nEICandidates
    self.bandwidth = bandwidth
  }

  public init(space: SearchSpace, priorWeight: Double = 1, multivariate: Bool = true, considerMagicClip: Bool = true,
              considerEndpoints: Bool = false, nEICandidates: Int = 24, bandwidth: ParzenEstimator.Bandwidth = .neighbourGaps) {
    self.init(coordinates: space.dimensions.map(ParzenEstimator.Coordinate.init), priorWeight: priorWeight,
              multivariate: multivariate, considerMagicClip: considerMagicClip, considerEndpoints: considerEndpoints,
              nEICandidates: nEICandidates, bandwidth: bandwidth)
  }

  /// Optuna v5's γ for one objective: min(⌈0.1·n⌉, 25).
  public static func defaultGamma(_ n: Int) -> Int { min((n + 9) / 10, 25) }

  func estimator(_ points: [[Double]], _ coords: [ParzenEstimator.Coordinate]) -> ParzenEstimator {
    ParzenEstimator(observations: points, coordinates: coords, priorWeight: priorWeight, multivariate: multivariate,
                    considerMagicClip: considerMagicClip, considerEndpoints: considerEndpoints, bandwidth: bandwidth)
  }

  /// The encoded point to try next. `below`/`above` are encoded points, oldest first
  /// (the weight ramp fades the oldest). Univariate mode models and picks each coordinate
  /// independently, only from the points where it is active.
  public func propose(below: [[Double]], above: [[Double]], _ g: Generator) -> [Double] {
    if multivariate {
      return pick(estimator(below, coordinates), estimator(above, coordinates), g)
    }
    return coordinates.indices.map { j in
      let col = { (pts: [[Double]]) in pts.compactMap { $0[j].isNaN ? nil : [$0[j]] } }
      return pick(estimator(col(below), [coordinates[j]]), estimator(col(above), [coordinates[j]]), g)[0]
    }
  }

  /// argmax over candidates drawn from l of log l − log g (the first of equals wins).
  func pick(_ l: ParzenEstimator, _ gEst: ParzenEstimator, _ g: Generator) -> [Double] {
    var best: [Double] = [], bestScore = -Double.infinity
    for _ in 0..<max(1, nEICandidates) {
      let x = l.sample(g)
      let score = l.logPDF(x) - gEst.logPDF(x)
      if best.isEmpty || score > bestScore { best = x; bestScore = score }
    }
    return best
  }
}
