import LyraBase
import LyraSpace

/// Population Based Augmentation (Ho, Liang, Stoica, Abbeel, Chen, ICML 2019): population
/// based training (Jaderberg et al. 2017) whose hyperparameters are an augmentation
/// policy — for each op, `pairsPerOp` (probability, magnitude) pairs — and whose product
/// is the *schedule* of policies the best member's lineage trained with.
///
/// Everything but explore is `PBT`'s: `population` members train `perturbationInterval`
/// epochs per segment; after each synchronous round the bottom `quantile` (25%) copies
/// the checkpoint and the policy of a random top-`quantile` member (truncation
/// selection), then `PBAExplore` perturbs the policy. Member 0 starts from the all-zero
/// policy and the others one explore step from it (`start: .explored`; PBAExplore.Start
/// says why; `.zero` is PBA's literal start, `.random` uniform levels). The policy sits
/// in the trial config under `PBAExplore`'s keys (`dataset.transforms.pba.<Op>.prob<i>`
/// / `.magnitude<i>`), next to any hyperparameters of `space` searched jointly.
///
/// The schedule comes from the history: `policySchedule(of:)` follows the trial's
/// `resumeFrom` chain (its own earlier segments and the donors it copied) and keeps the
/// segments where the policy changed.
public final class PBA: PBT {
  /// PBA's 15 ops (HP_TRANSFORMS order). LyraData's `PBAPolicy.searchOps` is the same
  /// list; this target does not depend on LyraData, so it is repeated (a test checks).
  public static let defaultOps = ["AutoContrast", "Equalize", "Invert", "Rotate", "Posterize", "Solarize", "Color", "Contrast",
                                  "Brightness", "Sharpness", "ShearX", "ShearY", "TranslateX", "TranslateY", "Cutout"]

  public let policyExplore: PBAExplore

  /// - Parameters:
  ///   - ops: op names (checked by the caller against the augmentation registry).
  ///   - space: other hyperparameters searched with the policy (PBT's explore); may be empty.
  ///   - perturbationInterval, maxBudget: epochs per segment and in all.
  /// - Throws: when an op is repeated or malformed, or `space` already has a policy key.
  public init(ops: [String] = PBA.defaultOps, space: SearchSpace? = nil, objectives: [Objective] = [Objective("accuracy", .maximize)],
              seed: UInt64 = 0, population: Int = 16, perturbationInterval: Double = 3, maxBudget: Double,
              quantile: Double = 0.25, synchronous: Bool = true, start: PBAExplore.Start = .explored,
              pairsPerOp: Int = 2, prefix: String = "dataset.transforms.pba") throws {
    guard !ops.isEmpty else { throw SpaceError("PBA: no augmentation ops") }
    guard Set(ops).count == ops.count else { throw SpaceError("PBA: ops repeat: \(ops.joined(separator: ", "))") }
    for op in ops where op.isEmpty || op.contains(".") { throw SpaceError("PBA: bad op name '\(op)'") }
    guard pairsPerOp >= 1 else { throw SpaceError("PBA: pairsPerOp must be at least 1, got \(pairsPerOp)") }
    let others = try space ?? SearchSpace(parameters: [])
    let explore = PBAExplore(ops: ops, pairsPerOp: pairsPerOp, prefix: prefix, start: start, others: PBTExplore(space: others))
    var params = others.parameters
    for (key, levels, isProb) in explore.policyKeys {
      if others[key] != nil { throw SpaceError("PBA: '\(key)' is the policy's own key; remove it from the search space") }
      params.append(try isProb ? Hyperparameter(key: key, type: .float, range: [0.0, 1.0])
                               : Hyperparameter(key: key, type: .int, range: [0, .int(levels)]))
    }
    policyExplore = explore
    super.init(space: try SearchSpace(parameters: params, conditions: others.conditions, forbidden: others.forbidden),
               objectives: objectives, seed: seed, population: population, perturbationInterval: perturbationInterval,
               maxBudget: maxBudget, quantile: quantile, synchronous: synchronous, explore: explore.others)
  }

  override func initialConfig(member: Int, _ g: Generator) -> Config { policyExplore.initial(member: member, g) }
  override func explored(_ c: Config, _ g: Generator) -> Config { policyExplore.perturb(c, g) }
  override var exploreSettings: [String: JSON] { policyExplore.settings }

  /// The policy keys of a config (without the jointly searched hyperparameters).
  public func policy(of c: Config) -> Config { policyExplore.policy(of: c) }

  /// PBA's output for a trial: `(fromBudget, policy)` segments from budget 0, one per
  /// change of policy along the trial's lineage (a survivor keeps its policy, so equal
  /// neighbours merge).
  public func policySchedule(of trialID: Int) -> [(fromBudget: Double, policy: Config)] {
    var out: [(fromBudget: Double, policy: Config)] = []
    for (budget, config) in schedule(of: trialID) {
      let p = policy(of: config)
      if out.last?.policy != p { out.append((budget, p)) }
    }
    return out
  }

  /// The schedule of the best trial at the largest budget (nil before any result).
  public func bestSchedule() -> [(fromBudget: Double, policy: Config)]? {
    best().map { policySchedule(of: $0.trial.id) }
  }

  public override var settings: JSON {
    guard case .object(var o) = super.settings else { return super.settings }
    o["algorithm"] = .string("pba")
    return .object(o)
  }
}
