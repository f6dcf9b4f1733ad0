import LyraBase

/// A validated search space: hyperparameters, conditions (a DAG) and forbidden clauses,
/// with sampling, a [0, 1] codec, a grid and mutation for the search algorithms.
public struct SearchSpace: Sendable {
  /// In declaration order; the order of `keys`, `dimensions` and encoded vectors.
  public let parameters: [Hyperparameter]
  public let conditions: [Condition]
  /// Each an AND-clause: a config that has every listed key at the listed value is excluded.
  public let forbidden: [[String: ParamValue]]

  /// Parameter index by key.
  let index: [String: Int]
  /// Indices in a parents-before-children order (stable in declaration order).
  let order: [Int]
  /// Conditions by child key.
  let conditionsOf: [String: [Condition]]
  /// Each forbidden clause's "last" key: the latest in `order`, the one decode steers.
  let lastKeyOf: [String]
  /// First coordinate of each parameter in the encoded vector.
  let offsets: [Int]

  /// Validates: unique keys, known condition parents/children, condition values within
  /// the parent's range, no cycle, forbidden clauses naming known keys with valid values.
  public init(parameters: [Hyperparameter], conditions: [Condition] = [], forbidden: [[String: ParamValue]] = []) throws {
    var index: [String: Int] = [:]
    for (i, p) in parameters.enumerated() {
      if index[p.key] != nil { throw SpaceError("\(p.key): duplicate key") }
      index[p.key] = i
    }
    let known = parameters.map(\.key)
    func unknown(_ k: String, _ role: String) -> SpaceError {
      SpaceError("\(k): \(role) is not a hyperparameter of the space" + Suggest.hint(k, in: known))
    }
    var conditionsOf: [String: [Condition]] = [:]
    for c in conditions {
      guard let pi = index[c.parent] else { throw unknown(c.parent, "condition parent of '\(c.child)'") }
      guard index[c.child] != nil else { throw unknown(c.child, "condition child") }
      if c.child == c.parent { throw SpaceError("\(c.child): a condition cannot depend on itself") }
      let parent = parameters[pi]
      for v in c.namedValues where !parent.contains(v) {
        throw SpaceError("\(c.child): condition value \(v) is not a value of parent '\(c.parent)'")
      }
      if case .range(let lo, let hi) = c.rule, lo > hi {
        throw SpaceError("\(c.child): condition range [\(lo), \(hi)] on '\(c.parent)' is inverted")
      }
      conditionsOf[c.child, default: []].append(c)
    }
    // Kahn's algorithm, always taking the earliest-declared ready parameter.
    var indegree = parameters.map { conditionsOf[$0.key]?.count ?? 0 }
    var order: [Int] = [], done = Set<Int>()
    while order.count < parameters.count {
      guard let next = indegree.indices.first(where: { !done.contains($0) && indegree[$0] == 0 }) else {
        let stuck = parameters.indices.first { !done.contains($0) }!
        throw SpaceError("\(parameters[stuck].key): conditions form a cycle")
      }
      done.insert(next)
      order.append(next)
      for c in conditions where c.parent == parameters[next].key { indegree[index[c.child]!] -= 1 }
    }
    let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
    var lastKeyOf: [String] = []
    for clause in forbidden {
      if clause.isEmpty { throw SpaceError("forbidden: empty clause") }
      for (k, v) in clause.sorted(by: { $0.key < $1.key }) {
        guard let i = index[k] else { throw unknown(k, "forbidden key") }
        if !parameters[i].contains(v) { throw SpaceError("\(k): forbidden value \(v) is not a value of the hyperparameter") }
      }
      lastKeyOf.append(clause.keys.max { rank[index[$0]!]! < rank[index[$1]!]! }!)
    }
    var offsets: [Int] = [], w = 0
    for p in parameters { offsets.append(w); w += p.width }
    self.parameters = parameters
    self.conditions = conditions
    self.forbidden = forbidden
    self.index = index
    self.order = order
    self.conditionsOf = conditionsOf
    self.lastKeyOf = lastKeyOf
    self.offsets = offsets
  }

  public var keys: [String] { parameters.map(\.key) }

  /// Total encoded width.
  public var dimension: Int { parameters.reduce(0) { $0 + $1.width } }

  /// One per encoded coordinate, in encoded order.
  public var dimensions: [Dimension] { parameters.flatMap(\.dimensions) }

  /// The hyperparameter with this key.
  public subscript(key: String) -> Hyperparameter? { index[key].map { parameters[$0] } }

  /// Whether `key` is active given the values already in `c`: every condition on it holds
  /// for its parent's value, and each parent is itself present (active) in `c`.
  public func isActive(_ key: String, in c: Config) -> Bool {
    for cond in conditionsOf[key] ?? [] {
      guard let pv = c[cond.parent], isActive(cond.parent, in: c), cond.holds(for: pv) else { return false }
    }
    return true
  }

  /// The index of the first forbidden clause `c` matches, if any.
  public func forbiddenClause(matching c: Config) -> Int? {
    forbidden.indices.first { i in forbidden[i].allSatisfy { k, v in c[k].map { $0.matches(v) } ?? false } }
  }

  /// Whether `c` matches a forbidden clause.
  public func isForbidden(_ c: Config) -> Bool { forbiddenClause(matching: c) != nil }
}
