import Foundation
import LyraBase
import LyraNN
import LyraSearch
import LyraSpace

/// VEGA's `search_algorithm: {type, policy, objective_keys}` section → a Lyra search.
///
/// VEGA names map to Lyra algorithms (AshaHpo → ASHA, BohbHpo → BOHB, ...), one `table`
/// entry each. Budgets are epochs.
///
/// Why a table rather than a switch: an algorithm's names, the policy keys it accepts and
/// its constructor used to live in three places (two dictionaries and a case), so a new
/// algorithm could be accepted by one and unknown to another. An entry holds all of them,
/// and the "did you mean" candidates are the table's names in its own order.
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

  /// One algorithm a config can name: its VEGA name, the other names it answers to, the
  /// `policy` keys it reads (any other key is an error naming the closest) and how it is
  /// built from the checked section.
  struct Entry {
    var name: String
    var aliases: [String] = []
    var policyKeys: [String]
    /// Keys the algorithm reads beside `policy`, directly under `search_algorithm` (VEGA's
    /// MFASC and MFKD1 have no policy section).
    var keys: [String] = []
    /// The entry reads `search_space` itself (MFKD1's choice lists); the request's space is empty.
    var ownSpace = false
    /// Policy keys the algorithm's VEGA config also reads directly under `search_algorithm`
    /// (BayesSearch's `num_samples`): merged into the policy, never given in both places.
    var flatKeys: [String] = []
    var make: (Request) throws -> Made
  }

  /// The checked `search_algorithm` section, the space and the objectives, with the readers
  /// the entries share.
  struct Request {
    var type: String, step: String, section: JSON, policy: [String: JSON]
    var space: SearchSpace, objectives: [Objective], seed: UInt64, config: PipelineConfig
    /// `trainer.epochs`: the default budget, and the largest one where a policy is silent.
    var epochs: Int?

    /// `policy.<k>`: an integer of at least `min`, or `d` when absent.
    func int(_ k: String, _ d: Int, min: Int = 1) throws -> Int {
      guard let v = policy[k] else { return d }
      guard let i = v.int, i >= min else { throw config.error("\(step).search_algorithm.policy.\(k)", "must be an integer of at least \(min), got \(v.text)") }
      return i
    }

    /// (min_epochs, max_epochs, eta) of the multi-fidelity algorithms: max_epochs defaults
    /// to VEGA's total_epochs, then trainer.epochs, then `maxDefault`.
    func budgets(maxDefault: Int) throws -> (Double, Double, Int) {
      let eta = try int("eta", 3, min: 2)
      let lo = try int("min_epochs", 1)
      let total = policy["total_epochs"]?.int.flatMap { $0 == -1 ? nil : $0 } // VEGA's −1: unset
      let hi = try int("max_epochs", total ?? epochs ?? maxDefault)
      guard hi >= lo else { throw config.error("\(step).search_algorithm.policy", "max_epochs \(hi) is below min_epochs \(lo)") }
      return (Double(lo), Double(hi), eta)
    }

    func made(_ algorithm: SearchAlgorithm, planned: Int? = nil) -> Made {
      Made(algorithm: algorithm, objectives: objectives, defaultEpochs: epochs, plannedTrials: planned)
    }

    /// A NAS or compression search (`NASAlgorithms`, `CompressionAlgorithms`).
    func made(_ m: NASAlgorithms.Made) -> Made {
      Made(algorithm: m.algorithm, objectives: objectives, defaultEpochs: epochs, plannedTrials: m.planned, sample: m.sample)
    }
  }

  /// Every algorithm, one entry each. Where VEGA derives a setting from `total_epochs`,
  /// the derivation is written in the entry, so a user can predict the number of trials.
  static let table: [Entry] = [
    Entry(name: "RandomSearch", aliases: ["RandomHpo"], policyKeys: ["num_sample", "num_samples"]) { q in
      let n = try q.int("num_sample", try q.int("num_samples", 10))
      return q.made(RandomSearch(space: q.space, objectives: q.objectives, seed: q.seed, maxTrials: n), planned: n)
    },
    Entry(name: "GridSearch", policyKeys: ["slices"]) { q in
      q.made(GridSearch(space: q.space, slices: try q.int("slices", 3), objectives: q.objectives))
    },
    Entry(name: "AshaHpo", aliases: ["ASHA"], policyKeys: ["total_epochs", "max_epochs", "min_epochs", "num_samples", "eta", "type"]) { q in
      // VEGA's AshaHpo takes total_epochs; Lyra reads it as the largest budget unless
      // max_epochs is given, and starts num_samples configs (default: enough for every
      // rung to promote η times, i.e. η^(rungs)).
      let (lo, hi, eta) = try q.budgets(maxDefault: 27)
      let rungs = HyperbandSchedule.sMax(minBudget: lo, maxBudget: hi, eta: eta)
      let n = try q.int("num_samples", Int(pow(Double(eta), Double(rungs))))
      // Only promotion: the stopping variant needs per-epoch reports from the trainer,
      // which pipeline trials do not send yet (lyra.search.asha has it for Lua loops).
      let kindName = q.policy["type"]?.string ?? "promotion"
      guard kindName == "promotion" else {
        throw q.config.error("\(q.step).search_algorithm.policy.type",
                             kindName == "stopping" ? "the stopping variant of ASHA is not available in pipelines (only in lyra.search.asha); use promotion"
                                                    : "expected promotion, got '\(kindName)'")
      }
      let asha = ASHA(space: q.space, objectives: q.objectives, seed: q.seed, minBudget: lo, maxBudget: hi, eta: eta, type: .promotion, maxTrials: n)
      // n configs at the bottom rung, about n/η^k promoted to rung k.
      return q.made(asha, planned: (0...rungs).reduce(0) { $0 + Int((Double(n) / pow(Double(eta), Double($1))).rounded(.down)) })
    },
    Entry(name: "HyperbandHpo", aliases: ["Hyperband"], policyKeys: ["max_epochs", "min_epochs", "eta", "iterations", "variant"]) { q in
      let (lo, hi, eta) = try q.budgets(maxDefault: 27)
      let variantName = q.policy["variant"]?.string ?? "li"
      guard let variant = HyperbandVariant(rawValue: variantName) else {
        throw q.config.error("\(q.step).search_algorithm.policy.variant", "expected li or hpbandster, got '\(variantName)'")
      }
      return q.made(Hyperband(space: q.space, objectives: q.objectives, seed: q.seed, minBudget: lo, maxBudget: hi, eta: eta, variant: variant,
                              iterations: try q.policy["iterations"].map { _ in try q.int("iterations", 1) }))
    },
    Entry(name: "BohbHpo", aliases: ["BOHB"],
          policyKeys: ["total_epochs", "max_epochs", "min_epochs", "repeat_times", "eta", "num_samples", "random_fraction"]) { q in
      let (lo, hi, eta) = try q.budgets(maxDefault: 27)
      let s = HyperbandSchedule.sMax(minBudget: lo, maxBudget: hi, eta: eta) + 1
      return q.made(BOHB(space: q.space, objectives: q.objectives, seed: q.seed, minBudget: lo, maxBudget: hi, eta: eta,
                         iterations: try q.int("repeat_times", 1) * s, numSamples: try q.int("num_samples", 64),
                         randomFraction: q.policy["random_fraction"]?.double ?? 1.0 / 3))
    },
    Entry(name: "BossHpo", aliases: ["BOSS"], policyKeys: ["num_samples", "repeat_times", "max_epochs", "min_epochs", "eta", "total_epochs"]) { q in
      var (lo, hi, eta) = try q.budgets(maxDefault: 27)
      let repeats = try q.int("repeat_times", 2)
      var samples = try q.int("num_samples", 40)
      // VEGA's total_epochs (−1: unset) designs num_samples and max_epochs itself (BOSSBudgetDesign).
      if let total = q.policy["total_epochs"], total.int != -1 {
        let t = try q.int("total_epochs", 81)
        guard let d = BOSSBudgetDesign.design(totalEpochs: t, repeatTimes: repeats) else {
          throw q.config.error("\(q.step).search_algorithm.policy.total_epochs", "must be at least 5 (BOSS needs 4 samples), got \(t)")
        }
        (samples, lo, hi, eta) = (d.numSamples, 1, Double(d.maxEpochs), BOSSBudgetDesign.eta)
      }
      return q.made(BOSS(space: q.space, objectives: q.objectives, seed: q.seed, numSamples: samples,
                         repeatTimes: repeats, minBudget: lo, maxBudget: hi, eta: eta))
    },
    Entry(name: "PBTHpo", aliases: ["PBT"], policyKeys: ["config_count", "each_epochs", "total_rungs"]) { q in
      let each = try q.int("each_epochs", 3), rungs = try q.int("total_rungs", 5)
      return q.made(PBT(space: q.space, objectives: q.objectives, seed: q.seed, population: try q.int("config_count", 16, min: 2),
                        perturbationInterval: Double(each), maxBudget: Double(each * rungs)))
    },
    // Population Based Augmentation over the augmentation policy (PBASearch).
    Entry(name: "PBAHpo", policyKeys: PBASearch.policyKeys) { q in
      try PBASearch.make(step: q.step, section: q.section, space: q.space, objectives: q.objectives, seed: q.seed, config: q.config)
    },
    Entry(name: "TpeHpo", aliases: ["TPE", "BayesSearch"], policyKeys: ["num_samples", "warmup_count", "multivariate", "constant_liar"],
          flatKeys: ["num_samples", "warmup_count"]) { q in
      let n = try q.int("num_samples", 30)
      return q.made(TPE(space: q.space, objectives: q.objectives, seed: q.seed, nStartupTrials: try q.int("warmup_count", 10, min: 0),
                        multivariate: q.policy["multivariate"]?.bool ?? true, constantLiar: q.policy["constant_liar"]?.bool ?? true,
                        maxTrials: n), planned: n)
    },
    Entry(name: "EvolutionAlgorithm", aliases: ["RegularizedEvolution"],
          policyKeys: ["num_individual", "num_generation", "sample_size", "random_samples"]) { q in
      let pop = try q.int("num_individual", 10)
      let generations = try q.int("num_generation", 5)
      return q.made(RegularizedEvolution(space: q.space, objectives: q.objectives, seed: q.seed, population: pop,
                                         sampleSize: try q.int("sample_size", min(3, pop)), maxTrials: pop * generations),
                    planned: pop * generations)
    },
    nas("BackboneNas"), nas("DblockNas"), nas("DnetNas"), nas("SMNas", aliases: ["SMNasS", "SMNasM"]),
    nas("ParetoEA", aliases: ["ParetoEvolution"]),
    compression("PruneEA"), compression("QuantEA"),
    Entry(name: "MFASC", policyKeys: [], keys: MultiFidelityNAS.mfascKeys) { q in try MultiFidelityNAS.mfasc(q) },
    Entry(name: "MFKD1", aliases: ["MFKD"], policyKeys: [], keys: MultiFidelityNAS.mfkdKeys, ownSpace: true) { q in try MultiFidelityNAS.mfkd1(q) },
    Entry(name: "ESRSearch", aliases: ["ESR_EA"], policyKeys: ESRSearchAlgorithm.policyKeys, ownSpace: true) { q in try ESRSearchAlgorithm.make(q) },
    Entry(name: "DifferentialAlgorithm", aliases: ["DartsNas"], policyKeys: [], keys: DifferentialAlgorithm.keys, ownSpace: true) { q in
      try DifferentialAlgorithm.make(q)
    },
  ]

  static func nas(_ name: String, aliases: [String] = []) -> Entry {
    Entry(name: name, aliases: aliases, policyKeys: NASAlgorithms.policy) { q in
      q.made(try NASAlgorithms.make(type: q.type, step: q.step, section: q.section, space: q.space, objectives: q.objectives,
                                    seed: q.seed, config: q.config))
    }
  }

  static func compression(_ name: String) -> Entry {
    Entry(name: name, policyKeys: CompressionAlgorithms.policy) { q in
      q.made(try CompressionAlgorithms.make(type: q.type, step: q.step, section: q.section, space: q.space, objectives: q.objectives,
                                            seed: q.seed, config: q.config))
    }
  }

  /// The table by name and by alias.
  static let entries = Registry<Entry>(kind: "search algorithm", table.flatMap { e in ([e.name] + e.aliases).map { ($0, e) } })

  /// Every name a config may give, the algorithms' own names first (the "did you mean" candidates).
  public static var knownTypes: [String] { table.map(\.name) + table.flatMap(\.aliases) }

  /// The table entry `search_algorithm.type` names (default RandomSearch).
  static func entry(step: String, section: JSON, config: PipelineConfig) throws -> Entry {
    let declared = section["search_algorithm"]?["type"]?.string ?? "RandomSearch"
    return try entries.lookup(declared, candidates: knownTypes) { config.error("\(step).search_algorithm.type", $0) }
  }

  public static func make(step: String, section: JSON, seed: UInt64, config: PipelineConfig) throws -> Made {
    let alg = section["search_algorithm"] ?? .object([:])
    let entry = try entry(step: step, section: section, config: config)
    let type = entry.name
    var policy = alg["policy"]?.object ?? [:]
    let sectionKeys = ["type", "policy", "objective_keys", "codec", "range"] + entry.keys
    for k in (alg.object ?? [:]).keys.sorted() where !sectionKeys.contains(k) {
      guard entry.flatKeys.contains(k) else {
        throw config.error("\(step).search_algorithm.\(k)", "unknown key '\(k)'\(Suggest.hint(k, in: sectionKeys + entry.flatKeys))")
      }
      guard policy[k] == nil else { throw config.error("\(step).search_algorithm.\(k)", "given here and as policy.\(k); keep one") }
      policy[k] = alg[k]
    }
    for k in policy.keys.sorted() where !entry.policyKeys.contains(k) {
      let hint = Suggest.hint(k, in: entry.policyKeys)
      throw config.error("\(step).search_algorithm.policy.\(k)", "unknown policy key '\(k)' for \(type)\(hint); known: \(entry.policyKeys.sorted().joined(separator: ", "))")
    }
    var keys: [String] = ["accuracy"]
    if let ok = alg["objective_keys"] {
      if let s = ok.string { keys = [s] } else if let a = ok.array?.compactMap(\.string), !a.isEmpty { keys = a } else {
        throw config.error("\(step).search_algorithm.objective_keys", "must be a metric name or a list of names")
      }
    }
    let objectives = keys.map { Objective($0, direction(of: $0)) }
    // VEGA's PBA space lists its ops as `transformers` (PBATransformers): PBAHpo reads them.
    if PBATransformers.given(in: section), type != "PBAHpo" {
      throw config.error("\(step).search_space.transformers", "only PBAHpo searches augmentation ops (this step's algorithm is \(type))")
    }
    let spaceJSON = PBATransformers.space(of: section)
    let space: SearchSpace
    // Compression steps search the codec's genome only: no search_space is an empty one.
    // A space written as a network has no hyperparameters: PruneEA/QuantEA read it (NetworkSearchSpace).
    // An algorithm that reads search_space its own way (MFKD1's choice lists) gets an empty one.
    do {
      space = entry.ownSpace ? try SearchSpace(parameters: [])
        : try NetworkSearchSpace.hyperparameters(type: type, step: step, section: section, config: config) ?? SearchSpace(json: spaceJSON)
    } catch let e as ConfigError {
      throw e
    } catch {
      throw config.error("\(step).search_space", "\(error)")
    }
    return try entry.make(Request(type: type, step: step, section: section, policy: policy, space: space, objectives: objectives,
                                  seed: seed, config: config, epochs: section["trainer"]?["epochs"]?.int))
  }
}
