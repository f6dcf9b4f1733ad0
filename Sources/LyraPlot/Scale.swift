import Foundation

/// Maps data values to pixels along one axis, linearly or in log10.
struct Scale {
  var lo: Double
  var hi: Double
  /// Pixel positions of `lo` and `hi` (for y, `p0` is the bottom, so p0 > p1).
  var p0: Double
  var p1: Double
  var log: Bool = false
  /// Values outside `lo…hi` cannot be drawn (fixed axis limits; see AxisLimits.swift).
  var clip: Bool = false

  /// The pixel of `v`, or nil when `v` cannot be drawn (NaN, ±inf, ≤ 0 on a log axis,
  /// outside the range when clipping).
  func map(_ v: Double) -> Double? {
    guard v.isFinite, !log || v > 0 else { return nil }
    if clip {
      let tol = 1e-9 * max(1, abs(hi - lo))
      guard v >= min(lo, hi) - tol, v <= max(lo, hi) + tol else { return nil }
    }
    let (t, a, b) = log ? (Foundation.log10(v), Foundation.log10(lo), Foundation.log10(hi)) : (v, lo, hi)
    let f = b == a ? 0.5 : (t - a) / (b - a)
    return p0 + f * (p1 - p0)
  }
}
