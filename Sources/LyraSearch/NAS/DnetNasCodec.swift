import LyraBase
import LyraSpace

/// VEGA's DnetNas codec and mutation (docs/algorithms/pareto_ea.md#the-codecs; `vega/algorithms/nas/dnet_nas`): the
/// second level of the D-Net search, the *macro* (how many blocks, where they stride,
/// where they widen) around a block code found earlier.
///
/// The space gives `network.backbone.code_length` (macro length L), `network.backbone.base_channel`
/// (stem width C), `network.backbone.final_channel` and `network.backbone.downsample` (d).
/// A macro holds d `-` (stride-2 marks, never adjacent, never last: each marks the next
/// block) and t = log2(final/base) `2`s (width doublings), the rest `1`. The block code
/// is given (`blockCodes`: e.g. the best of a block search); with several, a sample takes
/// one at random and mutation keeps the parent's. An individual is
/// `network.backbone.encoding` = `"<block>_<C>_<macro>"`, plus other keys of the space
/// carried unchanged.
///
/// Sampling draws uniformly among valid macros (VEGA rejection-samples the same
/// distribution; it could also put `-` last, which DNet cannot build; not here).
/// Mutation is VEGA's `ea_sample`: one of insert a `1` / remove a `1` / swap two adjacent
/// different characters, each with probability ⅓ among those possible. Unlike VEGA, a
/// move that breaks the constraints (`--`, a trailing `-`) is never made, so d and t are
/// preserved and every macro stays buildable; `lengths` optionally bounds L (VEGA lets it
/// drift; selection alone keeps it in check).
public struct DnetNasCodec: Codec {
  public static let codeLengthKey = "network.backbone.code_length"
  public static let baseChannelKey = "network.backbone.base_channel"
  public static let finalChannelKey = "network.backbone.final_channel"
  public static let downsampleKey = "network.backbone.downsample"
  public static let encodingKey = DblockNasCodec.encodingKey

  public let space: SearchSpace
  /// The fixed block codes, as given.
  public let blockCodes: [String]
  /// Allowed macro lengths under mutation (nil: any valid length, as VEGA).
  public let lengths: ClosedRange<Int>?

  /// Checks the block codes and that every (L, d, t) the space allows has a valid macro.
  public init(space: SearchSpace, blockCodes: [String], lengths: ClosedRange<Int>? = nil) throws {
    guard !blockCodes.isEmpty else { throw CodecError("blockCodes: at least one block code is needed") }
    for b in blockCodes {
      do { _ = try DNetBlock(parsing: b) } catch { throw CodecError("block code: \(error)") }
    }
    let lens = try NASSpace.requireInts(space, Self.codeLengthKey, "macro length")
    let downs = try NASSpace.requireInts(space, Self.downsampleKey, "number of stride-2 blocks")
    let bases = try NASSpace.requireInts(space, Self.baseChannelKey, "stem width")
    let finals = try NASSpace.requireInts(space, Self.finalChannelKey, "final width")
    var times: [Int] = []
    for b in bases {
      guard b > 0 else { throw CodecError("\(Self.baseChannelKey): \(b) is not a positive width") }
      for f in finals {
        guard let t = Self.doublings(base: b, final: f) else {
          throw CodecError("\(Self.finalChannelKey): \(f) is not base_channel \(b) times a power of 2")
        }
        times.append(t)
      }
    }
    let (lMin, dMax, tMax) = (lens.min()!, downs.max()!, times.max()!)
    if downs.min()! < 0 { throw CodecError("\(Self.downsampleKey): negative count") }
    guard Self.feasible(length: lMin, downsample: dMax, doublings: tMax) else {
      throw CodecError("\(Self.codeLengthKey): length \(lMin) cannot hold \(dMax) non-adjacent '-' and \(tMax) '2's")
    }
    if let r = lengths, !(lens.allSatisfy { r.contains($0) }) {
      throw CodecError("lengths \(r) does not contain every \(Self.codeLengthKey) of the space")
    }
    self.space = space
    self.blockCodes = blockCodes
    self.lengths = lengths
  }

  public init(space: SearchSpace, blockCode: String, lengths: ClosedRange<Int>? = nil) throws {
    try self.init(space: space, blockCodes: [blockCode], lengths: lengths)
  }

  /// log2(final/base) when final = base·2^t, t ≥ 0.
  static func doublings(base: Int, final: Int) -> Int? {
    guard base > 0, final >= base, final % base == 0 else { return nil }
    let r = final / base
    guard r & (r - 1) == 0 else { return nil }
    return r.trailingZeroBitCount
  }

  /// A macro of length L with d '-' (each followed by a digit) and t '2's exists iff
  /// there are at least d digits to follow the '-'s and t digits to be '2'.
  static func feasible(length: Int, downsample d: Int, doublings t: Int) -> Bool {
    d >= 0 && t >= 0 && length - d >= max(d, t, 1)
  }

  /// A uniformly random valid macro. Why uniform: glue each '-' to the digit after it,
  /// so a macro is L−d units of which d carry a '-' (any d of them, C(L−d, d) ways) and
  /// L−d digits of which t are '2' (C(L−d, t) ways); drawing both subsets uniformly is
  /// uniform over valid macros.
  public static func randomMacro(length: Int, downsample d: Int, doublings t: Int, _ g: Generator) -> String {
    precondition(feasible(length: length, downsample: d, doublings: t), "no macro of length \(length) with \(d) '-' and \(t) '2'")
    let units = length - d
    let dashed = Set(g.permutation(units).prefix(d))
    let twos = Set(g.permutation(units).prefix(t))
    var s = ""
    for u in 0..<units {
      if dashed.contains(u) { s += "-" }
      s += twos.contains(u) ? "2" : "1"
    }
    return s
  }

  static let consumed: Set<String> = [codeLengthKey, baseChannelKey, finalChannelKey, downsampleKey]

  public func sample(_ g: Generator) -> Config {
    let s = space.sample(g)
    let base = NASSpace.int(s, Self.baseChannelKey)!
    let t = Self.doublings(base: base, final: NASSpace.int(s, Self.finalChannelKey)!)!
    let macro = Self.randomMacro(length: NASSpace.int(s, Self.codeLengthKey)!, downsample: NASSpace.int(s, Self.downsampleKey)!, doublings: t, g)
    let block = blockCodes[g.int(below: blockCodes.count)]
    var c = NASSpace.passThrough(s, excluding: Self.consumed)
    c[Self.encodingKey] = .string("\(block)_\(base)_\(macro)")
    return c
  }

  public func mutate(_ parent: Config, _ g: Generator) -> Config {
    guard case .string(let text)? = parent[Self.encodingKey] else { return parent }
    let parts = text.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 3 else { return parent }
    var c = parent
    c[Self.encodingKey] = .string("\(parts[0])_\(parts[1])_\(Self.mutate(macro: parts[2], lengths: lengths, g))")
    return c
  }

  /// One of VEGA's three moves, among those that keep the macro valid and within `lengths`.
  public static func mutate(macro: String, lengths: ClosedRange<Int>?, _ g: Generator) -> String {
    var m = Array(macro)
    let n = m.count
    func valid(_ s: [Character]) -> Bool {
      guard let last = s.last, last != "-" else { return false }
      for i in 1..<s.count where s[i] == "-" && s[i - 1] == "-" { return false }
      return true
    }
    var moves: [Int] = []
    if lengths.map({ n + 1 <= $0.upperBound }) ?? true { moves.append(0) }
    var removable: [Int] = []
    if lengths.map({ n - 1 >= $0.lowerBound }) ?? true {
      for i in 0..<n where m[i] == "1" {
        var s = m
        s.remove(at: i)
        if s.contains(where: { $0 != "-" }), valid(s) { removable.append(i) }
      }
      if !removable.isEmpty { moves.append(1) }
    }
    var swappable: [Int] = []
    for i in 0..<(n - 1) where m[i] != m[i + 1] {
      var s = m
      s.swapAt(i, i + 1)
      if valid(s) { swappable.append(i) }
    }
    if !swappable.isEmpty { moves.append(2) }
    guard !moves.isEmpty else { return macro }
    switch moves[g.int(below: moves.count)] {
    case 0: m.insert("1", at: g.int(below: n))
    case 1: m.remove(at: removable[g.int(below: removable.count)])
    default: let i = swappable[g.int(below: swappable.count)]; m.swapAt(i, i + 1)
    }
    return String(m)
  }

  public func validate(_ c: Config) throws {
    guard case .string(let text)? = c[Self.encodingKey] else { throw CodecError("\(Self.encodingKey): missing or not a string") }
    do { _ = try DNetEncoding(parsing: text) } catch { throw CodecError("\(Self.encodingKey): \(error)") }
    let parts = text.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
    guard blockCodes.contains(parts[0]) else { throw CodecError("\(Self.encodingKey): block \(parts[0]) is not one of \(blockCodes)") }
    guard NASSpace.intValues(space, Self.baseChannelKey)!.contains(Int(parts[1])!) else {
      throw CodecError("\(Self.encodingKey): channels \(parts[1]) not a base_channel of the space")
    }
    let macro = parts[2]
    if let r = lengths, !r.contains(macro.count) { throw CodecError("\(Self.encodingKey): macro length \(macro.count) outside \(r)") }
    if macro.contains(where: { $0 != "1" && $0 != "2" && $0 != "-" }) { throw CodecError("\(Self.encodingKey): macro digits must be 1 or 2") }
    let downs = macro.filter { $0 == "-" }.count
    guard NASSpace.intValues(space, Self.downsampleKey)!.contains(downs) else {
      throw CodecError("\(Self.encodingKey): \(downs) '-' is not a downsample count of the space")
    }
    let base = Int(parts[1])!, twos = macro.filter { $0 == "2" }.count
    guard NASSpace.intValues(space, Self.finalChannelKey)!.contains(where: { Self.doublings(base: base, final: $0) == twos }) else {
      throw CodecError("\(Self.encodingKey): \(twos) doublings do not take \(base) channels to a final_channel of the space")
    }
    for k in c.keys where k != Self.encodingKey && !(space[k]?.contains(c[k]!) ?? false) { throw CodecError("\(k): not a value of the space") }
  }

  public var settings: JSON {
    .object(["codec": .string("dnet_nas"), "keys": .array(space.keys.map { .string($0) }), "dimension": JSON(space.dimension),
             "blocks": .array(blockCodes.map { .string($0) }),
             "lengths": lengths.map { .array([JSON($0.lowerBound), JSON($0.upperBound)]) } ?? .null])
  }
}
