extension SearchSpace {
  /// Every combination of grid values (VEGA's `gridding=True`): numeric parameters take
  /// `slices` (or their own `slice`) evenly spaced points including both ends, discrete
  /// ones every value. Inactive children do not multiply the grid; forbidden points are
  /// left out; duplicates (ints that round together) appear once.
  public func grid(slices: Int) -> [Config] {
    let values = parameters.map { $0.gridValues(slices: slices) }
    var out: [Config] = [], seen = Set<Config>()
    func go(_ pos: Int, _ c: Config) {
      if pos == order.count {
        if !isForbidden(c), seen.insert(c).inserted { out.append(c) }
        return
      }
      let i = order[pos], p = parameters[i]
      guard isActive(p.key, in: c) else { return go(pos + 1, c) }
      for v in values[i] {
        var d = c
        d[p.key] = v
        go(pos + 1, d)
      }
    }
    go(0, [:])
    return out
  }
}
