import Foundation

/// Criteo's display-advertising logs (Kaggle 2014 / the 1 TB logs): tab-separated,
/// label, 13 integer features I1...I13, 26 hashed categorical features C1...C26 (8 hex
/// digits), any feature possibly empty.
///
/// Integers become tokens by the Criteo winners' recipe (the 3 Idiots' solution):
/// v > 2 → "b" + floor(ln(v)²), otherwise the value itself, empty → "" (a token of its
/// own: missingness carries signal). Why log²: counts are heavy-tailed; the square keeps
/// small values apart while folding the tail into a few dozen buckets.
public struct CriteoFormat: CTRTextFormat {
  public static let integerFields = 13, categoricalFields = 26
  public let fieldNames = (1...13).map { "I\($0)" } + (1...26).map { "C\($0)" }
  public let hasHeader = false
  public init() {}

  /// The token of one integer value (nil: not an integer).
  public static func integerToken(_ text: String) -> String? {
    if text.isEmpty { return "" }
    guard let v = Int64(text) else { return nil }
    if v > 2 {
      let l = Foundation.log(Double(v))
      return "b\(Int((l * l).rounded(.down)))"
    }
    return "v\(v)"
  }

  public func parse(_ line: ArraySlice<UInt8>) throws -> (label: Int32, tokens: [String]) {
    let cols = CTRTokens.split(line, UInt8(ascii: "\t"))
    guard cols.count == 40 else { throw CTRLineError("expected 40 tab-separated fields (label, 13 integer, 26 categorical), got \(cols.count)") }
    let label = try CTRTokens.label(cols[0], column: 1)
    var tokens: [String] = []
    tokens.reserveCapacity(39)
    for k in 1...13 {
      let s = String(decoding: cols[k], as: UTF8.self)
      guard let t = CriteoFormat.integerToken(s) else { throw CTRLineError(column: k + 1, "I\(k): '\(s)' is not an integer") }
      tokens.append(t)
    }
    for k in 14..<40 { tokens.append(String(decoding: cols[k], as: UTF8.self)) }
    return (label, tokens)
  }
}
