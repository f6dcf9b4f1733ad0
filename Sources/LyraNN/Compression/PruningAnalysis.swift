import LyraTensor

/// Which output channels of which convolutions can be removed together, found by
/// following channels through the module tree symbolically (no forward pass needed).
///
/// Every ordinary convolution (groups 1) produces a *node*: its output channels. The walk
/// carries, for the tensor at each point, the list of nodes its channels come from
/// (`Flow`). Layers that act per channel (batch norm, activations, pooling, depthwise
/// convolution) pass the list on; consumers (the next convolution, a linear layer after
/// `Flatten`) remember it, so removing a channel removes the matching input slice there.
///
/// A residual `Add` makes channel i of every branch the same channel, so the nodes at the
/// same position are merged (union-find) into one group with one shared mask: the choice
/// for VEGA's PruneEA on ResNets, which keeps every convolution of a residual stage
/// prunable instead of freezing them. A node is frozen (never pruned) when its channels
/// reach something whose channel structure is unknown or fixed: the network's output, a
/// grouped (non-depthwise) convolution, a module that is not a LyraNN layer or container
/// (e.g. LyraNets' `Operator`/`ResidualBlock`, whose `forward` is code), a `Flatten` of
/// other dimensions, an `Add` of differently split branches, or a module used twice.
final class PruningAnalysis {
  /// A run of consecutive channels produced by one node (nil: channels that never change).
  struct Segment: Equatable {
    var node: Int?
    var count: Int
  }

  /// What is known about the channels of a tensor at one point of the network.
  enum Flow {
    /// N×C×H×W; the channels are the segments in order.
    case spatial([Segment])
    /// N×(C·s) after `Flatten()`: each channel became s consecutive features.
    case flat([Segment])
    /// Nothing prunable flows here.
    case opaque
  }

  struct Node {
    var name: String
    var channels: Int
  }

  private(set) var nodes: [Node] = []
  private var parent: [Int] = []
  private var frozen: [Bool] = []
  /// The flow each consumer (conv, BN, linear) saw on its input.
  private(set) var inputs: [ObjectIdentifier: Flow] = [:]
  /// The node each ordinary convolution produces.
  private(set) var produced: [ObjectIdentifier: Int] = [:]
  /// The features per channel a linear or BatchNorm1d consumer found on a flat flow.
  private(set) var spatial: [ObjectIdentifier: Int] = [:]
  /// Depthwise convolutions and the node their channels follow (they shrink with it).
  private(set) var followers: [(name: String, node: Int)] = []
  private var names: [ObjectIdentifier: String] = [:]
  private var seen: Set<ObjectIdentifier> = []

  init(_ model: Module) {
    for (n, m) in model.namedModules() { names[ObjectIdentifier(m)] = n }
    freeze(walk(model, .opaque)) // the network's output keeps its channels
  }

  // MARK: - Union-find

  func root(_ n: Int) -> Int {
    var r = n
    while parent[r] != r { r = parent[r] }
    return r
  }

  func isFrozen(_ n: Int) -> Bool { frozen[root(n)] }

  private func union(_ a: Int, _ b: Int) {
    let ra = root(a), rb = root(b)
    guard ra != rb else { return }
    let (keep, drop) = ra < rb ? (ra, rb) : (rb, ra)
    parent[drop] = keep
    frozen[keep] = frozen[keep] || frozen[drop]
  }

  private func freeze(_ f: Flow) {
    switch f {
    case .spatial(let s), .flat(let s): for seg in s { if let n = seg.node { frozen[root(n)] = true } }
    case .opaque: break
    }
  }

  private func newNode(_ name: String, _ channels: Int) -> Int {
    nodes.append(Node(name: name, channels: channels))
    parent.append(nodes.count - 1)
    frozen.append(false)
    return nodes.count - 1
  }

  static func channels(_ s: [Segment]) -> Int { s.reduce(0) { $0 + $1.count } }

  // MARK: - The walk

  private func walk(_ m: Module, _ x: Flow) -> Flow {
    let id = ObjectIdentifier(m)
    guard !seen.contains(id) else { return reused(m, x) }
    seen.insert(id)
    let name = names[id] ?? "?"
    switch m {
    case let s as Sequential where type(of: s) == Sequential.self:
      return s.children.reduce(x) { walk($1.module, $0) }
    case let a as Add where type(of: a) == Add.self:
      return join(a.children.map { walk($0.module, x) })
    case let c as Concat where type(of: c) == Concat.self:
      let outs = c.children.map { walk($0.module, x) }
      var all: [Segment] = []
      for o in outs {
        guard case .spatial(let s) = o, c.dim == 1 || c.dim == -3 else {
          outs.forEach(freeze)
          return .opaque
        }
        all += s
      }
      return .spatial(all)
    case let conv as Conv2d:
      inputs[id] = x
      if conv.groups == 1 {
        let n = newNode(name, conv.outChannels)
        produced[id] = n
        return .spatial([Segment(node: n, count: conv.outChannels)])
      }
      if conv.groups == conv.inChannels, conv.outChannels == conv.inChannels, case .spatial(let s) = x,
         PruningAnalysis.channels(s) == conv.inChannels {
        for seg in s { if let n = seg.node { followers.append((name, n)) } }
        return x // depthwise: output channel c is input channel c filtered
      }
      freeze(x)
      return .opaque
    case let bn as BatchNorm:
      inputs[id] = x
      switch x {
      case .spatial(let s) where bn.spatial && PruningAnalysis.channels(s) == bn.features:
        return x
      case .flat(let s) where !bn.spatial && PruningAnalysis.channels(s) > 0 && bn.features % PruningAnalysis.channels(s) == 0:
        spatial[id] = bn.features / PruningAnalysis.channels(s)
        return x
      default:
        freeze(x)
        return .opaque
      }
    case let l as Linear:
      inputs[id] = x
      if case .flat(let s) = x, PruningAnalysis.channels(s) > 0, l.inFeatures % PruningAnalysis.channels(s) == 0 {
        spatial[id] = l.inFeatures / PruningAnalysis.channels(s)
      } else {
        freeze(x)
      }
      return .opaque
    case let f as Flatten:
      if case .spatial(let s) = x, f.start == 1, f.end == -1 || f.end == 3 { return .flat(s) }
      freeze(x)
      return .opaque
    case is ReLU, is ReLU6, is LeakyReLU, is GELU, is Sigmoid, is Tanh, is SiLU, is Hardswish, is Dropout, is Identity:
      return x
    case is MaxPool2d, is AvgPool2d, is AdaptiveAvgPool2d, is Zero:
      if case .spatial = x { return x }
      freeze(x)
      return .opaque
    default:
      freeze(x) // an unknown module keeps every channel it is given, and nothing inside it is pruned
      return .opaque
    }
  }

  /// Branches of a residual sum: nodes at the same channel positions become one group;
  /// a fixed channel or a different split freezes them all.
  private func join(_ outs: [Flow]) -> Flow {
    guard case .spatial(let first) = outs[0] else {
      outs.forEach(freeze)
      return .opaque
    }
    var segs: [[Segment]] = []
    for o in outs {
      guard case .spatial(let s) = o, s.map(\.count) == first.map(\.count) else {
        outs.forEach(freeze)
        return .opaque
      }
      segs.append(s)
    }
    for i in first.indices {
      let column = segs.map { $0[i].node }
      let ids = column.compactMap { $0 }
      for n in ids.dropFirst() { union(ids[0], n) }
      if ids.count < column.count, let n = ids.first { frozen[root(n)] = true }
    }
    return outs[0]
  }

  /// A module called a second time may see other channels than the first time: nothing
  /// that reaches it, or that it produces, is pruned.
  private func reused(_ m: Module, _ x: Flow) -> Flow {
    freeze(x)
    for (_, sub) in m.namedModules() {
      let sid = ObjectIdentifier(sub)
      if let f = inputs[sid] { freeze(f) }
      if let n = produced[sid] { frozen[root(n)] = true }
    }
    return .opaque
  }

  // MARK: - Results

  /// The prunable groups (roots of unfrozen nodes), in the order their first node runs.
  func groups() -> [PruneGroup] {
    var byRoot: [Int: Int] = [:]
    var out: [PruneGroup] = []
    for n in nodes.indices where !isFrozen(n) {
      let r = root(n)
      if let k = byRoot[r] {
        out[k].convolutions.append(nodes[n].name)
      } else {
        byRoot[r] = out.count
        out.append(PruneGroup(index: out.count, channels: nodes[n].channels, convolutions: [nodes[n].name], depthwise: []))
      }
    }
    for f in followers where !isFrozen(f.node) {
      if let k = byRoot[root(f.node)], !out[k].depthwise.contains(f.name) { out[k].depthwise.append(f.name) }
    }
    return out
  }

  /// The group index of each unfrozen root.
  func groupIndex() -> [Int: Int] {
    var byRoot: [Int: Int] = [:]
    for n in nodes.indices where !isFrozen(n) && byRoot[root(n)] == nil { byRoot[root(n)] = byRoot.count }
    return byRoot
  }
}
