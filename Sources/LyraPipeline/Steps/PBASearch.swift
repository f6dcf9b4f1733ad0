import Foundation
import LyraBase
import LyraData
import LyraNN
import LyraKernels
import LyraSearch
import LyraSpace

/// `search_algorithm: {type: PBAHpo, policy: {config_count, each_epochs, total_rungs}}`
/// (VEGA's PBAHpo names) → LyraSearch's `PBA` (Ho et al. 2019): `config_count` members
/// (default 16) train `each_epochs` epochs per round (3) for `total_rungs` rounds (5);
/// after each round the bottom quarter copies a top-quarter member's checkpoint and
/// augmentation policy and perturbs the policy.
///
/// Lyra's own policy keys: `ops`, the op names to search (default PBA's 15:
/// AutoContrast, Equalize, Invert, Rotate, Posterize, Solarize, Color, Contrast,
/// Brightness, Sharpness, ShearX, ShearY, TranslateX, TranslateY, Cutout), and `start`:
/// `explored` (default: one member without augmentation, the others one explore step
/// from it — Lyra's trials are deterministic, so PBA's all-zero start would train equal
/// copies), `zero` (PBA's start) or `random`. The policy is the trial's
/// `dataset.transforms.pba.<Op>.prob<i>` / `.magnitude<i>` keys (DatasetAugmentation's
/// PBA form); `search_space.hyperparameters` (optional; absent or `[]` searches the policy alone) are
/// searched along with it by PBT's explore. The step hands the best member's lineage
/// schedule to the next step as `dataset.transforms.schedule` (PBAHandOff); jointly
/// searched hyperparameters go on with the values of the last segment.
///
/// VEGA spells the op set as `search_space.transformers: [{Rotate: true}, ...]`
/// (PBATransformers); `policy.ops` is Lyra's spelling of the same list.
enum PBASearch {
  static let policyKeys = ["config_count", "each_epochs", "total_rungs", "ops", "start"]

  static func make(step: String, section: JSON, space: SearchSpace, objectives: [Objective], seed: UInt64,
                   config: PipelineConfig) throws -> SearchAlgorithmFactory.Made {
    let policy = section["search_algorithm"]?["policy"]?.object ?? [:]
    func key(_ k: String) -> String { "\(step).search_algorithm.policy.\(k)" }
    func int(_ k: String, _ d: Int, min: Int = 1) throws -> Int {
      guard let v = policy[k] else { return d }
      guard let i = v.int, i >= min else { throw config.error(key(k), "must be an integer of at least \(min), got \(v.text)") }
      return i
    }
    let each = try int("each_epochs", 3), rungs = try int("total_rungs", 5), population = try int("config_count", 16, min: 2)
    var ops = PBAPolicy.searchOps
    if let v = policy["ops"] {
      guard let list = v.array?.compactMap(\.string), list.count == v.array?.count, !list.isEmpty else {
        throw config.error(key("ops"), "expected a non-empty list of op names, got \(v.text)")
      }
      for name in list where !AugmentRegistry.names.contains(name) {
        let hint = Suggest.hint(name, in: AugmentRegistry.names)
        throw config.error(key("ops"), "unknown augmentation op '\(name)'\(hint)")
      }
      ops = list
    }
    if let listed = try PBATransformers.ops(step: step, section: section, config: config) {
      guard policy["ops"] == nil else {
        throw config.error(key("ops"), "give the ops once: search_space.transformers (VEGA's form) or policy.ops")
      }
      ops = listed
    }
    var start = PBAExplore.Start.explored
    if let v = policy["start"] {
      guard let s = v.string, let st = PBAExplore.Start(rawValue: s) else { throw config.error(key("start"), "expected explored, zero or random, got \(v.text)") }
      start = st
    }
    let pba: PBA
    do {
      pba = try PBA(ops: ops, space: space, objectives: objectives, seed: seed, population: population,
                    perturbationInterval: Double(each), maxBudget: Double(each * rungs), start: start)
    } catch { throw config.error("\(step).search_algorithm", "\(error)") }
    // Validation samples random levels so the policy form itself is checked.
    let probe = PBAExplore(ops: ops, start: .random, others: PBTExplore(space: space))
    return SearchAlgorithmFactory.Made(algorithm: pba, objectives: objectives, defaultEpochs: each * rungs,
                                       plannedTrials: population * rungs, sample: { probe.initial(member: 1, $0) })
  }
}
