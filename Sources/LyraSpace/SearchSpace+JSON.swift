import Foundation
import LyraBase

/// Loading VEGA's search-space forms (docs/config.md#search_space): `{hyperparameters: [{key, type,
/// range, slice?, sample_num?}], condition: [{key, child, parent, type, range}],
/// forbidden: [{keyA: v, keyB: w}]}`, optionally wrapped in `{search_space: ...}`.
extension SearchSpace {
  static let topFields = ["type", "hyperparameters", "condition", "conditions", "forbidden"]
  static let entryFields = ["key", "type", "range", "slice", "sample_num", "generator"]
  static let conditionFields = ["key", "child", "parent", "type", "range"]

  public init(json: JSON) throws {
    var root = json
    if let inner = json["search_space"] { root = inner }
    guard let top = root.object else { throw SpaceError("search space: expected an object with 'hyperparameters'") }
    try SearchSpace.rejectUnknown(top, allowed: SearchSpace.topFields, at: "search space")
    guard let list = top["hyperparameters"]?.array else { throw SpaceError("search space: 'hyperparameters' must be a list") }
    let params = try list.enumerated().map { try SearchSpace.parameter($1, at: $0) }
    let byKey = Dictionary(params.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    var conditions: [Condition] = []
    if let cs = top["condition"] ?? top["conditions"] {
      guard let arr = cs.array else { throw SpaceError("search space: 'condition' must be a list") }
      conditions = try arr.enumerated().map { try SearchSpace.condition($1, at: $0, parameters: byKey) }
    }
    var forbidden: [[String: ParamValue]] = []
    if let fs = top["forbidden"] {
      guard let arr = fs.array else { throw SpaceError("search space: 'forbidden' must be a list") }
      for (i, f) in arr.enumerated() {
        guard let obj = f.object else { throw SpaceError("forbidden[\(i)]: expected an object {key: value, ...}") }
        var clause: [String: ParamValue] = [:]
        for (k, v) in obj {
          guard let pv = ParamValue(json: v) else { throw SpaceError("\(k): forbidden value \(v.text) is not a value") }
          clause[k] = pv
        }
        forbidden.append(clause)
      }
    }
    try self.init(parameters: params, conditions: conditions, forbidden: forbidden)
  }

  /// Parses JSON text (a convenience for files and tests).
  public init(jsonText: String) throws {
    let parsed: JSON
    do { parsed = try JSON.parse(Data(jsonText.utf8)) } catch { throw SpaceError("search space: \(error)") }
    try self.init(json: parsed)
  }

  static func rejectUnknown(_ obj: [String: JSON], allowed: [String], at place: String) throws {
    for k in obj.keys.sorted() where !allowed.contains(k) {
      throw SpaceError("\(place): unknown field '\(k)'" + Suggest.hint(k, in: allowed))
    }
  }

  static func parameter(_ j: JSON, at i: Int) throws -> Hyperparameter {
    guard let obj = j.object else { throw SpaceError("hyperparameters[\(i)]: expected an object {key, type, range}") }
    guard let key = obj["key"]?.string, !key.isEmpty else { throw SpaceError("hyperparameters[\(i)]: missing 'key'") }
    try rejectUnknown(obj, allowed: entryFields, at: key)
    guard let typeName = obj["type"]?.string else { throw SpaceError("\(key): missing 'type'") }
    let type = try ParamType.parse(typeName, key: key)
    var range: [ParamValue] = []
    if let r = obj["range"] {
      guard let arr = r.array else { throw SpaceError("\(key): 'range' must be a list") }
      range = try arr.map { v in
        guard let pv = ParamValue(json: v) else { throw SpaceError("\(key): range value \(v.text) is not a value") }
        return pv
      }
    } else if type != .bool {
      throw SpaceError("\(key): missing 'range'")
    }
    func intField(_ name: String) throws -> Int? {
      guard let v = obj[name], v != .null else { return nil }
      guard let n = v.int else { throw SpaceError("\(key): '\(name)' must be an integer") }
      return n
    }
    return try Hyperparameter(key: key, type: type, range: range, slice: intField("slice"), sampleNum: intField("sample_num"))
  }

  static func condition(_ j: JSON, at i: Int, parameters: [String: Hyperparameter]) throws -> Condition {
    guard let obj = j.object else { throw SpaceError("condition[\(i)]: expected an object {child, parent, type, range}") }
    guard let child = obj["child"]?.string else { throw SpaceError("condition[\(i)]: missing 'child'") }
    try rejectUnknown(obj, allowed: conditionFields, at: "\(child) (condition)")
    guard let parent = obj["parent"]?.string else { throw SpaceError("\(child): condition missing 'parent'") }
    guard let typeName = obj["type"]?.string else { throw SpaceError("\(child): condition missing 'type'") }
    guard let arr = obj["range"]?.array else { throw SpaceError("\(child): condition 'range' must be a list") }
    let values = try arr.map { v -> ParamValue in
      guard let pv = ParamValue(json: v) else { throw SpaceError("\(child): condition value \(v.text) is not a value") }
      return pv
    }
    let rule: Condition.Rule
    switch typeName.uppercased() {
    case "EQUAL", "NOT_EQUAL":
      guard values.count == 1 else { throw SpaceError("\(child): \(typeName) condition needs exactly one value, got \(values.count)") }
      rule = typeName.uppercased() == "EQUAL" ? .equal(values[0]) : .notEqual(values[0])
    case "IN":
      // VEGA: IN lists values for a categorical parent and [low, high] for a numeric one.
      if let p = parameters[parent], p.bounds != nil {
        guard values.count == 2, let lo = values[0].plainNumber, let hi = values[1].plainNumber else {
          throw SpaceError("\(child): IN on numeric parent '\(parent)' needs [low, high]")
        }
        rule = .range(lo, hi)
      } else {
        if values.isEmpty { throw SpaceError("\(child): IN condition with an empty range") }
        rule = .oneOf(values)
      }
    default:
      throw SpaceError("\(child): unknown condition type '\(typeName)'"
        + Suggest.hint(typeName, in: ["EQUAL", "NOT_EQUAL", "IN"]))
    }
    return Condition(child: child, parent: parent, rule: rule)
  }
}
