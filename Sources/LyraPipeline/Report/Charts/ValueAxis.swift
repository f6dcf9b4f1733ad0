import Foundation
import LyraPlot

/// An axis mapping data to pixels, with LyraPlot's tick choice; logarithmic when asked
/// (positive data spanning over two decades: Branin, losses), else linear.
struct ValueAxis {
  let lo: Double, hi: Double, from: Double, to: Double
  let ticks: Ticks
  let log: Bool

  /// Log scale pays off when every value is positive and they span more than `ratio`×.
  static func wantsLog(_ values: [Double], ratio: Double = 100) -> Bool {
    let f = values.filter(\.isFinite)
    return !f.isEmpty && f.allSatisfy { $0 > 0 } && f.max()! / f.min()! > ratio
  }

  init(values: [Double], from: Double, to: Double, log: Bool = false) {
    let finite = values.filter { $0.isFinite && (!log || $0 > 0) }
    var lo = finite.min() ?? (log ? 1 : 0), hi = finite.max() ?? (log ? 10 : 1)
    self.log = log
    if log {
      ticks = Ticks.log(lo, hi)
      self.lo = Foundation.log10(min(lo, ticks.lo))
      self.hi = Foundation.log10(max(hi, ticks.hi))
    } else {
      if lo == hi { lo -= 0.5; hi += 0.5 }
      ticks = Ticks.linear(lo, hi, maxIntervals: 5)
      self.lo = min(lo, ticks.lo)
      self.hi = max(hi, ticks.hi)
    }
    self.from = from
    self.to = to
  }

  func map(_ v: Double) -> Double {
    let t = log ? Foundation.log10(max(v, 1e-300)) : v
    return from + (t - lo) / (hi - lo) * (to - from)
  }
}
