import LyraBase
import LyraSpace

/// Population Based Augmentation's explore step (Ho et al. 2019, §3.2; the `explore`
/// function of PBA's search.py): every policy number independently — with probability
/// `resampleProbability` (0.2) a uniform new level, otherwise a shift of U{0..`maxShift`}
/// levels (3) up or down with equal odds, clipped to the range. Probabilities have 11
/// levels (0, 0.1, ..., 1), magnitudes 10 (0...9).
///
/// Why levels rather than PBT's ×1.2/×0.8: the numbers are small integers (a zero stays
/// zero under multiplication, and the search starts at zero), and a shift of a few
/// levels is how PBA moves from "off" to "sometimes, mildly".
///
/// Config keys, `prefix` = `dataset.transforms.pba` by default:
/// `<prefix>.<Op>.prob<i>` (a Double, a multiple of 0.1) and `<prefix>.<Op>.magnitude<i>`
/// (an Int), for i = 1...`pairsPerOp`. Other keys of the config (a joint search's
/// hyperparameters) follow `others`, PBT's rule. `PBA` uses it in place of PBT's rule.
public struct PBAExplore {
  /// How a member's first policy is chosen.
  public enum Start: String, Sendable {
    /// Member 0 at the zero policy, every other one explore step away from it. Why the
    /// default: PBA starts everyone at zero and relies on training noise to tell them
    /// apart, but Lyra's trials are deterministic (same seed, same data order), so equal
    /// starts would be equal runs; this keeps a no-augmentation member and makes the
    /// others differ from the first round on.
    case explored
    /// All zeros: no augmentation until explore adds some (PBA's search.py).
    case zero
    /// Uniform levels everywhere.
    case random
  }

  public static let probabilityLevels = 10
  public static let magnitudeLevels = 9

  public let ops: [String]
  public let pairsPerOp: Int
  public let prefix: String
  public let start: Start
  public let resampleProbability: Double
  public let maxShift: Int
  /// Hyperparameters searched with the policy (may have none).
  public let others: PBTExplore

  public init(ops: [String], pairsPerOp: Int = 2, prefix: String = "dataset.transforms.pba", start: Start = .explored,
              resampleProbability: Double = 0.2, maxShift: Int = 3, others: PBTExplore) {
    self.ops = ops
    self.pairsPerOp = pairsPerOp
    self.prefix = prefix
    self.start = start
    self.resampleProbability = resampleProbability
    self.maxShift = maxShift
    self.others = others
  }

  public func probabilityKey(_ op: String, _ i: Int) -> String { "\(prefix).\(op).prob\(i)" }
  public func magnitudeKey(_ op: String, _ i: Int) -> String { "\(prefix).\(op).magnitude\(i)" }

  /// Every policy key with its number of levels, in the order explore draws them.
  public var policyKeys: [(key: String, levels: Int, isProbability: Bool)] {
    ops.flatMap { op in
      (1...pairsPerOp).flatMap { i in
        [(probabilityKey(op, i), PBAExplore.probabilityLevels, true), (magnitudeKey(op, i), PBAExplore.magnitudeLevels, false)]
      }
    }
  }

  /// A level as its config value: probabilities are tenths, magnitudes integers.
  static func value(level: Int, isProbability: Bool) -> ParamValue {
    isProbability ? .double(Double(level) / Double(probabilityLevels)) : .int(level)
  }

  /// The level of a config value (0 when absent).
  static func level(_ v: ParamValue?, isProbability: Bool) -> Int {
    guard let x = v?.number else { return 0 }
    return Int((isProbability ? x * Double(probabilityLevels) : x).rounded())
  }

  /// The first configuration of population member `member` (0-based).
  public func initial(member: Int, _ g: Generator) -> Config {
    var c = others.initial(member: member, g)
    for (key, levels, isProb) in policyKeys {
      c[key] = PBAExplore.value(level: start == .random ? g.int(in: 0...levels) : 0, isProbability: isProb)
    }
    if start == .explored && member > 0 { perturbPolicy(&c, g) }
    return c
  }

  /// The explored copy of a donor's configuration.
  public func perturb(_ c: Config, _ g: Generator) -> Config {
    // The other hyperparameters go through PBT's rule on their own (its codec round trip
    // for conditions only knows their keys).
    let otherKeys = Set(others.space.keys)
    var out = c.filter { !otherKeys.contains($0.key) }
    for (k, v) in others.perturb(c.filter { otherKeys.contains($0.key) }, g) { out[k] = v }
    perturbPolicy(&out, g)
    return out
  }

  /// PBA's rule on every policy number of `c`.
  func perturbPolicy(_ c: inout Config, _ g: Generator) {
    for (key, levels, isProb) in policyKeys {
      let new: Int
      if g.bernoulli(resampleProbability) {
        new = g.int(in: 0...levels)
      } else {
        let amount = g.int(in: 0...maxShift)
        let old = PBAExplore.level(c[key], isProbability: isProb)
        new = g.bernoulli(0.5) ? max(0, old - amount) : min(levels, old + amount)
      }
      c[key] = PBAExplore.value(level: new, isProbability: isProb)
    }
  }

  /// Only the policy's keys of `c`.
  public func policy(of c: Config) -> Config {
    var out = Config()
    for (key, _, _) in policyKeys { if let v = c[key] { out[key] = v } }
    return out
  }

  public var settings: [String: JSON] {
    var o = others.settings.mapKeys { "others_" + $0 }
    o["ops"] = .array(ops.map { .string($0) })
    o["pairs_per_op"] = JSON(pairsPerOp)
    o["prefix"] = .string(prefix)
    o["start"] = .string(start.rawValue)
    o["resample_probability"] = .number(resampleProbability)
    o["max_shift"] = JSON(maxShift)
    return o
  }
}

extension Dictionary {
  fileprivate func mapKeys(_ f: (Key) -> Key) -> [Key: Value] { Dictionary(uniqueKeysWithValues: map { (f($0.key), $0.value) }) }
}
