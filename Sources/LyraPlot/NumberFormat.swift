import Foundation

/// Number formatting that never depends on the locale or on platform float printing,
/// so the same plot gives the same bytes everywhere (tests compare SVG text).
enum Fmt {
  /// A pixel coordinate: at most two decimals, trailing zeros trimmed, never "-0".
  static func coord(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    var r = (v * 100).rounded() / 100
    if r == 0 { r = 0 }
    return trim(String(format: "%.2f", r))
  }

  /// `v` with exactly `decimals` decimals (then "-0" → "0").
  static func fixed(_ v: Double, _ decimals: Int) -> String {
    let s = String(format: "%.\(max(0, decimals))f", v)
    if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(s.dropFirst()) }
    return s
  }

  /// A compact human label for a value of unknown scale (legend, preview, tables).
  static func short(_ v: Double) -> String {
    guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
    if v == 0 { return "0" }
    let a = abs(v)
    if a >= 1e6 || a < 1e-4 { return String(format: "%.3g", v) }
    return trim(String(format: a >= 100 ? "%.1f" : (a >= 1 ? "%.3f" : "%.4f"), v))
  }

  static func trim(_ s: String) -> String {
    guard s.contains(".") else { return s }
    var t = Substring(s)
    while t.hasSuffix("0") { t = t.dropLast() }
    if t.hasSuffix(".") { t = t.dropLast() }
    return t == "-0" ? "0" : String(t)
  }
}

/// Public face of the formatter, for report tables that should print numbers the way plots do.
public enum PlotFormat {
  public static func number(_ v: Double) -> String { Fmt.short(v) }
}
