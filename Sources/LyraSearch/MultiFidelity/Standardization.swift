/// Column-wise standardisation (sklearn's `preprocessing.scale(X, axis=0)`, which MFASC
/// and MFKD1 apply to their candidate sets): every column to mean 0 and standard deviation
/// 1; a constant column becomes 0, and so does a missing (NaN) coordinate, i.e. the
/// column's mean.
///
/// Why: the GP kernels have one length scale for all coordinates, so coordinates must be
/// on one scale (VEGA does the same).
public enum Standardization {
  public static func columns(_ rows: [[Double]]) -> [[Double]] {
    guard let width = rows.first?.count else { return rows }
    var mean = [Double](repeating: 0, count: width), sd = [Double](repeating: 0, count: width)
    for j in 0..<width {
      let finite = rows.map { $0[j] }.filter(\.isFinite)
      guard !finite.isEmpty else { continue }
      let m = finite.reduce(0, +) / Double(finite.count)
      mean[j] = m
      sd[j] = (finite.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(finite.count)).squareRoot()
    }
    return rows.map { r in (0..<width).map { j in r[j].isFinite && sd[j] > 0 ? (r[j] - mean[j]) / sd[j] : 0 } }
  }
}
