import LyraBase
import LyraSpace

/// VEGA's QuantEA genome (docs/algorithms/quant_ea.md): the bit width of every quantisable layer, each
/// drawn from `bit_candidates`, evolved on (accuracy, model size); optionally the widths
/// of each layer's input activations too.
///
/// An individual holds `quant.bits` (a list of ints, one per layer in the order of LyraNN's
/// `Quantization.layers(model)`) and, with `activations`, `quant.activation_bits` (same
/// length); the lead's step builds the trial's model with `Quantization.apply`. Other keys
/// of an optional companion `space` are sampled with the individual and carried unchanged.
///
/// - Sampling: every position a uniform choice among the candidates.
/// - Mutation: every position is redrawn to a different candidate with probability
///   `mutationRate` (default 1/length; at least one position changes).
/// - Crossover: two-point over the concatenated weight and activation widths.
public struct QuantCodec: Codec {
  public static let bitsKey = "quant.bits"
  public static let activationBitsKey = "quant.activation_bits"

  public let layers: Int
  public let bitCandidates: [Int]
  public let activations: Bool
  public let mutationRate: Double
  public let space: SearchSpace?

  /// Candidates must be widths LyraNN's quantised layers take: 2…8, or 32 (float).
  public init(layers: Int, bitCandidates: [Int] = [4, 8], activations: Bool = false, mutationRate: Double? = nil,
              space: SearchSpace? = nil) throws {
    guard layers >= 1 else { throw CodecError("quant: the model has no quantisable layers") }
    guard !bitCandidates.isEmpty else { throw CodecError("quant.bit_candidates: must not be empty") }
    if let bad = bitCandidates.first(where: { !((2...8).contains($0) || $0 == 32) }) {
      throw CodecError("quant.bit_candidates: \(bad) is not a supported width (2...8, or 32 for float)")
    }
    guard Set(bitCandidates).count == bitCandidates.count else {
      throw CodecError("quant.bit_candidates: \(bitCandidates) lists a width twice")
    }
    let length = activations ? 2 * layers : layers
    let rate = mutationRate ?? 1 / Double(length)
    guard rate > 0, rate <= 1 else { throw CodecError("quant.mutation_rate: must be in (0, 1], got \(rate)") }
    for key in [Self.bitsKey, Self.activationBitsKey] where space?[key] != nil {
      throw CodecError("\(key): is set by the codec, not the search space")
    }
    self.layers = layers
    self.bitCandidates = bitCandidates
    self.activations = activations
    self.mutationRate = rate
    self.space = space
  }

  var keys: [String] { activations ? [Self.bitsKey, Self.activationBitsKey] : [Self.bitsKey] }

  public func sample(_ g: Generator) -> Config {
    var c = space?.sample(g) ?? Config()
    write((0..<(keys.count * layers)).map { _ in bitCandidates[g.int(below: bitCandidates.count)] }, into: &c)
    return c
  }

  public func mutate(_ parent: Config, _ g: Generator) -> Config {
    guard bitCandidates.count > 1, let genome = decode(parent) else { return parent }
    var c = parent
    write(GenomeOps.pointMutation(genome, rate: mutationRate, g) { _, b in
      let others = bitCandidates.filter { $0 != b }
      return others[g.int(below: others.count)]
    }, into: &c)
    return c
  }

  public func crossover(_ a: Config, _ b: Config, _ g: Generator) -> Config? {
    guard let x = decode(a), let y = decode(b) else { return nil }
    let (base, first, second) = g.bernoulli(0.5) ? (a, x, y) : (b, y, x)
    var child = base
    write(GenomeOps.twoPoint(first, second, g), into: &child)
    return child
  }

  public func validate(_ c: Config) throws {
    for key in keys {
      guard let bits = GenomeOps.ints(c[key]) else { throw CodecError("\(key): missing or not a list of ints") }
      guard bits.count == layers else { throw CodecError("\(key): \(bits.count) widths for \(layers) layers") }
      if let bad = bits.first(where: { !bitCandidates.contains($0) }) {
        throw CodecError("\(key): \(bad) is not one of the bit candidates \(bitCandidates)")
      }
    }
    try GenomeOps.validateRest(c, excluding: Set(keys), space: space)
  }

  public var settings: JSON {
    .object(["codec": .string("quant"), "layers": JSON(layers), "bit_candidates": .array(bitCandidates.map { JSON($0) }),
             "activations": .bool(activations), "mutation_rate": .number(mutationRate),
             "keys": .array((space?.keys ?? []).map { .string($0) })])
  }

  func decode(_ c: Config) -> [Int]? {
    var out: [Int] = []
    for key in keys {
      guard let bits = GenomeOps.ints(c[key]), bits.count == layers else { return nil }
      out += bits
    }
    return out
  }

  func write(_ genome: [Int], into c: inout Config) {
    for (i, key) in keys.enumerated() { c[key] = GenomeOps.list(Array(genome[(i * layers)..<((i + 1) * layers)])) }
  }
}
