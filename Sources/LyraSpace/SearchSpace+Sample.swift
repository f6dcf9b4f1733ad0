import LyraBase

extension SearchSpace {
  /// A random configuration: parents first, children only when their conditions hold,
  /// inactive keys absent. Forbidden combinations are rejected and redrawn (so the
  /// allowed region stays uniformly covered); after 1,000 rejections the last draw is
  /// steered like `decode`.
  public func sample(_ g: Generator) -> Config {
    var c = Config()
    for _ in 0..<1000 {
      c = resolve([:]) { $0.sample(g) }
      if !isForbidden(c) { return c }
    }
    let drawn = c
    return steered { p in drawn[p.key] ?? p.sample(g) }
  }

  /// Walks the DAG parents first: an active key takes `base[key]` when present, else
  /// `fill(parameter)`; inactive keys are dropped.
  func resolve(_ base: Config, fill: (Hyperparameter) -> ParamValue) -> Config {
    var c = Config()
    for i in order {
      let p = parameters[i]
      if isActive(p.key, in: c) { c[p.key] = base[p.key] ?? fill(p) }
    }
    return c
  }

  /// Resolves, then steers away from forbidden clauses as VEGA does: the clause's last
  /// key (latest in parents-first order, since Swift dictionaries keep no order) moves
  /// to its nearest allowed value; a move that clears every clause is preferred, else
  /// one that clears this clause, repeated a bounded number of times.
  func steered(fill: (Hyperparameter) -> ParamValue) -> Config {
    var overrides = Config()
    var c = resolve(overrides, fill: fill)
    for _ in 0..<(4 * max(1, forbidden.count) * max(1, parameters.count)) {
      guard let f = forbiddenClause(matching: c) else { return c }
      let k = lastKeyOf[f], p = parameters[index[k]!]
      var clean: (Config, Config)?, partial: (Config, Config)?
      for alt in p.alternatives(to: c[k]!) {
        var o = overrides
        o[k] = alt
        let t = resolve(o, fill: fill)
        if !isForbidden(t) { clean = (o, t); break }
        if partial == nil, !forbidden[f].allSatisfy({ kk, v in t[kk].map { $0.matches(v) } ?? false }) { partial = (o, t) }
      }
      guard let next = clean ?? partial else { return c }
      (overrides, c) = next
    }
    return c
  }

  /// Throws a `SpaceError` naming the key: an unknown key, an active key missing, an
  /// inactive key present, a value out of range, or a forbidden combination.
  public func validate(_ c: Config) throws {
    for k in c.keys.sorted() where index[k] == nil {
      throw SpaceError("\(k): not a hyperparameter of the space" + Suggest.hint(k, in: keys))
    }
    for i in order {
      let p = parameters[i]
      let active = isActive(p.key, in: c)
      if active, c[p.key] == nil { throw SpaceError("\(p.key): missing (the hyperparameter is active)") }
      if !active, c[p.key] != nil {
        let parents = (conditionsOf[p.key] ?? []).map(\.parent).joined(separator: ", ")
        throw SpaceError("\(p.key): set but inactive (its condition on \(parents) does not hold)")
      }
      if let v = c[p.key] { try p.check(v) }
    }
    if let f = forbiddenClause(matching: c) {
      let clause = forbidden[f].sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
      throw SpaceError("\(lastKeyOf[f]): forbidden combination {\(clause)}")
    }
  }
}
