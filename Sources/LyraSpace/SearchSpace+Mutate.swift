import LyraBase

extension SearchSpace {
  /// Changes exactly one active hyperparameter to a different valid value (the
  /// mutation step of evolution). Children that the change switches on are sampled,
  /// children it switches off are dropped, every other value is kept. A forbidden result
  /// is redrawn; a space with nothing to change returns `c` unchanged.
  public func mutate(_ c: Config, _ g: Generator) -> Config {
    let candidates = order.map { parameters[$0] }.filter { c[$0.key] != nil }
    guard !candidates.isEmpty else { return c }
    for _ in 0..<100 {
      let p = candidates[g.int(below: candidates.count)]
      let old = c[p.key]!
      var v = p.sample(g)
      var tries = 0
      while v.matches(old) && tries < 16 { v = p.sample(g); tries += 1 }
      if v.matches(old) {
        let alts = p.alternatives(to: old, limit: 16)
        if alts.isEmpty { continue }
        v = alts[g.int(below: alts.count)]
      }
      var base = c
      base[p.key] = v
      let r = resolve(base) { $0.sample(g) }
      if !isForbidden(r) { return r }
    }
    return c
  }
}
