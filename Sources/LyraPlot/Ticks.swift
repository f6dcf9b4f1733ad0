import Foundation

/// Axis tick values and the axis range they imply.
///
/// Rule (linear): the step is the smallest of 1, 2 or 5 × 10^k for which the range,
/// widened outwards to multiples of the step, has at most `maxIntervals` intervals
/// (6 by default). The axis then spans exactly from the first to the last tick, so
/// 0…1 gives 0, 0.2, …, 1 and 3…97 gives 0, 20, …, 100. A zero-width range is widened
/// by 10% of its value (±1 around zero); non-finite ends fall back to 0…1.
///
/// Rule (log): ticks at the powers of ten that enclose the data (at least one decade);
/// within at most two decades the 2× and 5× multiples are ticks too; beyond eight
/// decades only every n-th power is labelled so that at most eight remain.
public struct Ticks: Equatable {
  /// Tick positions in data units, ascending; the first and last are the axis ends.
  public var values: [Double]
  /// Labels, one per value.
  public var labels: [String]
  public var lo: Double { values.first ?? 0 }
  public var hi: Double { values.last ?? 1 }

  public init(values: [Double], labels: [String]) {
    self.values = values
    self.labels = labels
  }

  /// Linear ticks covering `lo…hi` (in either order).
  /// `integers`: no step below 1 (an axis of counts such as epochs gets no 1.5).
  public static func linear(_ lo: Double, _ hi: Double, maxIntervals: Int = 6, integers: Bool = false) -> Ticks {
    var (a, b) = lo.isFinite && hi.isFinite ? (min(lo, hi), max(lo, hi)) : (0.0, 1.0)
    if a == b {
      let d = a == 0 ? 1 : abs(a) * 0.1
      a -= d
      b += d
    }
    let n = max(1, maxIntervals)
    var e = Int(floor(log10((b - a) / Double(n)))) - 1
    if integers { e = max(e, 0) }
    while true {
      for m in [1, 2, 5] {
        let s = Double(m) * pow(10, Double(e))
        let i0 = floor(a / s + 1e-9), i1 = ceil(b / s - 1e-9)
        if i1 - i0 <= Double(n) {
          let values = stride(from: i0, through: i1, by: 1).map { i in value(Int(i) * m, e) }
          let decimals = max(0, -e)
          let big = values.map(abs).max() ?? 0
          let labels = values.map { v in big >= 1e6 || e < -5 ? String(format: "%g", v) : Fmt.fixed(v, decimals) }
          return Ticks(values: values, labels: labels)
        }
      }
      e += 1
    }
  }

  /// `k × 10^e`, computed by one multiplication or division so that 0.6 is the literal 0.6.
  static func value(_ k: Int, _ e: Int) -> Double {
    e >= 0 ? Double(k) * pow(10, Double(e)) : Double(k) / pow(10, Double(-e))
  }

  /// Log-10 ticks covering `lo…hi`; values ≤ 0 are not representable and are ignored by callers.
  public static func log(_ lo: Double, _ hi: Double) -> Ticks {
    var (a, b) = (min(lo, hi), max(lo, hi))
    if !(a > 0 && a.isFinite) || !(b > 0 && b.isFinite) { (a, b) = (1, 10) }
    var e0 = Int(floor(log10(a) + 1e-9)), e1 = Int(ceil(log10(b) - 1e-9))
    if e1 <= e0 { e1 = e0 + 1 }
    var values: [Double] = []
    if e1 - e0 <= 2 {
      for e in e0..<e1 { for m in [1, 2, 5] { values.append(value(m, e)) } }
      values.append(value(1, e1))
    } else {
      let every = max(1, Int((Double(e1 - e0) / 8).rounded(.up)))
      e0 = Int(floor(Double(e0) / Double(every))) * every
      e1 = Int(ceil(Double(e1) / Double(every))) * every
      for e in stride(from: e0, through: e1, by: every) { values.append(value(1, e)) }
    }
    return Ticks(values: values, labels: values.map(logLabel))
  }

  static func logLabel(_ v: Double) -> String {
    let e = log10(v)
    if e >= -3 - 1e-9 && e < 5 { return Fmt.trim(String(format: "%.4f", v)) }
    return String(format: "%g", v)
  }
}
