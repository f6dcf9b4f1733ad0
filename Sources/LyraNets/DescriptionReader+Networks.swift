import LyraBase
import LyraNN

/// Reading the keys VEGA's network descriptions share, with its older spellings.
extension DescriptionReader {
  /// The most channels (or classes) one layer may have: far beyond any real network, and
  /// small enough that sizes computed from it never overflow.
  static let maxWidth = 1 << 20

  /// A channel or class count in 1…`maxWidth`.
  func width(_ key: String, _ d: Int) throws -> Int {
    let n = try int(key, d, min: 1)
    guard n <= DescriptionReader.maxWidth else { throw DescriptionError("\(path).\(key): must be at most \(DescriptionReader.maxWidth), got \(n)") }
    return n
  }

  /// `num_class`, or VEGA's older `n_class` (default 10). Both at once is ambiguous.
  func classCount(_ d: Int = 10) throws -> Int {
    if object["num_class"] != nil, object["n_class"] != nil {
      throw DescriptionError("\(path): give num_class or n_class, not both")
    }
    return try width(object["n_class"] != nil ? "n_class" : "num_class", d)
  }

  /// A key with an alternative spelling (`depth` / `base_depth`): the one present, else `key`.
  func spelling(_ key: String, or alias: String) throws -> String {
    if object[key] != nil, object[alias] != nil { throw DescriptionError("\(path): give \(key) or \(alias), not both") }
    return object[alias] != nil ? alias : key
  }

  /// The fine-grained form `key: {inchannels: [ints]}` (IntArray or MultiPositionArray
  /// values bound by `network.<part>.<key>.inchannels`), each in `range`; nil when absent.
  func inchannels(_ key: String, _ range: ClosedRange<Int>) throws -> [Int]? {
    guard let v = raw(key), v != .null else { return nil }
    guard let o = v.object else { throw DescriptionError("\(path).\(key): expected {inchannels: [...]}, got \(v.text)") }
    for k in o.keys.sorted() where k != "inchannels" {
      let hint = Suggest.hint(k, in: ["inchannels"])
      throw DescriptionError("\(path).\(key): unknown key '\(k)'\(hint)")
    }
    guard let list = o["inchannels"] else { throw DescriptionError("\(path).\(key): missing 'inchannels'") }
    guard let a = list.array else { throw DescriptionError("\(path).\(key).inchannels: expected a list of integers, got \(list.text)") }
    return try a.enumerated().map { i, e in
      guard let n = e.int, range.contains(n) else {
        throw DescriptionError("\(path).\(key).inchannels[\(i + 1)]: expected an integer in \(range.lowerBound)…\(range.upperBound), got \(e.text)")
      }
      return n
    }
  }
}
