import LyraBase

/// The augmentation policy of Population Based Augmentation (Ho, Liang, Stoica, Abbeel,
/// Chen, "Population Based Augmentation: Efficient Learning of Augmentation Policy
/// Schedules", ICML 2019, §3 and Algorithm 1): every op of the set carries a few
/// (probability, magnitude) pairs — PBA searches two per op over its 15 ops, so 60
/// numbers — and each sample gets at most a small random number of them.
///
/// Applying it follows PBA's released `apply_policy`: draw `count` from {0, 1, 2} with
/// probabilities 0.2/0.3/0.5, walk the (op, pair) entries in a random order, apply each
/// with its probability at its magnitude, and stop once `count` ops were applied. Why not
/// "pick `count` entries and apply each with its probability": that is a weaker policy
/// (fewer ops applied for the same numbers), and the searched schedules were tuned under
/// PBA's own rule, so replaying them needs the same rule.
///
/// Entries whose probability is 0 never apply, so they are left out before shuffling: a
/// policy with or without them draws the same random numbers and augments identically,
/// which lets a written schedule drop them.
///
/// Works on CHW samples on the raw [0, 255] scale (as `AugmentTransform`); put
/// `Normalize` after it.
public struct PBAPolicy: Transform, Equatable {
  /// One (probability, magnitude) pair of an op.
  public struct Pair: Equatable, Hashable, Codable, Sendable {
    public var probability: Double
    public var magnitude: Double
    public init(probability: Double, magnitude: Double) {
      self.probability = probability
      self.magnitude = magnitude
    }
  }

  /// PBA's op set in the order of its `HP_TRANSFORMS` (augmentation_transforms_hp.py).
  public static let searchOps = ["AutoContrast", "Equalize", "Invert", "Rotate", "Posterize", "Solarize", "Color", "Contrast",
                                 "Brightness", "Sharpness", "ShearX", "ShearY", "TranslateX", "TranslateY", "Cutout"]
  /// P(count = 0, 1, 2): how many ops at most one sample receives (PBA's `apply_policy`).
  public static let countProbabilities = [0.2, 0.3, 0.5]

  /// Per op name, its pairs in order.
  public let pairs: [String: [Pair]]
  /// The entries that can apply (probability > 0), ops sorted by name, then pair order.
  private let active: [(op: any AugmentOp, pair: Pair)]

  /// Checks names against `AugmentRegistry`, probabilities in [0, 1] and magnitudes in
  /// [0, 10], so a bad policy fails when it is built, not mid-training.
  public init(_ pairs: [String: [Pair]]) throws {
    var active: [(op: any AugmentOp, pair: Pair)] = []
    for name in pairs.keys.sorted() {
      let op = try AugmentRegistry.op(named: name)
      for p in pairs[name]! {
        try Magnitude.check(p.magnitude, op: name)
        guard p.probability >= 0 && p.probability <= 1 else {
          throw DataError(file: "augment", "\(name): probability must be in [0, 1], got \(p.probability)")
        }
        if p.probability > 0 { active.append((op, p)) }
      }
    }
    self.pairs = pairs
    self.active = active
  }

  /// The policy that never augments (where PBA's search starts).
  public static let none = try! PBAPolicy([:])

  /// The pairs of ops that can apply: a policy equal in effect, with zero-probability
  /// pairs and ops dropped (what a written schedule keeps).
  public var compacted: PBAPolicy {
    let kept = pairs.compactMapValues { ps -> [Pair]? in ps.contains { $0.probability > 0 } ? ps : nil }
    return try! PBAPolicy(kept)
  }

  /// How many (op, pair) entries can apply.
  public var activeCount: Int { active.count }

  public static func == (a: PBAPolicy, b: PBAPolicy) -> Bool { a.pairs == b.pairs }

  /// The number of ops to apply to one sample, drawn from `countProbabilities`.
  static func drawCount(_ g: Generator) -> Int {
    let u = g.nextDouble()
    var acc = 0.0
    for (k, p) in countProbabilities.enumerated() {
      acc += p
      if u < acc { return k }
    }
    return countProbabilities.count - 1
  }

  public func apply(_ sample: inout Sample, generator: Generator) {
    var count = PBAPolicy.drawCount(generator)
    guard count > 0, !active.isEmpty else { return }
    var image = Image(sample)
    for i in generator.permutation(active.count) {
      let e = active[i]
      guard generator.nextDouble() < e.pair.probability else { continue }
      e.op.apply(&image, magnitude: e.pair.magnitude, generator: generator)
      count -= 1
      if count == 0 { break }
    }
    sample.features = image.pixels
  }
}

/// JSON as `{"Rotate": {"prob1": 0.3, "magnitude1": 4, "prob2": 0, "magnitude2": 2}, ...}`:
/// the same shape as the search's dotted keys (`dataset.transforms.pba.Rotate.prob1`), so
/// a sampled policy, a written schedule and this encoding read alike.
extension PBAPolicy: Codable {
  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    var pairs: [String: [Pair]] = [:]
    for opKey in c.allKeys {
      let numbers = try c.decode([String: Double].self, forKey: opKey)
      pairs[opKey.stringValue] = try PBAPolicy.pairs(from: numbers, op: opKey.stringValue)
    }
    try self.init(pairs)
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    for (name, ps) in pairs {
      var numbers: [String: Double] = [:]
      for (i, p) in ps.enumerated() {
        numbers["prob\(i + 1)"] = p.probability
        numbers["magnitude\(i + 1)"] = p.magnitude
      }
      try c.encode(numbers, forKey: Key(name))
    }
  }

  /// `prob<i>`/`magnitude<i>` numbers (i = 1, 2, ...) → pairs in order of i; each i
  /// needs both, and any other key is an error.
  public static func pairs(from numbers: [String: Double], op: String) throws -> [Pair] {
    var probs: [Int: Double] = [:], mags: [Int: Double] = [:]
    for (k, v) in numbers {
      if k.hasPrefix("prob"), let i = Int(k.dropFirst(4)), i >= 1 { probs[i] = v } else if k.hasPrefix("magnitude"), let i = Int(k.dropFirst(9)), i >= 1 {
        mags[i] = v
      } else {
        throw DataError(file: "augment", "\(op).\(k): unknown key (a PBA op has prob1, magnitude1, prob2, magnitude2, ...)")
      }
    }
    return try Set(probs.keys).union(mags.keys).sorted().map { i in
      guard let p = probs[i] else { throw DataError(file: "augment", "\(op): magnitude\(i) without prob\(i)") }
      guard let m = mags[i] else { throw DataError(file: "augment", "\(op): prob\(i) without magnitude\(i)") }
      return Pair(probability: p, magnitude: m)
    }
  }
}
