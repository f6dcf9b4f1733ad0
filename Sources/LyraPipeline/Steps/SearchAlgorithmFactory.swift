import Foundation
import LyraBase
import LyraNN
import LyraSearch
import LyraSpace

/// VEGA's `search_algorithm: {type, policy, objective_keys}` section → a Lyra search.
///
/// VEGA names map to Lyra algorithms (AshaHpo → ASHA, BohbHpo → BOHB, ...). Budgets are
/// epochs. Where VEGA derives a setting from `total_epochs`, the derivation is written
/// next to its case so a user can predict the number of trials.
public enum SearchAlgorithmFactory {
  public struct Made {
    public var algorithm: SearchAlgorithm
    public var objectives: [Objective]
    /// Epochs to train a trial when the algorithm gives no budget.
    public var defaultEpochs: Int?
    /// About how many trials the search will run, when that is known up front (for the ETA).
    public var plannedTrials: Int?
    /// One sampled config as the algorithm would make it (checked before any trial runs).
    public var sample: ((Generator) -> Config)?
  }

  /// Directions VEGA uses by default for well-known metric names.
  public static func direction(of metric: String) -> Direction {
    let m = metric.lowercased()
    let maximised = ["accuracy", "acc", "top1", "top5", "auc", "f1", "psnr", "ssim", "miou", "map", "r2score"]
    return maximised.contains(where: { m == $0 || m.hasPrefix($0) }) ? .maximize : .minimize
  }

  static let policies: [String: [String]] = [
    "RandomSearch": ["num_sample", "num_samples"],
    "GridSearch": ["slices"],
    "AshaHpo": ["total_epochs", "max_epochs", "min_epochs", "num_samples", "eta", "type"],
    "HyperbandHpo": ["max_epochs", "min_epochs", "eta", "iterations", "variant"],
    "BohbHpo": ["total_epochs", "max_epochs", "min_epochs", "repeat_times", "eta", "num_samples", "random_fraction"],
    "BossHpo": ["num_samples", "repeat_times", "max_epochs", "min_epochs", "eta"],
    "PBTHpo": ["config_count", "each_epochs", "total_rungs"],
    "PBAHpo": PBASearch.policyKeys,
    "TpeHpo": ["num_samples", "warmup_count", "multivariate", "constant_liar"],
    "EvolutionAlgorithm": ["num_individual", "num_generation", "sample_size", "random_samples"],
    "BackboneNas": NASAlgorithms.policy, "DblockNas": NASAlgorithms.policy, "DnetNas": NASAlgorithms.policy,
    "SMNas": NASAlgorithms.policy, "ParetoEA": NASAlgorithms.policy,
    "PruneEA": CompressionAlgorithms.policy, "QuantEA": CompressionAlgorithms.policy,
  ]
  static let aliases = ["RandomHpo": "RandomSearch", "ASHA": "AshaHpo", "Hyperband": "HyperbandHpo", "BOHB": "BohbHpo",
                        "BOSS": "BossHpo", "PBT": "PBTHpo", "TPE": "TpeHpo", "BayesSearch": "TpeHpo",
                        "RegularizedEvolution": "EvolutionAlgorithm", "ParetoEvolution": "ParetoEA", "SMNasS": "SMNas",
                        "SMNasM": "SMNas"]

  public static var knownTypes: [String] { Array(policies.keys) + Array(aliases.keys) }

  public static func make(step: String, section: JSON, seed: UInt64, config: PipelineConfig) throws -> Made {
    let alg = section["search_algorithm"] ?? .object([:])
    let declared = alg["type"]?.string ?? "RandomSearch"
    let type = aliases[declared] ?? declared
    guard let knownPolicy = policies[type] else {
      let hint = Suggest.hint(declared, in: knownTypes)
      throw config.error("\(step).search_algorithm.type", "unknown search algorithm '\(declared)'\(hint)")
    }
    for k in (alg.object ?? [:]).keys.sorted() where !["type", "policy", "objective_keys", "codec", "range"].contains(k) {
      throw config.error("\(step).search_algorithm.\(k)", "unknown key '\(k)'")
    }
    let policy = alg["policy"]?.object ?? [:]
    for k in policy.keys.sorted() where !knownPolicy.contains(k) {
      let hint = Suggest.hint(k, in: knownPolicy)
      throw config.error("\(step).search_algorithm.policy.\(k)", "unknown policy key '\(k)' for \(type)\(hint); known: \(knownPolicy.sorted().joined(separator: ", "))")
    }
    func int(_ k: String, _ d: Int, min: Int = 1) throws -> Int {
      guard let v = policy[k] else { return d }
      guard let i = v.int, i >= min else { throw config.error("\(step).search_algorithm.policy.\(k)", "must be an integer of at least \(min), got \(v.text)") }
      return i
    }
    var keys: [String] = ["accuracy"]
    if let ok = alg["objective_keys"] {
      if let s = ok.string { keys = [s] } else if let a = ok.array?.compactMap(\.string), !a.isEmpty { keys = a } else {
        throw config.error("\(step).search_algorithm.objective_keys", "must be a metric name or a list of names")
      }
    }
    let objectives = keys.map { Objective($0, direction(of: $0)) }
    let spaceJSON = section["search_space"] ?? .object([:])
    let space: SearchSpace
    // Compression steps search the codec's genome only: no search_space is an empty one.
    do { space = section["search_space"] == nil ? try SearchSpace(parameters: []) : try SearchSpace(json: spaceJSON) } catch {
      throw config.error("\(step).search_space", "\(error)")
    }
    let epochs = section["trainer"]?["epochs"]?.int
    func budgets(maxDefault: Int) throws -> (Double, Double, Int) {
      let eta = try int("eta", 3, min: 2)
      let lo = try int("min_epochs", 1)
      let hi = try int("max_epochs", policy["total_epochs"]?.int ?? epochs ?? maxDefault)
      guard hi >= lo else { throw config.error("\(step).search_algorithm.policy", "max_epochs \(hi) is below min_epochs \(lo)") }
      return (Double(lo), Double(hi), eta)
    }
    if CompressionAlgorithms.types.contains(type) {
      let c = try CompressionAlgorithms.make(type: type, step: step, section: section, space: space, objectives: objectives, seed: seed, config: config)
      return Made(algorithm: c.algorithm, objectives: objectives, defaultEpochs: epochs, plannedTrials: c.planned, sample: c.sample)
    }
    if NASAlgorithms.types.contains(type) {
      let nas = try NASAlgorithms.make(type: type, step: step, section: section, space: space, objectives: objectives, seed: seed, config: config)
      return Made(algorithm: nas.algorithm, objectives: objectives, defaultEpochs: epochs, plannedTrials: nas.planned, sample: nas.sample)
    }
    let made: SearchAlgorithm
    var planned: Int?
    switch type {
    case "RandomSearch":
      let n = try int("num_sample", try int("num_samples", 10))
      made = RandomSearch(space: space, objectives: objectives, seed: seed, maxTrials: n)
      planned = n
    case "GridSearch":
      made = GridSearch(space: space, slices: try int("slices", 3), objectives: objectives)
    case "AshaHpo":
      // VEGA's AshaHpo takes total_epochs; Lyra reads it as the largest budget unless
      // max_epochs is given, and starts num_samples configs (default: enough for every
      // rung to promote η times, i.e. η^(rungs)).
      let (lo, hi, eta) = try budgets(maxDefault: 27)
      let rungs = HyperbandSchedule.sMax(minBudget: lo, maxBudget: hi, eta: eta)
      let n = try int("num_samples", Int(pow(Double(eta), Double(rungs))))
      // Only promotion: the stopping variant needs per-epoch reports from the trainer,
      // which pipeline trials do not send yet (lyra.search.asha has it for Lua loops).
      let kindName = policy["type"]?.string ?? "promotion"
      guard kindName == "promotion" else {
        throw config.error("\(step).search_algorithm.policy.type",
                           kindName == "stopping" ? "the stopping variant of ASHA is not available in pipelines (only in lyra.search.asha); use promotion"
                                                  : "expected promotion, got '\(kindName)'")
      }
      let kind = ASHA.Kind.promotion
      made = ASHA(space: space, objectives: objectives, seed: seed, minBudget: lo, maxBudget: hi, eta: eta, type: kind, maxTrials: n)
      // n configs at the bottom rung, about n/η^k promoted to rung k.
      planned = (0...rungs).reduce(0) { $0 + Int((Double(n) / pow(Double(eta), Double($1))).rounded(.down)) }
    case "HyperbandHpo":
      let (lo, hi, eta) = try budgets(maxDefault: 27)
      let variantName = policy["variant"]?.string ?? "li"
      guard let variant = HyperbandVariant(rawValue: variantName) else {
        throw config.error("\(step).search_algorithm.policy.variant", "expected li or hpbandster, got '\(variantName)'")
      }
      made = Hyperband(space: space, objectives: objectives, seed: seed, minBudget: lo, maxBudget: hi, eta: eta, variant: variant,
                       iterations: try policy["iterations"].map { _ in try int("iterations", 1) })
    case "BohbHpo":
      let (lo, hi, eta) = try budgets(maxDefault: 27)
      let s = HyperbandSchedule.sMax(minBudget: lo, maxBudget: hi, eta: eta) + 1
      made = BOHB(space: space, objectives: objectives, seed: seed, minBudget: lo, maxBudget: hi, eta: eta,
                  iterations: try int("repeat_times", 1) * s, numSamples: try int("num_samples", 64),
                  randomFraction: policy["random_fraction"]?.double ?? 1.0 / 3)
    case "BossHpo":
      let (lo, hi, eta) = try budgets(maxDefault: 27)
      made = BOSS(space: space, objectives: objectives, seed: seed, numSamples: try int("num_samples", 40),
                  repeatTimes: try int("repeat_times", 2), minBudget: lo, maxBudget: hi, eta: eta)
    case "PBTHpo":
      let each = try int("each_epochs", 3), rungs = try int("total_rungs", 5)
      made = PBT(space: space, objectives: objectives, seed: seed, population: try int("config_count", 16, min: 2),
                 perturbationInterval: Double(each), maxBudget: Double(each * rungs))
    case "PBAHpo":
      // Population Based Augmentation over the augmentation policy (PBASearch).
      return try PBASearch.make(step: step, section: section, space: space, objectives: objectives, seed: seed, config: config)
    case "TpeHpo":
      let n = try int("num_samples", 30)
      made = TPE(space: space, objectives: objectives, seed: seed, nStartupTrials: try int("warmup_count", 10, min: 0),
                 multivariate: policy["multivariate"]?.bool ?? true, constantLiar: policy["constant_liar"]?.bool ?? true,
                 maxTrials: n)
      planned = n
    default: // EvolutionAlgorithm
      let pop = try int("num_individual", 10)
      let generations = try int("num_generation", 5)
      made = RegularizedEvolution(space: space, objectives: objectives, seed: seed, population: pop,
                                  sampleSize: try int("sample_size", min(3, pop)), maxTrials: pop * generations)
      planned = pop * generations
    }
    return Made(algorithm: made, objectives: objectives, defaultEpochs: epochs, plannedTrials: planned)
  }
}
