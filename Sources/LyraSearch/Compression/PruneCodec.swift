import LyraBase
import LyraSpace

/// VEGA's PruneCodec / PruneEA genome (docs/algorithms/prune_ea.md; Prune-EA of the VEGA paper): one 0/1
/// mask per prunable group of output channels, the keep/remove choice of each channel,
/// evolved on (accuracy, FLOPs) with the trained model's weights inherited.
///
/// An individual holds `prune.masks`: a list of lists of 0/1 ints, list g of length
/// `channels[g]` (the lead's step gets the groups from LyraNN's `Pruning.groups(model)`,
/// and builds each trial's model with `Pruning.apply(model, masks:)`). Other keys of an
/// optional companion `space` are sampled with the individual and carried unchanged.
///
/// - Sampling: each bit is 1 with probability p, p drawn once per individual from
///   `keepProbability` (VEGA: a fair coin, 0.5...0.5).
/// - Mutation: every bit flips with probability `flipRate` (at least one bit flips).
/// - Crossover: two-point over the concatenated masks (VEGA's crossover).
/// - Repair: a group keeping fewer than max(1, ⌈minKeep · channels⌉) channels gets random
///   removed channels back, so no individual empties a layer (VEGA has no such bound; an
///   empty layer would break the network, and a very thin one only wastes a trial).
public struct PruneCodec: Codec {
  public static let masksKey = "prune.masks"

  public let channels: [Int]
  public let minKeep: Double
  public let flipRate: Double
  public let keepProbability: ClosedRange<Double>
  public let space: SearchSpace?

  public init(channels: [Int], minKeep: Double = 0.1, flipRate: Double = 0.05, keepProbability: ClosedRange<Double> = 0.5...0.5,
              space: SearchSpace? = nil) throws {
    guard !channels.isEmpty else { throw CodecError("prune: the model has no prunable channel groups") }
    if let bad = channels.first(where: { $0 < 1 }) { throw CodecError("prune: a group of \(bad) channels") }
    guard (0...1).contains(minKeep) else { throw CodecError("prune.min_keep: must be in [0, 1], got \(minKeep)") }
    guard flipRate > 0, flipRate <= 1 else { throw CodecError("prune.flip_rate: must be in (0, 1], got \(flipRate)") }
    guard keepProbability.lowerBound >= 0, keepProbability.upperBound <= 1 else {
      throw CodecError("prune.keep_probability: must lie in [0, 1], got \(keepProbability)")
    }
    if let space, space[Self.masksKey] != nil { throw CodecError("\(Self.masksKey): is set by the codec, not the search space") }
    self.channels = channels
    self.minKeep = minKeep
    self.flipRate = flipRate
    self.keepProbability = keepProbability
    self.space = space
  }

  /// Fewest channels group g may keep.
  public func minimum(_ g: Int) -> Int { max(1, Int((minKeep * Double(channels[g])).rounded(.up))) }

  /// Total channels over all groups (VEGA's `length`).
  public var length: Int { channels.reduce(0, +) }

  public func sample(_ g: Generator) -> Config {
    var c = space?.sample(g) ?? Config()
    let p = g.uniform(keepProbability.lowerBound, keepProbability.upperBound)
    c[Self.masksKey] = encode(repair((0..<length).map { _ in g.bernoulli(p) ? 1 : 0 }, g))
    return c
  }

  public func mutate(_ parent: Config, _ g: Generator) -> Config {
    guard let genome = decode(parent) else { return parent }
    var c = parent
    c[Self.masksKey] = encode(repair(GenomeOps.pointMutation(genome, rate: flipRate, g) { _, b in 1 - b }, g))
    return c
  }

  public func crossover(_ a: Config, _ b: Config, _ g: Generator) -> Config? {
    guard let x = decode(a), let y = decode(b) else { return nil }
    let (base, baseGenome, other) = g.bernoulli(0.5) ? (a, x, y) : (b, y, x)
    var child = base
    child[Self.masksKey] = encode(repair(GenomeOps.twoPoint(baseGenome, other, g), g))
    return child
  }

  public func validate(_ c: Config) throws {
    guard case .list(let masks)? = c[Self.masksKey] else { throw CodecError("\(Self.masksKey): missing or not a list of masks") }
    guard masks.count == channels.count else {
      throw CodecError("\(Self.masksKey): \(masks.count) masks for \(channels.count) prunable groups")
    }
    for (g, m) in masks.enumerated() {
      guard let bits = GenomeOps.ints(m), bits.allSatisfy({ $0 == 0 || $0 == 1 }) else {
        throw CodecError("\(Self.masksKey)[\(g + 1)]: not a list of 0/1 ints")
      }
      guard bits.count == channels[g] else {
        throw CodecError("\(Self.masksKey)[\(g + 1)]: \(bits.count) entries for \(channels[g]) channels")
      }
      let kept = bits.reduce(0, +)
      guard kept >= minimum(g) else {
        throw CodecError("\(Self.masksKey)[\(g + 1)]: keeps \(kept) of \(channels[g]) channels, fewer than the minimum \(minimum(g))")
      }
    }
    try GenomeOps.validateRest(c, excluding: [Self.masksKey], space: space)
  }

  public var settings: JSON {
    .object(["codec": .string("prune"), "channels": .array(channels.map { JSON($0) }), "min_keep": .number(minKeep),
             "flip_rate": .number(flipRate),
             "keep_probability": .array([.number(keepProbability.lowerBound), .number(keepProbability.upperBound)]),
             "keys": .array((space?.keys ?? []).map { .string($0) })])
  }

  /// The fraction of all channels an individual keeps (a cheap FLOPs proxy for sorting).
  public func keptFraction(_ c: Config) -> Double? {
    decode(c).map { Double($0.reduce(0, +)) / Double(length) }
  }

  /// The masks of `c` concatenated, or nil when they do not fit this codec.
  func decode(_ c: Config) -> [Int]? {
    guard case .list(let masks)? = c[Self.masksKey], masks.count == channels.count else { return nil }
    var out: [Int] = []
    for (g, m) in masks.enumerated() {
      guard let bits = GenomeOps.ints(m), bits.count == channels[g] else { return nil }
      out += bits
    }
    return out
  }

  func encode(_ genome: [Int]) -> ParamValue {
    var masks: [ParamValue] = [], at = 0
    for n in channels {
      masks.append(GenomeOps.list(Array(genome[at..<(at + n)])))
      at += n
    }
    return .list(masks)
  }

  /// Turns random removed channels back on where a group keeps fewer than its minimum.
  func repair(_ genome: [Int], _ g: Generator) -> [Int] {
    var out = genome, at = 0
    for (k, n) in channels.enumerated() {
      let range = at..<(at + n)
      var off = range.filter { out[$0] == 0 }
      var kept = n - off.count
      while kept < minimum(k) {
        out[off.remove(at: g.int(below: off.count))] = 1
        kept += 1
      }
      at += n
    }
    return out
  }
}
