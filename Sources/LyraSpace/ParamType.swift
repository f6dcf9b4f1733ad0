import LyraBase

/// The hyperparameter types a space may declare: VEGA 1.8's `param_types.py` plus the
/// array types of the VEGA paper (§4.2) that no VEGA tag ships.
public enum ParamType: String, CaseIterable, Sendable {
  case int = "INT", intExp = "INT_EXP", float = "FLOAT", floatExp = "FLOAT_EXP"
  case category = "CATEGORY", bool = "BOOL"
  case binaryCode = "BINARY_CODE", half = "HALF", adjacencyList = "ADJACENCY_LIST"
  case intArray = "IntArray", multiPositionArray = "MultiPositionArray", binaryArray = "BinaryArray"

  /// Old (VEGA ≤ 1.1) names and a misspelling seen in VEGA's docs, mapped to today's types.
  static let aliases: [String: ParamType] = [
    "INT_CAT": .category, "FLOAT_CAT": .category, "STRING": .category,
    "MutilyPositionArray": .multiPositionArray,
  ]

  /// Parses a type name as written in a YAML/JSON space. Names are matched exactly first,
  /// then ignoring case (`float_exp` works); anything else is an error that suggests the
  /// closest known name, because a typo'd type must never silently become a default.
  public static func parse(_ name: String, key: String) throws -> ParamType {
    if let t = ParamType(rawValue: name) ?? aliases[name] { return t }
    let all = ParamType.allCases.map(\.rawValue) + aliases.keys.sorted()
    if let hit = all.first(where: { $0.lowercased() == name.lowercased() }) {
      return ParamType(rawValue: hit) ?? aliases[hit]!
    }
    throw SpaceError("\(key): unknown type '\(name)'" + Suggest.hint(name, in: all))
  }

  /// True for types whose value is a list and whose width can exceed one.
  public var isArray: Bool {
    switch self {
    case .binaryCode, .half, .intArray, .multiPositionArray, .binaryArray: return true
    case .adjacencyList: return false
    default: return false
    }
  }
}
