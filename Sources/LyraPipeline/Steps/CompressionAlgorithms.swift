import Foundation
import LyraBase
import LyraKernels
import LyraNets
import LyraNN
import LyraSearch
import LyraSpace
import LyraTensor

/// Model compression as search steps (PruneEA, QuantEA: docs/algorithms/prune_ea.md, docs/algorithms/quant_ea.md), on the trained
/// model of `model.models_folder` (the best one there by the first objective):
///
/// - `PruneEA`: channel masks per prunable group (`prune.masks`), evolved by NSGA-II on
///   e.g. `[accuracy, flops]`; each trial builds the genuinely smaller network, copies the
///   kept weights from the trained model and fine-tunes it (`trainer.epochs`).
/// - `QuantEA`: bits per layer (`quant.bits` from `policy.bit_candidates`), evolved on
///   e.g. `[accuracy, model_size]`; each trial quantisation-aware fine-tunes the model
///   with straight-through gradients. `model_size` (KiB at the searched widths) joins
///   every trial's performance.
///
/// Policy: `num_individual` (population, 8), `num_generation` (4), `random_samples`
/// (population), `min_keep` (PruneEA: at least this share of each group, 0.25),
/// `flip_rate` (0.05), `bit_candidates` ([4, 8]), `activations` (QuantEA: also search
/// activation bits, false).
enum CompressionAlgorithms {
  static let policy = ["num_individual", "num_generation", "random_samples", "min_keep", "flip_rate", "bit_candidates",
                       "activations", "length"]

  static func make(type: String, step: String, section: JSON, space: SearchSpace, objectives: [Objective], seed: UInt64,
                   config: PipelineConfig) throws -> NASAlgorithms.Made {
    let policy = section["search_algorithm"]?["policy"]?.object ?? [:]
    func int(_ k: String, _ d: Int, min: Int = 1) throws -> Int {
      guard let v = policy[k] else { return d }
      guard let i = v.int, i >= min else { throw config.error("\(step).search_algorithm.policy.\(k)", "must be an integer of at least \(min), got \(v.text)") }
      return i
    }
    let pop = try int("num_individual", 8), gens = try int("num_generation", 4, min: 0)
    let random = try int("random_samples", pop)
    let bits = try policy["bit_candidates"].map { v -> [Int] in
      guard let a = v.array?.compactMap(\.int), a.count == v.array?.count else {
        throw config.error("\(step).search_algorithm.policy.bit_candidates", "expected a list of bit widths like [4, 8]")
      }
      return a
    }
    let codec: Codec
    if NetworkSearchSpace.isNetwork(section["search_space"]) {
      codec = try networkCodec(type: type, step: step, section: section, policy: policy, bits: bits, config: config)
    } else {
      let base = try baseModel(section: section, step: step, config: config)
      let companion = space.parameters.isEmpty ? nil : space
      do {
        if type == "PruneEA" {
          let groups = Pruning.groups(base.model)
          codec = try PruneCodec(channels: groups.map(\.channels), minKeep: policy["min_keep"]?.double ?? 0.25,
                                 flipRate: policy["flip_rate"]?.double ?? 0.05, space: companion)
        } else {
          codec = try QuantCodec(layers: Quantization.layers(base.model).count, bitCandidates: bits ?? [4, 8],
                                 activations: policy["activations"]?.bool ?? false, space: companion)
        }
      } catch let e as CodecError { throw config.error("\(step).search_algorithm", "\(type): \(e.message) (model \(base.id) of \(base.folder))") }
    }
    let total = random + gens * pop
    let alg = ParetoEvolution(codec: codec, objectives: objectives, seed: seed, population: pop, maxTrials: total, randomSamples: random)
    return NASAlgorithms.Made(algorithm: alg, sample: { codec.sample($0) }, planned: total)
  }

  struct Base {
    var model: Module
    var desc: JSON
    var weights: String?
    var id: Int
    var folder: String
  }

  /// The best trained model of `model.models_folder`, built with its weights.
  static func baseModel(section: JSON, step: String, config: PipelineConfig? = nil) throws -> Base {
    guard let folder = section["model"]?["models_folder"]?.string else {
      let message = "a compression step needs model.models_folder (the trained model to compress)"
      if let config { throw config.error("\(step).model", message) }
      throw TrainerError.config("\(step).model: \(message)")
    }
    let models = try HandedModel.load(folder: folder)
    let ranked = models.map { m -> (HandedModel, Double) in
      let perf = FileManager.default.contents(atPath: TrialFile.performance.path(m.id, in: folder)).flatMap { try? JSON.parse($0) }
      return (m, -(perf?["accuracy"]?.double ?? -.infinity))
    }.sorted { $0.1 < $1.1 }
    guard let best = ranked.first?.0 else { throw TrainerError.config("\(step).model.models_folder: no models (desc_<id>.json) in \(folder)") }
    let model = try NetworkRegistry.build(best.desc, path: "\(step).model")
    if let w = best.weights { try Checkpoint.loadWeights(into: model, from: w) }
    return Base(model: model, desc: best.desc, weights: best.weights, id: best.id, folder: folder)
  }

  /// The trial's compressed model, when its hyperparameters hold `prune` or `quant`
  /// settings; nil otherwise. The trained weights come with it.
  static func compressed(section: JSON, hps: JSON, step: String) throws -> Module? {
    let prune = hps["prune"]?["masks"], quant = hps["quant"]?["bits"]
    guard prune != nil || quant != nil else { return nil }
    let base = try baseModel(section: section, step: step)
    if let masks = prune {
      guard let lists = masks.array?.map({ $0.array?.compactMap(\.int) ?? [] }) else {
        throw TrainerError.config("\(step): prune.masks must be lists of 0/1")
      }
      return try Pruning.apply(base.model, masks: lists)
    }
    guard let bits = quant?.array?.compactMap(\.int) else { throw TrainerError.config("\(step): quant.bits must be a list of integers") }
    let act = hps["quant"]?["activation_bits"]?.array?.map { $0.int.flatMap { $0 == Quantization.floatBits ? nil : $0 } }
    return try Quantization.apply(base.model, bits: bits, activationBits: act)
  }
}
