import LyraBase
import LyraSpace

/// VEGA's DblockNas codec (docs/algorithms/pareto_ea.md#the-codecs; `vega/algorithms/nas/dnet_nas/dblock_nas_codec.py`):
/// random DNet *block* codes under a fixed macro, the first level of the D-Net search.
///
/// The space gives `network.backbone.op_num` (layers per block, 1–9), `network.backbone.skip_num`
/// (extra connections) and `network.backbone.base_channel` (stem width C); `doublechannel` and
/// `downsample` are accepted and not used, as in VEGA (`ignoredKeys`). An individual is
/// `network.backbone.encoding` = `"<block>_<C>_<macro>"`, plus any other keys of the space
/// carried unchanged.
///
/// Sampling, as VEGA: each layer draws an op (0–6) and each layer but the last a channel
/// code (0–4); `skip_num` connections (capped at the number possible) are drawn from the
/// pairs (i, j), 0 ≤ i < j ≤ op_num, except (0, op_num), which is the implicit residual,
/// each an add or a concat with probability ½, written in pair order. One fix: VEGA took
/// `np.random.permutation(skip_num)`, which after sorting is always the *first* skip_num
/// pairs; here they are a uniform random subset, which is what the code meant.
///
/// Mutation (VEGA's DblockNas is random only; this makes the codec usable by Pareto
/// evolution and SM-NAS) changes one thing, keeping op_num, skip_num, C and the macro:
/// an op, a channel code, a connection's kind (add ↔ concat) or a connection's pair.
public struct DblockNasCodec: Codec {
  public static let opNumKey = "network.backbone.op_num"
  public static let skipNumKey = "network.backbone.skip_num"
  public static let baseChannelKey = "network.backbone.base_channel"
  public static let encodingKey = "network.backbone.encoding"
  /// VEGA's fixed macro for the block search.
  public static let defaultMacro = "211-2111-211111-211"

  public let space: SearchSpace
  public let macro: String

  public init(space: SearchSpace, macro: String = DblockNasCodec.defaultMacro) throws {
    do { try DNetEncoding.validateMacro(macro) } catch { throw CodecError("macro: \(error)") }
    let ops = try NASSpace.requireInts(space, Self.opNumKey, "layers per block")
    if let bad = ops.first(where: { $0 < 1 || $0 > 9 }) { throw CodecError("\(Self.opNumKey): \(bad) is not in 1...9 (connections name layers by one digit)") }
    let skips = try NASSpace.requireInts(space, Self.skipNumKey, "extra connections")
    if let bad = skips.first(where: { $0 < 0 }) { throw CodecError("\(Self.skipNumKey): \(bad) is negative") }
    let c = try NASSpace.requireInts(space, Self.baseChannelKey, "stem width")
    if let bad = c.first(where: { $0 < 1 }) { throw CodecError("\(Self.baseChannelKey): \(bad) is not a positive width") }
    self.space = space
    self.macro = macro
  }

  /// A search space of fixed choices for the three keys (a convenience for scripts/tests).
  public static func space(opNum: [Int], skipNum: [Int], baseChannel: [Int]) throws -> SearchSpace {
    try SearchSpace(parameters: [
      Hyperparameter(key: opNumKey, type: .category, range: opNum.map { .int($0) }),
      Hyperparameter(key: skipNumKey, type: .category, range: skipNum.map { .int($0) }),
      Hyperparameter(key: baseChannelKey, type: .category, range: baseChannel.map { .int($0) }),
    ])
  }

  /// The connection pairs a block of `layers` layers may have, in VEGA's order.
  static func pairs(layers: Int) -> [(Int, Int)] {
    var out: [(Int, Int)] = []
    for i in 0...layers { for j in (i + 1)..<(layers + 1) where !(i == 0 && j == layers) { out.append((i, j)) } }
    return out
  }

  /// A random block code with `layers` layers and `skips` connections (capped).
  public static func randomBlock(layers: Int, skips: Int, _ g: Generator) -> DNetBlock {
    var ops: [Int] = [], channels: [Int] = []
    for i in 0..<layers {
      ops.append(g.int(below: DNetBlock.opCount))
      if i < layers - 1 { channels.append(g.int(below: DNetBlock.channelCodes)) }
    }
    let all = pairs(layers: layers)
    let chosen = g.permutation(all.count).prefix(min(skips, all.count)).sorted()
    let connections = chosen.map { DNetConnection(concat: g.bernoulli(0.5), from: all[$0].0, to: all[$0].1) }
    return DNetBlock(ops: ops, channels: channels, connections: connections)
  }

  /// VEGA's dnet_nas.yml also searches `doublechannel` and `downsample` (ResNet keys); its
  /// DblockNasCodec never reads them, the macro fixes where the width doubles and the
  /// resolution halves. Sampled and dropped here too, so they do not reach the DNet.
  public static let ignoredKeys: Set<String> = ["network.backbone.doublechannel", "network.backbone.downsample"]

  static let consumed: Set<String> = Set([opNumKey, skipNumKey, baseChannelKey]).union(ignoredKeys)

  public func sample(_ g: Generator) -> Config {
    let s = space.sample(g)
    let block = Self.randomBlock(layers: NASSpace.int(s, Self.opNumKey)!, skips: max(0, NASSpace.int(s, Self.skipNumKey)!), g)
    var c = NASSpace.passThrough(s, excluding: Self.consumed)
    c[Self.encodingKey] = .string(DNetEncoding(blocks: [block], channels: NASSpace.int(s, Self.baseChannelKey)!, macro: macro).description)
    return c
  }

  public func mutate(_ parent: Config, _ g: Generator) -> Config {
    guard case .string(let text)? = parent[Self.encodingKey], var e = try? DNetEncoding(parsing: text), e.blocks.count == 1 else { return parent }
    Self.mutate(&e.blocks[0], g)
    var c = parent
    c[Self.encodingKey] = .string(e.description)
    return c
  }

  /// One change to a block: an op, a channel code, a connection's kind or its pair.
  static func mutate(_ b: inout DNetBlock, _ g: Generator) {
    let taken = Set(b.connections.map { [$0.from, $0.to] })
    let free = pairs(layers: b.ops.count).filter { !taken.contains([$0.0, $0.1]) }
    var moves = [0]
    if !b.channels.isEmpty { moves.append(1) }
    if !b.connections.isEmpty { moves.append(2) }
    if !b.connections.isEmpty, !free.isEmpty { moves.append(3) }
    switch moves[g.int(below: moves.count)] {
    case 0:
      let i = g.int(below: b.ops.count)
      b.ops[i] = (b.ops[i] + 1 + g.int(below: DNetBlock.opCount - 1)) % DNetBlock.opCount
    case 1:
      let i = g.int(below: b.channels.count)
      b.channels[i] = (b.channels[i] + 1 + g.int(below: DNetBlock.channelCodes - 1)) % DNetBlock.channelCodes
    case 2:
      b.connections[g.int(below: b.connections.count)].concat.toggle()
    default:
      let i = g.int(below: b.connections.count)
      let p = free[g.int(below: free.count)]
      b.connections[i].from = p.0
      b.connections[i].to = p.1
      b.connections.sort { ($0.from, $0.to) < ($1.from, $1.to) }
    }
  }

  public func validate(_ c: Config) throws {
    guard case .string(let text)? = c[Self.encodingKey] else { throw CodecError("\(Self.encodingKey): missing or not a string") }
    let e: DNetEncoding
    do { e = try DNetEncoding(parsing: text) } catch { throw CodecError("\(Self.encodingKey): \(error)") }
    guard e.macro == macro else { throw CodecError("\(Self.encodingKey): macro \(e.macro) is not the fixed \(macro)") }
    guard e.blocks.count == 1 else { throw CodecError("\(Self.encodingKey): one block code expected") }
    let b = e.blocks[0]
    if Set(b.connections.map { [$0.from, $0.to] }).count != b.connections.count { throw CodecError("\(Self.encodingKey): a pair is connected twice") }
    if b.connections.contains(where: { $0.from == 0 && $0.to == b.ops.count }) { throw CodecError("\(Self.encodingKey): the residual a0N is implicit") }
    for k in c.keys where k != Self.encodingKey && !(space[k]?.contains(c[k]!) ?? false) { throw CodecError("\(k): not a value of the space") }
  }

  public var settings: JSON {
    .object(["codec": .string("dblock_nas"), "keys": .array(space.keys.map { .string($0) }),
             "dimension": JSON(space.dimension), "macro": .string(macro)])
  }
}
