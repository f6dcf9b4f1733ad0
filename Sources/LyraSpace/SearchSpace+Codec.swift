extension SearchSpace {
  /// The configuration as a point of [0, 1]^dimension, parameters in declaration order;
  /// absent (inactive) parameters encode as NaN so surrogates can tell "off" from a value.
  public func encode(_ c: Config) -> [Double] {
    var out: [Double] = []
    out.reserveCapacity(dimension)
    for p in parameters {
      if let v = c[p.key] { out += p.encode(v) } else { out += Array(repeating: .nan, count: p.width) }
    }
    return out
  }

  /// The inverse of `encode`: parents decode first, inactive children are dropped
  /// (VEGA's BFS decode), NaN coordinates of an active key read as 0.5, and a forbidden
  /// result is steered to the nearest allowed value of the clause's last key.
  public func decode(_ u: [Double]) -> Config {
    precondition(u.count == dimension, "SearchSpace.decode: expected \(dimension) coordinates, got \(u.count)")
    return steered { p in
      let o = offsets[index[p.key]!]
      return p.decode(u[o..<(o + p.width)])
    }
  }
}
