import Foundation

/// The Cholesky factor L (K = L·Lᵀ) of a small symmetric positive-definite matrix, with
/// the solves and the log-determinant a Gaussian process needs.
///
/// Why here and not LyraTensor's LAPACK call: LyraSearch depends on LyraBase and
/// LyraSpace only, and the matrices are the GP's training points (tens to a few hundred
/// trials), small enough for a plain O(n³/3) loop in Double.
public struct CholeskyFactor {
  public let n: Int
  /// Row-major lower triangle (upper entries are zero).
  public private(set) var lower: [Double]

  /// Factors the row-major `matrix` (n × n; only the lower triangle is read); nil when it
  /// is not numerically positive definite.
  public init?(_ matrix: [Double], n: Int) {
    precondition(matrix.count == n * n, "CholeskyFactor: \(matrix.count) entries for \(n)×\(n)")
    self.n = n
    var l = [Double](repeating: 0, count: n * n)
    let ok = l.withUnsafeMutableBufferPointer { L -> Bool in
      matrix.withUnsafeBufferPointer { A -> Bool in
        for j in 0..<n {
          var d = A[j * n + j]
          for k in 0..<j { d -= L[j * n + k] * L[j * n + k] }
          guard d > 0, d.isFinite else { return false }
          let ljj = d.squareRoot()
          L[j * n + j] = ljj
          for i in (j + 1)..<max(n, j + 1) {
            var s = A[i * n + j]
            for k in 0..<j { s -= L[i * n + k] * L[j * n + k] }
            L[i * n + j] = s / ljj
          }
        }
        return true
      }
    }
    guard ok else { return nil }
    lower = l
  }

  /// y with L·y = b.
  public func forward(_ b: [Double]) -> [Double] {
    var y = b
    lower.withUnsafeBufferPointer { L in
      for i in 0..<n {
        var s = y[i]
        for k in 0..<i { s -= L[i * n + k] * y[k] }
        y[i] = s / L[i * n + i]
      }
    }
    return y
  }

  /// x with Lᵀ·x = y.
  public func backward(_ y: [Double]) -> [Double] {
    var x = y
    lower.withUnsafeBufferPointer { L in
      for i in stride(from: n - 1, through: 0, by: -1) {
        var s = x[i]
        for k in (i + 1)..<max(n, i + 1) { s -= L[k * n + i] * x[k] }
        x[i] = s / L[i * n + i]
      }
    }
    return x
  }

  /// x with K·x = b.
  public func solve(_ b: [Double]) -> [Double] { backward(forward(b)) }

  /// log det K = 2 Σ log L_ii.
  public var logDeterminant: Double { (0..<n).reduce(0) { $0 + 2 * log(lower[$1 * n + $1]) } }
}
