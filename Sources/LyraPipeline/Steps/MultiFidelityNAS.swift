import LyraBase
import LyraSearch
import LyraSpace

/// VEGA's multi-fidelity NAS sections (docs/config.md#mfasc-and-mfkd1): `search_algorithm:
/// {type: MFASC, sample_size, max_budget, hf_epochs, ...}` and `{type: MFKD1, max_samples}`,
/// their keys directly under `search_algorithm` as VEGA's config classes have them.
///
/// MFASC searches the step's ordinary `search_space` (hyperparameters); a trial's budget
/// is its epochs (hf_epochs or lf_epochs), which replace `trainer.epochs`. MFKD1 reads
/// `search_space` as VEGA's network-with-choice-lists (`modules: [custom]`, `custom: {type:
/// SimpleCnnMFKD, conv_layer_0: {kernel_size: [1, 3, 5], ...}}`): every list is a
/// choice, everything else is fixed, and a trial's config carries the whole network
/// (`network.modules`, `network.custom.type`, ...), so no `model` section is needed. A
/// `hyperparameters` list works too when every entry is a CATEGORY or BOOL.
enum MultiFidelityNAS {
  static let mfascKeys = ["sample_size", "batch_size", "prior_rho", "beta", "max_budget", "hf_epochs", "lf_epochs",
                          "fidelity_ratio", "min_hf_sample_size", "min_lf_sample_size", "predictor_type"]
  static let mfkdKeys = ["max_samples"]

  /// An integer key of `search_algorithm` in `range`, or `d`.
  static func int(_ q: SearchAlgorithmFactory.Request, _ k: String, _ d: Int, _ range: ClosedRange<Int>) throws -> Int {
    guard let v = q.section["search_algorithm"]?[k] else { return d }
    guard let i = v.int, range.contains(i) else {
      throw q.config.error("\(q.step).search_algorithm.\(k)", "must be an integer in \(range.lowerBound)…\(range.upperBound), got \(v.text)")
    }
    return i
  }

  static func number(_ q: SearchAlgorithmFactory.Request, _ k: String, _ d: Double, _ range: ClosedRange<Double>) throws -> Double {
    guard let v = q.section["search_algorithm"]?[k] else { return d }
    guard let x = v.double, range.contains(x) else {
      throw q.config.error("\(q.step).search_algorithm.\(k)", "must be a number in [\(range.lowerBound), \(range.upperBound)], got \(v.text)")
    }
    return x
  }

  static func mfasc(_ q: SearchAlgorithmFactory.Request) throws -> SearchAlgorithmFactory.Made {
    if let p = q.section["search_algorithm"]?["predictor_type"], p.string != "mfgpr" {
      throw q.config.error("\(q.step).search_algorithm.predictor_type",
                           "only 'mfgpr' (co-kriging) is available, got \(p.text); VEGA's 'gb_stacked' needs gradient-boosted trees Lyra does not have")
    }
    guard !q.space.parameters.isEmpty else {
      throw q.config.error("\(q.step).search_space", "MFASC needs a search_space with hyperparameters")
    }
    var o = MFASC.Options()
    let big = 1 << 20
    o.sampleSize = try int(q, "sample_size", o.sampleSize, 1...MFASC.maxSampleSize)
    o.batchSize = try int(q, "batch_size", o.batchSize, 1...big)
    o.priorRho = try number(q, "prior_rho", o.priorRho, -1...1)
    o.beta = try number(q, "beta", o.beta, 0...1e6)
    o.maxBudget = try int(q, "max_budget", o.maxBudget, 1...big)
    o.hfEpochs = try int(q, "hf_epochs", o.hfEpochs, 1...big)
    o.lfEpochs = try int(q, "lf_epochs", o.lfEpochs, 1...big)
    guard o.hfEpochs >= o.lfEpochs else {
      throw q.config.error("\(q.step).search_algorithm.hf_epochs", "must be at least lf_epochs (\(o.lfEpochs)), got \(o.hfEpochs)")
    }
    o.fidelityRatio = try int(q, "fidelity_ratio", o.fidelityRatio, 1...big)
    o.minHFSamples = try int(q, "min_hf_sample_size", o.minHFSamples, 0...big)
    o.minLFSamples = try int(q, "min_lf_sample_size", o.minLFSamples, 0...big)
    let alg = MFASC(space: q.space, objectives: q.objectives, seed: q.seed, options: o)
    var made = q.made(alg)
    made.sample = { q.space.sample($0) }
    return made
  }

  static func mfkd1(_ q: SearchAlgorithmFactory.Request) throws -> SearchAlgorithmFactory.Made {
    let (choices, fixed) = try choiceSpace(q)
    let samples = try int(q, "max_samples", 5, 1...MFKD1.maxSamplesLimit)
    let alg: MFKD1
    do { alg = try MFKD1(choices: choices, fixed: fixed, objectives: q.objectives, seed: q.seed, maxSamples: samples) } catch {
      throw q.config.error("\(q.step).search_space", "MFKD1: \(error)")
    }
    var made = q.made(alg, planned: alg.maxSamples + 1)
    made.sample = { alg.config($0.int(below: alg.combinations)) }
    return made
  }

  /// The choice lists and fixed values of MFKD1's `search_space`, in VEGA's order
  /// (modules in order, keys sorted at every level).
  static func choiceSpace(_ q: SearchAlgorithmFactory.Request) throws -> ([MFKD1.Choice], Config) {
    let path = "\(q.step).search_space"
    guard let o = q.section["search_space"]?.object else {
      throw q.config.error(path, "MFKD1 needs a search_space: {modules: [name], name: {type: ..., key: [choices], ...}}")
    }
    if o["hyperparameters"] != nil {
      let space: SearchSpace
      do { space = try SearchSpace(json: .object(o)) } catch { throw q.config.error(path, "\(error)") }
      do { return (try MFKD1.choices(of: space), [:]) } catch { throw q.config.error(path, "\(error)") }
    }
    let list = o["modules"]?.array ?? []
    let modules = list.compactMap(\.string)
    guard !modules.isEmpty, modules.count == list.count else {
      throw q.config.error("\(path).modules", "must list the network's parts, e.g. [custom]")
    }
    for k in o.keys.sorted() where k != "type" && k != "modules" && !modules.contains(k) {
      throw q.config.error("\(path).\(k)", "not listed in modules \(modules)")
    }
    var choices: [MFKD1.Choice] = []
    var fixed: Config = ["network.modules": .list(modules.map { .string($0) })]
    func walk(_ v: JSON, _ key: String) throws {
      if let obj = v.object {
        for k in obj.keys.sorted() { try walk(obj[k]!, "\(key).\(k)") }
      } else if let a = v.array {
        let values = try a.map { e -> ParamValue in
          guard e.array == nil, e.object == nil, let p = ParamValue(json: e) else {
            throw q.config.error("\(path)\(key.dropFirst("network".count))", "choices must be numbers, strings or booleans, got \(e.text)")
          }
          return p
        }
        guard !values.isEmpty else { throw q.config.error("\(path)\(key.dropFirst("network".count))", "an empty list of choices") }
        choices.append(MFKD1.Choice(key: key, values: values))
      } else if let p = ParamValue(json: v) {
        fixed[key] = p
      }
    }
    for m in modules {
      guard let part = o[m], part.object != nil else { throw q.config.error("\(path).\(m)", "part '\(m)' listed in modules needs a mapping with its type") }
      try walk(part, "network.\(m)")
    }
    guard !choices.isEmpty else { throw q.config.error(path, "no lists of choices: MFKD1 searches the keys given as lists, e.g. kernel_size: [1, 3, 5]") }
    return (choices, fixed)
  }
}
