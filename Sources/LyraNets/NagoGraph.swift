import LyraBase

/// The random graphs of NAGO's generator (vega/networks/pytorch/customs/utils/
/// logical_graph.py), drawn as networkx draws them — Watts–Strogatz (`WS`, connected
/// variant, 200 tries) and Erdős–Rényi (`ER`, G(n, p)) — from Python's generator seeded
/// 0, 1, 2, ... (at most 30), taking the first graph that is connected and whose every
/// node has a neighbour. A node's inputs are its lower-numbered neighbours; input nodes
/// have none, output nodes no higher-numbered neighbour.
struct NagoGraph: Equatable {
  /// The lower-numbered neighbours of each node, ascending.
  var inputs: [[Int]]
  var inputNodes: [Int]
  var outputNodes: [Int]

  enum Model: Equatable {
    case wattsStrogatz(nodes: Int, p: Double, k: Int)
    case erdosRenyi(nodes: Int, p: Double)
  }

  /// Undirected edges as neighbour sets.
  struct Edges {
    var adjacent: [Set<Int>]
    init(_ n: Int) { adjacent = Array(repeating: [], count: n) }
    mutating func add(_ u: Int, _ v: Int) { adjacent[u].insert(v); adjacent[v].insert(u) }
    mutating func remove(_ u: Int, _ v: Int) { adjacent[u].remove(v); adjacent[v].remove(u) }
    var connected: Bool {
      guard !adjacent.isEmpty else { return false }
      var seen: Set<Int> = [0], stack = [0]
      while let u = stack.popLast() { for v in adjacent[u] where seen.insert(v).inserted { stack.append(v) } }
      return seen.count == adjacent.count
    }
    static func complete(_ n: Int) -> Edges {
      var e = Edges(n)
      for u in 0..<n { for v in (u + 1)..<max(u + 1, n) { e.add(u, v) } }
      return e
    }
  }

  /// networkx's `watts_strogatz_graph(n, k, p, seed)`: a ring lattice to k/2 neighbours a
  /// side, each lattice edge (u, u+j) rewired to a random w with probability p.
  static func wattsStrogatz(_ n: Int, _ k: Int, _ p: Double, _ rng: inout PythonRandom) -> Edges {
    if k == n { return .complete(n) }
    var g = Edges(n)
    let half = k / 2
    guard half >= 1 else { return g }
    for j in 1...half { for u in 0..<n { g.add(u, (u + j) % n) } }
    for j in 1...half {
      for u in 0..<n {
        let v = (u + j) % n
        guard rng.random() < p else { continue }
        var w = rng.below(n)
        var skipped = false
        while w == u || g.adjacent[u].contains(w) {
          w = rng.below(n)
          if g.adjacent[u].count >= n - 1 { skipped = true; break }
        }
        if !skipped {
          g.remove(u, v)
          g.add(u, w)
        }
      }
    }
    return g
  }

  /// networkx's `gnp_random_graph(n, p, seed)`: each pair (u < v), in order, with probability p.
  static func erdosRenyi(_ n: Int, _ p: Double, _ rng: inout PythonRandom) -> Edges {
    if p >= 1 { return .complete(n) }
    var g = Edges(n)
    guard p > 0 else { return g }
    for u in 0..<n { for v in (u + 1)..<max(u + 1, n) where rng.random() < p { g.add(u, v) } }
    return g
  }

  /// One draw with Python's generator seeded `seed`; nil where networkx raises (no connected
  /// Watts–Strogatz graph in 200 tries).
  static func draw(_ model: Model, seed: UInt32) -> Edges? {
    var rng = PythonRandom(seed: seed)
    switch model {
    case let .erdosRenyi(n, p): return erdosRenyi(n, p, &rng)
    case let .wattsStrogatz(n, p, k):
      for _ in 0..<200 {
        let g = wattsStrogatz(n, k, p, &rng)
        if g.connected { return g }
      }
      return nil
    }
  }

  /// The first usable graph of seeds 0…29 (VEGA's `_init_graph`), or nil.
  static func generate(_ model: Model) -> NagoGraph? {
    for seed in 0..<30 {
      guard let g = draw(model, seed: UInt32(seed)) else { return nil }
      guard g.connected else { continue }
      let n = g.adjacent.count
      if n == 1 { return NagoGraph(inputs: [[]], inputNodes: [0], outputNodes: []) }
      guard g.adjacent.allSatisfy({ !$0.isEmpty }) else { continue }
      var info = NagoGraph(inputs: [], inputNodes: [], outputNodes: [])
      for u in 0..<n {
        let near = g.adjacent[u].sorted()
        if u < near[0] { info.inputNodes.append(u) }
        if u > near[near.count - 1] { info.outputNodes.append(u) }
        info.inputs.append(near.filter { $0 < u })
      }
      return info
    }
    return nil
  }

  /// VEGA's `get_stage_list`: the stage of each of n top-level nodes (3 nodes: one a stage;
  /// otherwise by the cumulative stage ratios times n).
  static func stages(_ n: Int, ratios: [Double]) -> [Int] {
    if n == 3 { return [0, 1, 2] }
    var out: [Int] = [], stage = 0
    var threshold = ratios[0] * Double(n)
    for x in 0..<n {
      if Double(x) >= threshold, stage + 1 < ratios.count {
        stage += 1
        threshold += ratios[stage] * Double(n)
      }
      out.append(stage)
    }
    return out
  }
}
