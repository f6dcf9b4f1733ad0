import LyraSearch
import LyraSpace

/// Builds each algorithm from a Lua options table, checking every setting first (the
/// Swift constructors assume valid settings).
enum SearchFactory {
  typealias Build = (LuaCall, LuaOptions) throws -> SearchAlgorithm

  static func space(_ call: LuaCall, _ o: LuaOptions) throws -> SearchSpace {
    try o.withValue("space") { s in
      guard let box = s.toObject(-1, as: SpaceBox.self) else { throw LuaFailure("option 'space' must be a lyra.space (see ? lyra.space)") }
      return box.space
    }
  }

  /// `objectives = {'loss'}`, `{accuracy = 'max'}` or `{{'accuracy', 'max'}, {'flops', 'min'}}`; default loss, minimised.
  static func objectives(_ call: LuaCall, _ o: LuaOptions) throws -> [Objective] {
    let value = o.value("objectives")
    if case .nil = value { return [Objective("loss")] }
    func direction(_ v: LuaValue) throws -> Direction {
      guard case .string(let d) = v else { throw LuaFailure("an objective's direction must be 'min' or 'max'") }
      switch d.lowercased() {
      case "min", "minimize", "minimise": return .minimize
      case "max", "maximize", "maximise": return .maximize
      default: throw LuaFailure("an objective's direction must be 'min' or 'max', got '\(d)'")
      }
    }
    switch value {
    case .string(let n): return [Objective(n)]
    case .table(let a, let f):
      var out: [Objective] = []
      for x in a {
        switch x {
        case .string(let n): out.append(Objective(n))
        case .table(let pair, _) where pair.count == 2:
          guard case .string(let n) = pair[0] else { throw LuaFailure("objective entries are {name, 'min'|'max'}") }
          out.append(Objective(n, try direction(pair[1])))
        default: throw LuaFailure("objective entries are names or {name, 'min'|'max'}")
        }
      }
      for k in f.keys.sorted() { out.append(Objective(k, try direction(f[k]!))) }
      guard !out.isEmpty else { throw LuaFailure("objectives must name at least one metric") }
      return out
    default: throw LuaFailure("option 'objectives' must be a name or a table")
    }
  }

  static func seed(_ o: LuaOptions) throws -> UInt64 { try o.seed("seed") ?? 0 }

  /// A count option: at least `min`, and at most 2^24 — populations and sample counts
  /// size arrays, and a count beyond that is a typo, not a search.
  static func positive(_ o: LuaOptions, _ key: String, _ d: Int?, min: Int = 1) throws -> Int {
    guard let v = try o.int(key) ?? d else { throw LuaFailure("option '\(key)' is required") }
    guard v >= min else { throw LuaFailure("option '\(key)' must be at least \(min), got \(v)") }
    guard v <= 1 << 24 else { throw LuaFailure("option '\(key)' must be at most \(1 << 24), got \(v)") }
    return v
  }

  /// An optional count option (nil when absent), checked as `positive`.
  static func optionalPositive(_ o: LuaOptions, _ key: String) throws -> Int? {
    try o.int(key) == nil ? nil : try positive(o, key, nil)
  }

  static func budgets(_ o: LuaOptions, eta: Int) throws -> (Double, Double) {
    let lo = try o.number("min_budget") ?? 1, hi = try o.number("max_budget") ?? 81
    guard lo > 0, hi >= lo, hi.isFinite else { throw LuaFailure("budgets must satisfy 0 < min_budget <= max_budget, got \(lo), \(hi)") }
    guard eta >= 2 else { throw LuaFailure("option 'eta' must be at least 2") }
    return (lo, hi)
  }

  static let algorithms: [(String, String, Build)] = [
    ("random", "lyra.search.random{space =, seed = 0, max_trials = 100, objectives = {'loss'}} -> search\nUniform random sampling (multi-objective: keeps the Pareto front).", { call, o in
      RandomSearch(space: try space(call, o), objectives: try objectives(call, o), seed: try seed(o),
                   maxTrials: try positive(o, "max_trials", 100), budget: try o.number("budget"))
    }),
    ("grid", "lyra.search.grid{space =, slices = 3, objectives =} -> search\nEvery combination of the space's grid.", { call, o in
      let sp = try space(call, o)
      let slices = try positive(o, "slices", 3)
      guard slices <= 1000 else { throw LuaFailure("option 'slices' must be at most 1000") }
      return GridSearch(space: sp, slices: slices, objectives: try objectives(call, o), budget: try o.number("budget"))
    }),
    ("hyperband", "lyra.search.hyperband{space =, min_budget = 1, max_budget = 81, eta = 3, variant = 'li'|'hpbandster', iterations =, seed =} -> search\nHyperband (Li et al. 2018): brackets of synchronous successive halving; trials carry budget and resume_from.", { call, o in
      let eta = try positive(o, "eta", 3, min: 2)
      let (lo, hi) = try budgets(o, eta: eta)
      let v = try o.string("variant") ?? "li"
      guard let variant = HyperbandVariant(rawValue: v) else { throw LuaFailure("option 'variant' must be 'li' or 'hpbandster'") }
      return Hyperband(space: try space(call, o), objectives: try objectives(call, o), seed: try seed(o), minBudget: lo, maxBudget: hi,
                       eta: eta, variant: variant, iterations: try optionalPositive(o, "iterations"))
    }),
    ("asha", "lyra.search.asha{space =, min_budget = 1, max_budget = 81, eta = 3, max_trials = 100, type = 'promotion'|'stopping', early_stopping_rate = 0, rule = 'optuna'|'ray', seed =} -> search\nAsynchronous successive halving (Li et al. 2020). Stopping type: call alg:report(trial, budget, metrics) at each epoch.", { call, o in
      let eta = try positive(o, "eta", 3, min: 2)
      let (lo, hi) = try budgets(o, eta: eta)
      guard let type = ASHA.Kind(rawValue: try o.string("type") ?? "promotion") else { throw LuaFailure("option 'type' must be 'promotion' or 'stopping'") }
      guard let rule = ASHA.StoppingRule(rawValue: try o.string("rule") ?? "optuna") else { throw LuaFailure("option 'rule' must be 'optuna' or 'ray'") }
      let sMax = HyperbandSchedule.sMax(minBudget: lo, maxBudget: hi, eta: eta)
      let s = try o.int("early_stopping_rate") ?? 0
      guard s >= 0, s <= sMax else { throw LuaFailure("option 'early_stopping_rate' must be in 0..\(sMax)") }
      return ASHA(space: try space(call, o), objectives: try objectives(call, o), seed: try seed(o), minBudget: lo, maxBudget: hi, eta: eta,
                  type: type, earlyStoppingRate: s, maxTrials: try positive(o, "max_trials", 100), rule: rule)
    }),
    ("bohb", "lyra.search.bohb{space =, min_budget = 1, max_budget = 81, eta = 3, iterations =, top_n_percent = 15, num_samples = 64, random_fraction = 1/3, bandwidth_factor = 3, min_bandwidth = 1e-3, seed =} -> search\nBOHB (Falkner et al. 2018) with HpBandSter's defaults: Hyperband brackets fed by a KDE model.", { call, o in
      let eta = try positive(o, "eta", 3, min: 2)
      let (lo, hi) = try budgets(o, eta: eta)
      let rf = try o.number("random_fraction") ?? 1.0 / 3
      guard (0...1).contains(rf) else { throw LuaFailure("option 'random_fraction' must be in [0, 1]") }
      let top = try o.int("top_n_percent") ?? 15
      guard (1...99).contains(top) else { throw LuaFailure("option 'top_n_percent' must be in 1..99") }
      return BOHB(space: try space(call, o), objectives: try objectives(call, o), seed: try seed(o), minBudget: lo, maxBudget: hi, eta: eta,
                  iterations: try optionalPositive(o, "iterations"), minPointsInModel: try optionalPositive(o, "min_points_in_model"), topNPercent: top,
                  numSamples: try positive(o, "num_samples", 64), randomFraction: rf,
                  bandwidthFactor: max(try o.number("bandwidth_factor") ?? 3, 1e-6), minBandwidth: max(try o.number("min_bandwidth") ?? 1e-3, 1e-12))
    }),
    ("tpe", "lyra.search.tpe{space =, seed =, max_trials =, n_startup_trials = 10, n_ei_candidates = 24, multivariate = true, constant_liar = true, prior_weight = 1} -> search\nTree-structured Parzen estimator (Bergstra et al. 2011) with Optuna 5's defaults.", { call, o in
      let pw = try o.number("prior_weight") ?? 1
      guard pw > 0 else { throw LuaFailure("option 'prior_weight' must be positive") }
      return TPE(space: try space(call, o), objectives: try objectives(call, o), seed: try seed(o),
                 nStartupTrials: try positive(o, "n_startup_trials", 10, min: 0), nEICandidates: try positive(o, "n_ei_candidates", 24),
                 priorWeight: pw, multivariate: try o.bool("multivariate") ?? true, constantLiar: try o.bool("constant_liar") ?? true,
                 maxTrials: try optionalPositive(o, "max_trials"), budget: try o.number("budget"))
    }),
    ("boss", "lyra.search.boss{space =, num_samples = 40, repeat_times = 2, min_budget = 1, max_budget = 81, eta = 3, tuner = 'tpe'|'random', seed =} -> search\nBOSS (Huang et al. 2020): Bayesian optimisation with sub-sampling bandits, as VEGA runs it.", { call, o in
      let eta = try positive(o, "eta", 3, min: 2)
      let (lo, hi) = try budgets(o, eta: eta)
      guard let tuner = BOSS.Tuner(rawValue: try o.string("tuner") ?? "tpe") else { throw LuaFailure("option 'tuner' must be 'tpe' or 'random'") }
      return BOSS(space: try space(call, o), objectives: try objectives(call, o), seed: try seed(o),
                  numSamples: try positive(o, "num_samples", 40), repeatTimes: try positive(o, "repeat_times", 2),
                  minBudget: lo, maxBudget: hi, eta: eta, tuner: tuner)
    }),
    ("pbt", "lyra.search.pbt{space =, population = 16, perturbation_interval =, max_budget =, quantile = 0.25, resample_probability = 0.25, seed =} -> search\nPopulation-based training (Jaderberg et al. 2017): trials report every interval; the bottom quantile copies a top member (resume_from) and perturbs it.", { call, o in
      guard let interval = try o.number("perturbation_interval"), interval > 0 else { throw LuaFailure("option 'perturbation_interval' must be positive") }
      guard let hi = try o.number("max_budget"), hi >= interval else { throw LuaFailure("option 'max_budget' must be at least the perturbation interval") }
      let q = try o.number("quantile") ?? 0.25
      guard q > 0, q <= 0.5 else { throw LuaFailure("option 'quantile' must be in (0, 0.5]") }
      let rp = try o.number("resample_probability") ?? 0.25
      guard (0...1).contains(rp) else { throw LuaFailure("option 'resample_probability' must be in [0, 1]") }
      return PBT(space: try space(call, o), objectives: try objectives(call, o), seed: try seed(o), population: try positive(o, "population", 16, min: 2),
                 perturbationInterval: interval, maxBudget: hi, quantile: q, resampleProbability: rp)
    }),
    ("pareto", "lyra.search.pareto{space =, kind = 'space'|'backbone'|'dnet_block'|'dnet_macro', objectives = {{'accuracy', 'max'}, {'latency', 'min'}}, population = 16, max_trials = 100, random_samples = population, mutations = 1, crossover_rate = 0, random_ratio = 0, macro =, block_codes =, seed =} -> search\nMulti-objective evolution with NSGA-II survival (Deb et al. 2002) over a codec (see lyra.search.codec): VEGA's BackboneNas / DblockNas / DnetNas behind ask/tell; duplicates are never proposed.", { call, o in
      let (codec, _) = try NASLua.codec(call, o)
      let pop = try positive(o, "population", 16)
      let rate: (String) throws -> Double = { k in
        let v = try o.number(k) ?? 0
        guard (0...1).contains(v) else { throw LuaFailure("option '\(k)' must be in [0, 1]") }
        return v
      }
      return ParetoEvolution(codec: codec, objectives: try objectives(call, o), seed: try seed(o), population: pop,
                             maxTrials: try positive(o, "max_trials", 100), randomSamples: try positive(o, "random_samples", pop),
                             mutationsPerChild: try positive(o, "mutations", 1, min: 0), crossoverRate: try rate("crossover_rate"),
                             randomRatio: try rate("random_ratio"), budget: try o.number("budget"))
    }),
    ("mfasc", "lyra.search.mfasc{space =, max_budget = 1000, hf_epochs = 20, lf_epochs = 5, fidelity_ratio = 2, min_hf_sample_size = 3, min_lf_sample_size = 10, sample_size = 5000, batch_size = 1000, prior_rho = 1, beta = 1, seed =, objectives =} -> search\nMF-ASC (VEGA's MFASC): each trial trains a candidate at low (budget lf_epochs) or high (hf_epochs) fidelity, chosen by a co-kriging GP's upper confidence bound; one trial at a time; stops once the epochs spent exceed max_budget.", { call, o in
      var m = MFASC.Options()
      m.maxBudget = try positive(o, "max_budget", m.maxBudget)
      m.hfEpochs = try positive(o, "hf_epochs", m.hfEpochs)
      m.lfEpochs = try positive(o, "lf_epochs", m.lfEpochs)
      guard m.hfEpochs >= m.lfEpochs else { throw LuaFailure("option 'hf_epochs' must be at least lf_epochs (\(m.lfEpochs)), got \(m.hfEpochs)") }
      m.fidelityRatio = try positive(o, "fidelity_ratio", m.fidelityRatio)
      m.minHFSamples = try positive(o, "min_hf_sample_size", m.minHFSamples, min: 0)
      m.minLFSamples = try positive(o, "min_lf_sample_size", m.minLFSamples, min: 0)
      m.sampleSize = try positive(o, "sample_size", m.sampleSize)
      guard m.sampleSize <= MFASC.maxSampleSize else { throw LuaFailure("option 'sample_size' must be at most \(MFASC.maxSampleSize)") }
      m.batchSize = try positive(o, "batch_size", m.batchSize)
      m.priorRho = try o.number("prior_rho") ?? m.priorRho
      guard (-1...1).contains(m.priorRho) else { throw LuaFailure("option 'prior_rho' must be in [-1, 1]") }
      m.beta = try o.number("beta") ?? m.beta
      guard m.beta >= 0, m.beta.isFinite else { throw LuaFailure("option 'beta' must be a finite number ≥ 0") }
      return MFASC(space: try space(call, o), objectives: try objectives(call, o), seed: try seed(o), options: m)
    }),
    ("mfkd", "lyra.search.mfkd{space =, max_samples = 5, seed =, objectives =} -> search\nMFKD1 (VEGA's): max_samples distinct random combinations of the space's CATEGORY/BOOL choices, then one last trial of the combination a Gaussian process fitted to their scores predicts best (none when that was sampled).", { call, o in
      do {
        let sp = try space(call, o)
        return try MFKD1(choices: try MFKD1.choices(of: sp), objectives: try objectives(call, o), seed: try seed(o),
                         maxSamples: try positive(o, "max_samples", 5))
      } catch let e as SpaceError { throw LuaFailure("\(e)") }
    }),
    ("evolution", "lyra.search.evolution{space =, population = 10, sample_size = 3, max_trials = 100, seed =} -> search\nRegularised (aging) evolution (Real et al. 2019): tournament selection, one-value mutation, the oldest member dies.", { call, o in
      RegularizedEvolution(space: try space(call, o), objectives: try objectives(call, o), seed: try seed(o),
                           population: try positive(o, "population", 10), sampleSize: try positive(o, "sample_size", 3),
                           maxTrials: try positive(o, "max_trials", 100), budget: try o.number("budget"))
    }),
  ]
}
