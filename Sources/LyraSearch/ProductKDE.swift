import Foundation

/// A product-kernel density estimate as statsmodels' `KDEMultivariate` computes it with
/// `bw='normal_reference'` — the model inside BOHB (HpBandSter 0.7.4, statsmodels 0.15).
///
/// - Continuous coordinates (in [0,1]): Gaussian kernel, bandwidth
///   1.06·σ·n^(−1/(4+d)) with σ the population (ddof 0) standard deviation.
/// - Categorical coordinates (the choice index): Aitchison–Aitken kernel, 1−λ on the
///   observed level and λ/(L−1) elsewhere, where L counts the *distinct levels present
///   in the data* (statsmodels calls the kernel without `num_levels`); the same
///   normal-reference formula gives λ.
/// Bandwidths are floored at `minBandwidth` (BOHB's 1e-3).
public struct ProductKDE {
  /// Rows of coordinates.
  public let data: [[Double]]
  /// 0 for a continuous coordinate, else its number of choices.
  public let types: [Int]
  public let bandwidths: [Double]
  let levels: [Int]

  public init(data: [[Double]], types: [Int], minBandwidth: Double = 1e-3) {
    precondition(!data.isEmpty && data.allSatisfy { $0.count == types.count }, "ProductKDE: rows must match the types")
    self.data = data
    self.types = types
    let n = Double(data.count), d = Double(types.count)
    bandwidths = types.indices.map { j in
      let col = data.map { $0[j] }
      let mean = col.reduce(0, +) / n
      let sd = (col.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n).squareRoot()
      return max(1.06 * sd * Foundation.pow(n, -1 / (4 + d)), minBandwidth)
    }
    levels = types.indices.map { j in Set(data.map { $0[j] }).count }
  }

  /// The density at `x` (continuous kernels divided by their bandwidth, as statsmodels).
  /// A categorical column with one distinct level gives λ/0 = +inf off that level, as
  /// numpy does; BOHB's acquisition handles that case explicitly.
  public func pdf(_ x: [Double]) -> Double {
    var total = 0.0
    for row in data {
      var k = 1.0
      for j in types.indices {
        let h = bandwidths[j]
        if types[j] == 0 {
          let z = (row[j] - x[j]) / h
          k *= Foundation.exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() / h
        } else {
          k *= row[j] == x[j] ? 1 - h : h / Double(levels[j] - 1)
        }
      }
      total += k
    }
    return total / Double(data.count)
  }
}
