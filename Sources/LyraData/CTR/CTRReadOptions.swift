/// How a CTR log is read (`lyra.data.criteo{...}`, the dataset section's keys).
public struct CTRReadOptions: Equatable {
  /// What a malformed line (wrong field count, a non-numeric integer, a bad label) does.
  public enum OnError: String, Equatable, CaseIterable {
    /// Skip it, count it, report the first few with file:line.
    case skip
    /// Stop reading with an error naming file:line.
    case refuse
  }
  /// Tokens seen fewer times than this (over the lines read) share their field's OOV id
  /// (VEGA's and the Criteo recipe's frequency threshold; 10 on the full Criteo logs).
  public var minFrequency = 1
  public var onError = OnError.skip
  /// Read at most this many data lines (a sample of a big file); nil: all.
  public var maxLines: Int?
  /// The binary cache file; nil: `<path>.lyractr` beside the source. Reused when the
  /// source's size, modification time, format and options are those it was built from.
  public var cachePath: String?
  public init() {}
}

/// What reading a CTR log did: how many lines became samples, which were skipped.
public struct CTRReadReport: Equatable {
  public var samples = 0
  public var skipped = 0
  /// The first few skipped lines' errors, `file:line: message`.
  public var firstErrors: [String] = []
  /// Whether the binary cache was reused (no text was parsed).
  public var fromCache = false
  public var summary: String {
    var s = "\(samples) samples" + (fromCache ? " (from the binary cache)" : "")
    if skipped > 0 { s += ", \(skipped) malformed lines skipped (first: \(firstErrors.first ?? "?"))" }
    return s
  }
}
