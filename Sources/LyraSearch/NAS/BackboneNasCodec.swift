import LyraBase
import LyraSpace

/// VEGA's BackboneNas codec (docs/algorithms/pareto_ea.md#the-codecs; `vega/algorithms/nas/backbone_nas`): a ResNet
/// backbone whose stage layout is searched. Each residual block carries two bits: does it
/// double the channels (`doublechannel`), does it have stride 2 (`downsample`).
///
/// The space gives `network.backbone.depth` (18, 20, 34, 50, 101 or 152), optionally
/// `network.backbone.base_channel`, and the *counts* `network.backbone.doublechannel`
/// and `network.backbone.downsample`. An individual holds, under the same keys, the depth
/// and base channel as ints and the two 0/1 lists, one entry per block: 8 blocks for
/// depth 18, 9 for 20, 16 for 34 and 50, 33 for 101, 50 for 152. That list form is the
/// contract with the ResNet builder. Other keys of the space are carried unchanged.
///
/// Sampling puts each count's ones at random blocks (VEGA's `random_sample`, i.e.
/// `encode(is_random=True)`); a count the space leaves out gets the standard ResNet
/// layout (ones at the first block of stages 2, 3, 4). Mutation is VEGA's `ea_sample` on
/// both lists: insert a 1 at a random place and remove a random 1 (the count is kept, a
/// one moves), then swap a random 0 with the element `r` places away, r uniform in
/// 1...`swapDistance` (VEGA: `num_mutate // 2`) in either direction. Mutation never
/// changes depth or counts, as in VEGA; new depths come from random samples.
///
/// Two deliberate differences from VEGA: a swap that would leave the list is redrawn
/// (Python's negative indices made VEGA swap with the far end), and a count above the
/// block count is a load-time error (VEGA's `random.sample` raised mid-search).
/// Crossover (not in VEGA): for parents of equal depth, the child takes `doublechannel`
/// from one and `downsample` from the other, so both counts stay those of a parent.
public struct BackboneNasCodec: Codec {
  public static let depthKey = "network.backbone.depth"
  public static let baseChannelKey = "network.backbone.base_channel"
  public static let doubleChannelKey = "network.backbone.doublechannel"
  public static let downsampleKey = "network.backbone.downsample"

  /// Residual blocks per depth (VEGA's `layer_to_block`, plus CIFAR's ResNet-20: 3×3).
  public static let blocks: [Int: Int] = [18: 8, 20: 9, 34: 16, 50: 16, 101: 33, 152: 50]
  /// Stage sizes per depth, for the standard layout.
  static let stages: [Int: [Int]] = [18: [2, 2, 2, 2], 20: [3, 3, 3], 34: [3, 4, 6, 3], 50: [3, 4, 6, 3],
                                     101: [3, 4, 23, 3], 152: [3, 8, 36, 3]]

  /// The standard ResNet layout: a 1 at the first block of every stage after the first.
  /// (VEGA's depth-101 table has 32 entries for 33 blocks; this one has 33.)
  public static func standardLayout(depth: Int) -> [Int]? {
    guard let s = stages[depth] else { return nil }
    var out: [Int] = []
    for (i, n) in s.enumerated() { out += [i > 0 ? 1 : 0] + Array(repeating: 0, count: n - 1) }
    return out
  }

  public let space: SearchSpace
  /// Largest swap distance (VEGA: `num_mutate // 2`, 5 with VEGA's default 10).
  public let swapDistance: Int

  /// Checks the space: a depth key with supported values, counts that fit every depth.
  public init(space: SearchSpace, swapDistance: Int = 5) throws {
    guard swapDistance >= 1 else { throw CodecError("swapDistance must be at least 1") }
    let depths = try NASSpace.requireInts(space, Self.depthKey, "ResNet depth")
    for d in depths where Self.blocks[d] == nil {
      throw CodecError("\(Self.depthKey): depth \(d) is not one of \(Self.blocks.keys.sorted())")
    }
    if space[Self.baseChannelKey] != nil {
      let c = try NASSpace.requireInts(space, Self.baseChannelKey, "base channel")
      if let bad = c.first(where: { $0 < 1 }) { throw CodecError("\(Self.baseChannelKey): \(bad) is not a positive width") }
    }
    let fewest = depths.map { Self.blocks[$0]! }.min()!
    for key in [Self.doubleChannelKey, Self.downsampleKey] where space[key] != nil {
      let counts = try NASSpace.requireInts(space, key, "number of blocks set to 1")
      if let bad = counts.first(where: { $0 < 0 || $0 > fewest }) {
        throw CodecError("\(key): count \(bad) does not fit depth \(depths.first { Self.blocks[$0]! == fewest }!) (\(fewest) blocks)")
      }
    }
    self.space = space
    self.swapDistance = swapDistance
  }

  public func sample(_ g: Generator) -> Config {
    var c = space.sample(g)
    let depth = NASSpace.int(c, Self.depthKey)!
    let n = Self.blocks[depth]!
    c[Self.depthKey] = .int(depth)
    if let b = NASSpace.int(c, Self.baseChannelKey) { c[Self.baseChannelKey] = .int(b) }
    for key in [Self.doubleChannelKey, Self.downsampleKey] {
      var bits: [Int]
      if let k = NASSpace.int(c, key) {
        bits = Array(repeating: 0, count: n)
        for i in g.permutation(n).prefix(k) { bits[i] = 1 }
      } else {
        bits = Self.standardLayout(depth: depth)!
      }
      c[key] = Self.list(bits)
    }
    return c
  }

  public func mutate(_ parent: Config, _ g: Generator) -> Config {
    var c = parent
    for key in [Self.doubleChannelKey, Self.downsampleKey] {
      guard var bits = Self.bits(parent[key]) else { continue }
      Self.moveOne(&bits, g)
      Self.swap(&bits, distance: swapDistance, g)
      c[key] = Self.list(bits)
    }
    return c
  }

  public func crossover(_ a: Config, _ b: Config, _ g: Generator) -> Config? {
    guard a[Self.depthKey] == b[Self.depthKey] else { return nil }
    let (x, y) = g.bernoulli(0.5) ? (a, b) : (b, a)
    var child = x
    child[Self.downsampleKey] = y[Self.downsampleKey]
    return child
  }

  /// VEGA's `_insert` then `_remove`: a 1 goes in at a random index (0..<n), then a random
  /// 1 comes out, so the length and the count are kept.
  static func moveOne(_ bits: inout [Int], _ g: Generator) {
    guard !bits.isEmpty else { return }
    bits.insert(1, at: g.int(below: bits.count))
    let ones = bits.indices.filter { bits[$0] == 1 }
    bits.remove(at: ones[g.int(below: ones.count)])
  }

  /// VEGA's `_swap`: a random 0 trades places with the element r ∈ 1...distance away, in
  /// a random direction; draws that leave the list are redrawn (bounded).
  static func swap(_ bits: inout [Int], distance: Int, _ g: Generator) {
    let zeros = bits.indices.filter { bits[$0] == 0 }
    guard !zeros.isEmpty, bits.count > 1 else { return }
    for _ in 0..<64 {
      let i = zeros[g.int(below: zeros.count)]
      let r = g.int(in: 1...distance)
      let j = g.bernoulli(0.5) ? i - r : i + r
      if bits.indices.contains(j) { bits.swapAt(i, j); return }
    }
  }

  static func list(_ bits: [Int]) -> ParamValue { .list(bits.map { .int($0) }) }

  static func bits(_ v: ParamValue?) -> [Int]? {
    guard case .list(let l)? = v else { return nil }
    var out: [Int] = []
    for x in l {
      guard case .int(let b) = x, b == 0 || b == 1 else { return nil }
      out.append(b)
    }
    return out
  }

  public func validate(_ c: Config) throws {
    guard let depth = NASSpace.int(c, Self.depthKey), let n = Self.blocks[depth] else {
      throw CodecError("\(Self.depthKey): \(c[Self.depthKey].map(\.description) ?? "missing") is not a supported depth")
    }
    if space[Self.baseChannelKey] != nil {
      guard case .int(let b)? = c[Self.baseChannelKey], b > 0 else { throw CodecError("\(Self.baseChannelKey): not a positive int") }
    }
    for key in [Self.doubleChannelKey, Self.downsampleKey] {
      guard let bits = Self.bits(c[key]) else { throw CodecError("\(key): not a list of 0/1 ints") }
      guard bits.count == n else { throw CodecError("\(key): \(bits.count) entries for depth \(depth) (\(n) blocks)") }
    }
    var rest = c
    for k in [Self.depthKey, Self.baseChannelKey, Self.doubleChannelKey, Self.downsampleKey] { rest[k] = nil }
    for (k, v) in rest where !(space[k]?.contains(v) ?? false) { throw CodecError("\(k): \(v) is not a value of the space") }
  }

  public var settings: JSON {
    .object(["codec": .string("backbone_nas"), "keys": .array(space.keys.map { .string($0) }),
             "dimension": JSON(space.dimension), "swap_distance": JSON(swapDistance)])
  }
}
