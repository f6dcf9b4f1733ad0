import LyraBase
import LyraNets
import LyraSearch
import LyraSpace

/// `search_algorithm: {type: ESRSearch, codec: ESRCodec, policy: {...}, range: {...}}`
/// (VEGA's esr_ea.yml): ESR-EA over the ESRN part of a search space written as a network
/// (`modules: [esrbody]`, `esrbody: {type: ESRN, block_type, conv_num, growth_rate,
/// type_prob, conv_prob, growth_prob, G0, scale}`).
///
/// policy: `num_generation` 2, `num_individual` 4, `num_elitism` 2, `mutation_rate` 0.05
/// (VEGA's defaults); range: `node_num` 20, `min_active` 16, `min_params` 1,010,000,
/// `max_params` 1,020,000 (parameters are ESRNCost's exact count of the built network).
/// `objective_keys` defaults to PSNR (VEGA's); `[PSNR, flops]` keeps the accuracy/cost
/// front among the elites (ESRSearch).
enum ESRSearchAlgorithm {
  static let policyKeys = ["num_generation", "num_individual", "num_elitism", "mutation_rate"]
  static let rangeKeys = ["node_num", "min_active", "max_params", "min_params"]
  static let spaceKeys = ["block_type", "conv_num", "growth_rate", "type_prob", "conv_prob", "growth_prob"]

  static func make(_ q: SearchAlgorithmFactory.Request) throws -> SearchAlgorithmFactory.Made {
    let alg = q.section["search_algorithm"] ?? .object([:])
    let path = "\(q.step).search_algorithm"
    if let c = alg["codec"], c.string != "ESRCodec" { throw q.config.error("\(path).codec", "ESRSearch's codec is ESRCodec, got \(c.text)") }
    let range = alg["range"]?.object ?? [:]
    for k in range.keys.sorted() where !rangeKeys.contains(k) {
      throw q.config.error("\(path).range.\(k)", "unknown key '\(k)'\(Suggest.hint(k, in: rangeKeys)); range has \(rangeKeys.joined(separator: ", "))")
    }
    func rint(_ k: String, _ d: Int) throws -> Int {
      guard let v = range[k] else { return d }
      guard let i = v.int, i >= 1 else { throw q.config.error("\(path).range.\(k)", "must be a positive integer, got \(v.text)") }
      return i
    }
    let (nodes, active) = (try rint("node_num", 20), try rint("min_active", 16))
    let (lo, hi) = (try rint("min_params", 1_010_000), try rint("max_params", 1_020_000))
    guard hi >= lo else { throw q.config.error("\(path).range", "max_params \(hi) is below min_params \(lo)") }
    let rate = q.policy["mutation_rate"].map { $0.double ?? -1 } ?? 0.05
    guard rate > 0 && rate <= 1 else { throw q.config.error("\(path).policy.mutation_rate", "must be in (0, 1], got \(q.policy["mutation_rate"]!.text)") }

    // The ESRN part of the network-shaped space.
    let space = q.section["search_space"]?.object ?? [:]
    let spacePath = "\(q.step).search_space"
    guard let modules = space["modules"]?.array?.compactMap(\.string), let part = modules.first, modules.count == 1,
          let desc = space[part]?.object, desc["type"]?.string == "ESRN" else {
      throw q.config.error(spacePath, "ESRSearch searches a space written as one ESRN part: modules: [esrbody], esrbody: {type: ESRN, block_type: [S, G, C], conv_num: [...], growth_rate: [...], G0: 32, scale: 2}")
    }
    let partPath = "\(spacePath).\(part)"
    for k in space.keys.sorted() where !["type", "modules", part].contains(k) {
      throw q.config.error("\(spacePath).\(k)", "unknown key '\(k)' (the space has type, modules and \(part))")
    }
    func list<T>(_ k: String, _ f: (JSON) -> T?) throws -> [T]? {
      guard let v = desc[k] else { return nil }
      guard let a = v.array?.compactMap(f), a.count == v.array?.count, !a.isEmpty else {
        throw q.config.error("\(partPath).\(k)", "expected a non-empty list, got \(v.text)")
      }
      return a
    }
    guard let types = try list("block_type", \.string), let convs = try list("conv_num", \.int), let growth = try list("growth_rate", \.int) else {
      throw q.config.error(partPath, "needs block_type, conv_num and growth_rate lists (VEGA's esr_ea.yml)")
    }
    let g0 = desc["G0"]?.int ?? 32, scale = desc["scale"]?.int ?? 2, colors = desc["n_colors"]?.int ?? 3
    var fixed: Config = [:]
    for (k, v) in desc where !spaceKeys.contains(k) && k != "code" && k != "architecture" {
      switch v {
      case .string(let s): fixed[k] = .string(s)
      case .number(let d): fixed[k] = d == d.rounded() && abs(d) < 1e15 ? .int(Int(d)) : .double(d)
      case .bool(let b): fixed[k] = .bool(b)
      default: throw q.config.error("\(partPath).\(k)", "ESRSearch copies the part's scalar keys into each model; \(k) is \(v.text)")
      }
    }
    let codec: ESRCodec
    do {
      codec = try ESRCodec(part: part, fixed: fixed, blockTypes: types, convNums: convs, growthRates: growth,
                           typeProb: try list("type_prob", \.double), convProb: try list("conv_prob", \.double),
                           growthProb: try list("growth_prob", \.double), nodeNum: nodes, minActive: active, params: lo...hi,
                           mutationRate: rate, count: { ESRNCost.of(architecture: $0, g0: g0, scale: scale, colors: colors)?.params })
    } catch let e as CodecError {
      throw q.config.error(path, "ESRSearch: \(e.message)")
    }
    let pop = try q.int("num_individual", 4, min: 2), gens = try q.int("num_generation", 2), elite = try q.int("num_elitism", 2)
    let objectives = alg["objective_keys"] == nil ? [Objective("PSNR", .maximize)] : q.objectives
    let search = ESRSearch(codec: codec, objectives: objectives, seed: q.seed, population: pop, generations: gens, elitism: elite)
    return SearchAlgorithmFactory.Made(algorithm: search, objectives: objectives, defaultEpochs: q.epochs, plannedTrials: pop * gens,
                                       sample: { codec.sample($0) })
  }
}
