import Foundation

/// sklearn's `WhiteKernel(noise) + ConstantKernel(amplitude) * RBF(lengthScale)`, the
/// kernel VEGA's MFASC gives each fidelity (`mfasc_utils.make_mf_predictor`), with the
/// same bounds [0.001, 100] on all three.
///
/// As in sklearn, the noise term is on the diagonal of k(X, X) only: a cross-covariance
/// between two point sets, or between training and query points, has none.
public struct KernelParameters: Equatable {
  public var noise: Double
  public var amplitude: Double
  public var lengthScale: Double
  public init(noise: Double = 1, amplitude: Double = 1, lengthScale: Double = 1) {
    self.noise = noise
    self.amplitude = amplitude
    self.lengthScale = lengthScale
  }

  /// VEGA's bounds for every parameter (natural scale).
  public static let bounds: ClosedRange<Double> = 0.001...100

  /// The covariance for a squared distance `d2` (no noise).
  @inline(__always) public func covariance(squaredDistance d2: Double) -> Double {
    amplitude * exp(-0.5 * d2 / (lengthScale * lengthScale))
  }

  /// k(x, x) including the noise: the prior variance of an observation.
  public var variance: Double { amplitude + noise }

  /// (log noise, log amplitude, log length scale): the coordinates the likelihood is
  /// optimised in (sklearn's `theta`).
  public var theta: [Double] { [log(noise), log(amplitude), log(lengthScale)] }
  public init(theta: ArraySlice<Double>) {
    let t = Array(theta)
    self.init(noise: exp(t[0]), amplitude: exp(t[1]), lengthScale: exp(t[2]))
  }
}

/// Squared Euclidean distances between rows.
enum SquaredDistances {
  static func between(_ a: [[Double]], _ b: [[Double]]) -> [Double] {
    var out = [Double](repeating: 0, count: a.count * b.count)
    for i in a.indices {
      for j in b.indices {
        var s = 0.0
        for (x, y) in zip(a[i], b[j]) { s += (x - y) * (x - y) }
        out[i * b.count + j] = s
      }
    }
    return out
  }
}
