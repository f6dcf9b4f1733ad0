/// Per-field vocabularies of categorical tokens: counted over a pass, then frozen with a
/// frequency threshold. Id 0 of every field is its out-of-vocabulary bucket (rare tokens,
/// and tokens never seen, e.g. in a test file read with a training vocabulary).
///
/// Ids are given in order of decreasing count, ties by token, so a vocabulary is the
/// same whatever order the lines came in (determinism across a resumed or split read).
public struct CTRVocabulary: Equatable {
  public private(set) var counts: [[String: Int]]
  /// token → id (1-based within the field), after `freeze`.
  public private(set) var ids: [[String: Int32]] = []

  public init(fields: Int) { counts = Array(repeating: [:], count: fields) }

  public mutating func count(_ tokens: [String]) {
    for (f, t) in tokens.enumerated() { counts[f][t, default: 0] += 1 }
  }

  /// Keeps tokens seen at least `minFrequency` times.
  public mutating func freeze(minFrequency: Int) {
    ids = counts.map { c in
      let kept = c.filter { $0.value >= minFrequency }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
      var m: [String: Int32] = [:]
      for (k, e) in kept.enumerated() { m[e.key] = Int32(k + 1) }
      return m
    }
  }

  /// Ids per field, the OOV bucket included.
  public var fieldSizes: [Int] { ids.map { $0.count + 1 } }

  /// The field-local id of a token (0: OOV).
  @inline(__always) public func id(field: Int, _ token: String) -> Int32 { ids[field][token] ?? 0 }
}
