import Foundation
import LyraBase
import LyraNets
import LyraSearch
import LyraSpace

/// The sample-based NAS algorithms of a `search_algorithm` section (docs/algorithms/pareto_ea.md, docs/algorithms/sm_nas.md):
///
/// | type | codec | keys of `search_space` |
/// |---|---|---|
/// | `BackboneNas` | BackboneNasCodec | `network.backbone.{depth, base_channel, doublechannel, downsample}` (counts) |
/// | `DblockNas` | DblockNasCodec | `network.backbone.{op_num, skip_num, base_channel}` |
/// | `DnetNas` | DnetNasCodec | `network.backbone.{code_length, base_channel, final_channel, downsample}` |
/// | `SMNas` | both, in two stages | the DblockNas keys and the DnetNas keys in one space |
/// | `ParetoEA` | the space itself | any |
///
/// All run `ParetoEvolution` (NSGA-II survival over `objective_keys`, e.g.
/// `[accuracy, latency]`). VEGA's `range: {min_sample, max_sample}` are the initial
/// random samples and the total trials; `policy.num_mutate` the mutations per child,
/// `random_ratio` the share of fresh random children, `num_individual` the population
/// (default: `min_sample`, at least 8).
///
/// DnetNas takes its block codes from `policy.block_codes`, else from the models of
/// `model.models_folder` (the block search's output): the `keep_blocks` (default 1)
/// best by the first objective, as VEGA's dnet_nas.yml chains block_nas → net_nas.
enum NASAlgorithms {
  static let policy = ["num_mutate", "random_ratio", "num_individual", "crossover_rate", "block_codes", "keep_blocks",
                       "min_length", "max_length", "block_trials", "macro_trials", "macro"]

  struct Made {
    var algorithm: SearchAlgorithm
    var sample: (Generator) -> Config
    var planned: Int
  }

  static func make(type: String, step: String, section: JSON, space: SearchSpace, objectives: [Objective], seed: UInt64,
                   config: PipelineConfig) throws -> Made {
    let alg = section["search_algorithm"] ?? .object([:])
    let policy = alg["policy"]?.object ?? [:]
    let range = alg["range"]?.object ?? [:]
    func int(_ o: [String: JSON], _ where_: String, _ k: String, _ d: Int, min: Int = 1) throws -> Int {
      guard let v = o[k] else { return d }
      guard let i = v.int, i >= min else { throw config.error("\(step).search_algorithm.\(where_).\(k)", "must be an integer of at least \(min), got \(v.text)") }
      return i
    }
    func rate(_ k: String, _ d: Double) throws -> Double {
      guard let v = policy[k] else { return d }
      guard let x = v.double, (0...1).contains(x) else { throw config.error("\(step).search_algorithm.policy.\(k)", "must be in [0, 1], got \(v.text)") }
      return x
    }
    for k in range.keys.sorted() where k != "min_sample" && k != "max_sample" {
      throw config.error("\(step).search_algorithm.range.\(k)", "unknown key '\(k)' (range has min_sample and max_sample)")
    }
    let minSample = try int(range, "range", "min_sample", 10)
    let maxSample = try int(range, "range", "max_sample", 100)
    guard maxSample >= minSample else { throw config.error("\(step).search_algorithm.range", "max_sample \(maxSample) is below min_sample \(minSample)") }
    let population = try int(policy, "policy", "num_individual", max(minSample, 8))
    let mutations = try int(policy, "policy", "num_mutate", 1, min: 0)
    let randomRatio = try rate("random_ratio", 0), crossover = try rate("crossover_rate", 0)
    var lengths: ClosedRange<Int>?
    if policy["min_length"] != nil || policy["max_length"] != nil {
      let lo = try int(policy, "policy", "min_length", 1), hi = try int(policy, "policy", "max_length", 1000)
      guard hi >= lo else { throw config.error("\(step).search_algorithm.policy", "max_length is below min_length") }
      lengths = lo...hi
    }
    func fail(_ e: Error) -> Error { config.error("\(step).search_space", "\(type): \(e)") }
    /// The fixed macro of a block search (VEGA's `211-2111-211111-211`; a shorter one
    /// suits small images and proxy budgets).
    func macro() throws -> String {
      guard let v = policy["macro"] else { return DblockNasCodec.defaultMacro }
      guard let m = v.string else { throw config.error("\(step).search_algorithm.policy.macro", "expected a DNet macro string like \"1-21-21\"") }
      do { try DNetEncoding.validateMacro(m) } catch { throw config.error("\(step).search_algorithm.policy.macro", "\(error)") }
      return m
    }

    let codec: Codec
    switch type {
    case "BackboneNas":
      do { codec = try BackboneNasCodec(space: space) } catch { throw fail(error) }
    case "DblockNas":
      do { codec = buildable(try DblockNasCodec(space: space, macro: try macro())) } catch { throw fail(error) }
    case "DnetNas":
      let blocks = try blockCodes(step: step, section: section, objectives: objectives, config: config)
      do { codec = buildable(try DnetNasCodec(space: space, blockCodes: blocks, lengths: lengths)) } catch { throw fail(error) }
    case "SMNas":
      let blockKeys: Set<String> = [DblockNasCodec.opNumKey, DblockNasCodec.skipNumKey]
      let blockSpace = try subspace(space, keeping: { blockKeys.contains($0) || $0 == DblockNasCodec.baseChannelKey }, step: step, config: config)
      let macroSpace = try subspace(space, keeping: { !blockKeys.contains($0) }, step: step, config: config)
      let blockTrials = try int(policy, "policy", "block_trials", maxSample / 2)
      let macroTrials = try int(policy, "policy", "macro_trials", maxSample - blockTrials, min: 0)
      let sm: SMNas
      do {
        sm = try SMNas(blockSpace: blockSpace, macroSpace: macroSpace, objectives: objectives, seed: seed, blockTrials: blockTrials,
                       macroTrials: macroTrials, population: population, randomSamples: min(minSample, blockTrials),
                       mutationsPerChild: mutations, randomRatio: randomRatio, keepBlocks: try int(policy, "policy", "keep_blocks", 1),
                       macro: try macro(), lengths: lengths)
      } catch { throw fail(error) }
      let sampler = try DblockNasCodec(space: blockSpace)
      return Made(algorithm: sm, sample: { sampler.sample($0) }, planned: blockTrials + macroTrials)
    default:
      codec = SpaceCodec(space: space)
    }
    let pe = ParetoEvolution(codec: codec, objectives: objectives, seed: seed, population: population, maxTrials: maxSample,
                             randomSamples: minSample, mutationsPerChild: mutations, crossoverRate: crossover, randomRatio: randomRatio)
    return Made(algorithm: pe, sample: { codec.sample($0) }, planned: maxSample)
  }

  /// Redraws DNet encodings that cannot be built (a grouped convolution whose groups do
  /// not divide its widths) or are absurdly large (over a tenth of the builder's weight
  /// limit), as VEGA's `model_valid` quota does before handing out a sample.
  static func buildable(_ codec: Codec) -> Codec {
    ConstrainedCodec(codec, name: "dnet_buildable") { c in
      guard case .string(let e)? = c[DblockNasCodec.encodingKey] else { return true }
      guard let plan = try? DNetCode.parse(e).plan() else { return false }
      return plan.convWeights <= NetworkRegistry.maxParameters / 10
    }
  }

  /// The space's parameters whose keys pass `keeping` (conditions between kept keys stay).
  static func subspace(_ space: SearchSpace, keeping: (String) -> Bool, step: String, config: PipelineConfig) throws -> SearchSpace {
    let kept = space.parameters.filter { keeping($0.key) }
    do {
      return try SearchSpace(parameters: kept, conditions: space.conditions.filter { keeping($0.child) && keeping($0.parent) })
    } catch { throw config.error("\(step).search_space", "\(error)") }
  }

  /// DnetNas's fixed blocks: `policy.block_codes`, else the best models of `model.models_folder`.
  static func blockCodes(step: String, section: JSON, objectives: [Objective], config: PipelineConfig) throws -> [String] {
    let policy = section["search_algorithm"]?["policy"]
    if let list = policy?["block_codes"] {
      guard let codes = list.array?.compactMap(\.string), !codes.isEmpty, codes.count == list.array?.count else {
        throw config.error("\(step).search_algorithm.policy.block_codes", "expected a list of DNet block codes like \"031-\"")
      }
      return codes
    }
    guard let folder = section["model"]?["models_folder"]?.string else {
      throw config.error("\(step).search_algorithm", "DnetNas needs policy.block_codes or model.models_folder (the block search's output)")
    }
    let models = try HandedModel.load(folder: folder)
    let keep = policy?["keep_blocks"]?.int ?? 1
    let key = objectives.first?.name ?? "accuracy", sign = objectives.first?.direction == .minimize ? 1.0 : -1.0
    let ranked = models.map { m -> (String?, Double) in
      let perf = (FileManager.default.contents(atPath: TrialFile.performance.path(m.id, in: folder))).flatMap { try? JSON.parse($0) }
      return (encoding(in: m.desc).map { String($0.split(separator: "_", omittingEmptySubsequences: false)[0]) },
              sign * (perf?[key]?.double ?? .infinity))
    }.filter { $0.0 != nil }.sorted { $0.1 < $1.1 }
    var codes: [String] = []
    for (c, _) in ranked where !codes.contains(c!) && codes.count < max(keep, 1) { codes.append(c!) }
    guard !codes.isEmpty else { throw config.error("\(step).model.models_folder", "no DNet encodings in the models of \(folder)") }
    return codes
  }

  /// The first `encoding` string anywhere in a description (the DNet part's).
  static func encoding(in desc: JSON) -> String? {
    if let e = desc["encoding"]?.string { return e }
    for (_, v) in (desc.object ?? [:]).sorted(by: { $0.key < $1.key }) { if let e = encoding(in: v) { return e } }
    return nil
  }
}

/// The codecs of the NAS algorithms, for other front ends (Lua's `lyra.search.codec`).
public enum NASCodecs {
  /// `codec` redrawing DNet encodings that cannot be built (see `NASAlgorithms.buildable`).
  public static func buildableDNet(_ codec: Codec) -> Codec { NASAlgorithms.buildable(codec) }
}
