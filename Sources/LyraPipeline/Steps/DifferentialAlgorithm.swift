import LyraBase
import LyraNets
import LyraSearch
import LyraSpace

/// VEGA's `search_algorithm: {type: DifferentialAlgorithm, sample_num: 1, arch_optim: {...}}`
/// over `search_space: {type: SearchSpace, modules: [super_network], super_network: {type:
/// DartsNetwork, search: true, ...}}` (docs/algorithms/darts.md): one trial (`sample_num`
/// trials from seeds 0, 1, ... when more) trains the supernet; the trainer's
/// DartsTrainerCallback steps α and hands on the derived network as the trial's description.
///
/// The trial's config carries the whole supernet description (`network.*` keys, as MFKD1's
/// trials carry theirs) and `arch_optim` as `trainer.arch_optim.*`. VEGA's `momentum` and
/// `weight_decay` (the unrolled step's) are the trainer optimizer's own here; `codec`
/// (only DartsCodec), `parallel` and `criterion` (the trainer's loss) are accepted.
enum DifferentialAlgorithm {
  static let keys = ["sample_num", "momentum", "weight_decay", "parallel", "codec", "arch_optim", "criterion",
                     "tf_arch_optim", "tf_criterion", "use_history", "history_size", "warmup_dec_epoch", "decision_freq"]

  static func make(_ q: SearchAlgorithmFactory.Request) throws -> SearchAlgorithmFactory.Made {
    let alg = q.section["search_algorithm"] ?? .object([:])
    if let c = alg["codec"], c.string != "DartsCodec" {
      throw q.config.error("\(q.step).search_algorithm.codec", "only DartsCodec (the genotype of the two strongest edges per node), got \(c.text)")
    }
    let samples = try MultiFidelityNAS.int(q, "sample_num", 1, 1...16)
    let path = "\(q.step).search_space"
    guard var space = q.section["search_space"]?.object else {
      throw q.config.error(path, "DifferentialAlgorithm needs search_space: {modules: [super_network], super_network: {type: DartsNetwork, search: true, ...}}")
    }
    if let t = space["type"], t.string != "SearchSpace" { throw q.config.error("\(path).type", "expected SearchSpace, got \(t.text)") }
    space.removeValue(forKey: "type")
    let desc = JSON.object(space)
    let net = DartsTrainerCallback.superNetwork(desc)
    guard net["type"]?.string == "DartsNetwork", net["search"]?.bool == true else {
      throw q.config.error(path, "DifferentialAlgorithm searches a DartsNetwork part with search: true")
    }
    var config: Config = [:]
    func flatten(_ v: JSON, _ key: String) throws {
      if let o = v.object {
        for k in o.keys.sorted() { try flatten(o[k]!, key + "." + k) }
      } else if let p = ParamValue(json: v) {
        config[key] = p
      } else if v != .null {
        throw q.config.error(path + key.dropFirst("network".count), "expected a number, string, boolean or list, got \(v.text)")
      }
    }
    try flatten(desc, "network")
    if let a = alg["arch_optim"] {
      guard let o = a.object else { throw q.config.error("\(q.step).search_algorithm.arch_optim", "expected {type: Adam, lr, betas, weight_decay}, got \(a.text)") }
      for (k, v) in o { if let p = ParamValue(json: v) { config["trainer.arch_optim.\(k)"] = p } }
    }
    let search = SupernetSearch(config: config, samples: samples, objectives: q.objectives)
    var made = q.made(search, planned: samples)
    made.sample = { _ in config }
    return made
  }
}
