/// Fixed axis ranges (`xlim`/`ylim`): an accuracy curve is easier to compare against
/// others on a shared 0…1 axis than on one fitted to its own data.
///
/// The range takes the place of the data's extent when ticks are chosen, so the axis
/// spans at least `lo…hi` (widened to the enclosing ticks, as for data). Points beyond
/// the axis are not drawn (a line breaks there); bars are cut at the frame.
extension Plot {
  /// Fixes the x range (in either order); nil returns to the data's range. Ignored by bar charts.
  public func xlim(_ lo: Double?, _ hi: Double?) -> Plot { with { $0.xLimits = Plot.range(lo, hi) } }

  /// Fixes the y range (in either order); nil returns to the data's range. On a log axis
  /// both ends must be positive.
  public func ylim(_ lo: Double?, _ hi: Double?) -> Plot { with { $0.yLimits = Plot.range(lo, hi) } }

  static func range(_ a: Double?, _ b: Double?) -> ClosedRange<Double>? {
    guard let a, let b, a.isFinite, b.isFinite else { return nil }
    return min(a, b)...max(a, b)
  }
}

extension Scale {
  /// The pixel of `v` clamped to the axis ends (for bars cut at the frame).
  func mapClamped(_ v: Double) -> Double? {
    guard v.isFinite, !log || v > 0 else { return nil }
    let (a, b) = (min(lo, hi), max(lo, hi))
    return map(min(b, max(a, v)))
  }
}
