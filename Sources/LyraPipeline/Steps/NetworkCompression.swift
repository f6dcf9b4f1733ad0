import LyraBase
import LyraNets
import LyraNN
import LyraSearch
import LyraTensor

/// PruneEA and QuantEA on a search space written as a network (`NetworkSearchSpace`,
/// VEGA's `prune.yml` and `quant_ea.yml`): the genome comes from the described ResNet and
/// each trial's model is a description of its own, so it rebuilds later without the search.
///
/// - PruneEA: one 0/1 per channel of each channel group of the ResNet (`ResNetPruning`:
///   VEGA's PruneCodec); a trial is the narrower ResNet (`convs.inchannels`, the head's
///   `base_channel` following), holding the kept channels of the described network.
/// - QuantEA: a weight width and, unless `policy.activations: false`, an input width per
///   convolution after the stem (VEGA's 40-long genome for ResNet-20: 20 + 20); a trial is
///   the ResNet with `nbit_w_list`/`nbit_a_list`, trained quantisation-aware.
///
/// With `trainer.init_model_file` (or `pretrained_model_file`) the file is loaded into the
/// described network before it is narrowed or quantised (VEGA's PruneTrainerCallback loads
/// its pretrained ResNet the same way), and not again into the trial's model.
extension CompressionAlgorithms {
  static func networkCodec(type: String, step: String, section: JSON, policy: [String: JSON], bits: [Int]?,
                           config: PipelineConfig) throws -> Codec {
    let net: NetworkSearchSpace
    do { net = try NetworkSearchSpace(json: section["search_space"] ?? .null, step: step) } catch let e as KeyedError {
      throw config.error(e.key, e.message)
    }
    let path = "\(step).search_space.\(net.backbone)"
    do {
      if type == "PruneEA" {
        let groups = try ResNetPruning(net.backboneDescription, path: path)
        return try PruneCodec(channels: groups.widths, minKeep: policy["min_keep"]?.double ?? 0.25,
                              flipRate: policy["flip_rate"]?.double ?? 0.05)
      }
      if bits != nil, net.bitCandidates != nil {
        throw config.error("\(step).search_space.bit_candidates", "given here and in search_algorithm.policy.bit_candidates; keep one")
      }
      return try QuantCodec(layers: ResNetQuantization.layers(net.backboneDescription, path: path),
                            bitCandidates: net.bitCandidates ?? bits ?? [4, 8], activations: policy["activations"]?.bool ?? true)
    } catch let e as CodecError {
      throw config.error("\(step).search_algorithm", "\(type): \(e.message) (the network of \(step).search_space)")
    } catch let e as DescriptionError {
      throw config.error(e.keyed?.key ?? "\(step).search_space", e.keyed?.message ?? e.message)
    }
  }

  /// The trial's model when its step searches a network-shaped space and its
  /// hyperparameters hold `prune` or `quant` settings; nil otherwise. `weights`: the
  /// trainer's file to load into the described network first; `input`: one sample's shape (read
  /// only for a network-shaped space: it may cost a look at the data).
  static func networkCompressed(section: JSON, hps: JSON, step: String, trainer: TrainerConfig,
                                input: () -> [Int]?) throws -> Module? {
    let masks = hps["prune"]?["masks"], quant = hps["quant"]?["bits"]
    guard masks != nil || quant != nil, NetworkSearchSpace.isNetwork(section["search_space"]) else { return nil }
    let net: NetworkSearchSpace
    do { net = try NetworkSearchSpace(json: section["search_space"] ?? .null, step: step) } catch let e as KeyedError {
      throw TrainerError.config(key: e.key, e.message)
    }
    let path = "\(step).search_space"
    // The described network's initial weights come from the trainer's seed, as any trial's.
    Tensor.manualSeed(trainer.seed)
    let shape = input()
    let (base, desc) = try NetworkRegistry.buildDescribed(net.description, path: path, input: shape)
    if let file = trainer.pretrainedModelFile {
      do { _ = try WeightsFile.load(file, into: base, head: trainer.pretrainedHead, strict: trainer.strictLoad) } catch {
        throw TrainerError.checkpoint("\(step).trainer.\(trainer.pretrainedModelKey): \(error)")
      }
    }
    let backbone = desc[net.backbone] ?? .null
    if let masks {
      let pruning = try ResNetPruning(backbone, path: "\(path).\(net.backbone)")
      guard let keep = masks.array?.map({ m in m.array?.compactMap(\.int).map { $0 != 0 } ?? [] }), keep.count == pruning.widths.count,
            zip(keep, pruning.widths).allSatisfy({ $0.count == $1 && $0.contains(true) }) else {
        throw TrainerError.config("\(step): prune.masks must be \(pruning.widths.count) lists of 0/1 of lengths \(pruning.widths), each keeping a channel")
      }
      let narrowed = net.replacing(desc, backbone: pruning.pruned(backbone, keep: keep), outputWidth: pruning.outputWidth(keep))
      let model = try NetworkRegistry.build(narrowed, path: path, input: shape)
      try pruning.copyKept(from: base, into: model, keep: keep, prefix: net.weightPrefix)
      return model
    }
    guard let bits = quant?.array?.compactMap(\.int) else { throw TrainerError.config("\(step): quant.bits must be a list of integers") }
    let act = hps["quant"]?["activation_bits"]?.array?.compactMap(\.int)
    let model = try NetworkRegistry.build(net.replacing(desc, backbone: ResNetQuantization.quantized(backbone, bits: bits, activationBits: act)),
                                          path: path, input: shape)
    try model.loadStateDict(base.stateDict(), strict: false)
    return model
  }

  /// A TrainPipeStep's trainer section for the models of a compression search on a
  /// network-shaped space: without `init_model_file`, which named the dense network the
  /// search compressed (fully_train inherits it through `ref: nas.trainer` in VEGA's
  /// prune.yml, where only PruneTrainerCallback reads it); the handed models are narrower.
  static func trainerForCompressed(_ trainer: JSON, step: PipelineConfig.Step, config: PipelineConfig) -> JSON {
    guard let source = CompressionCallbacks.feedingStep(step, in: config), NetworkSearchSpace.isNetwork(source.section["search_space"]),
          ["PruneEA", "QuantEA"].contains(CompressionCallbacks.searchAlgorithm(of: source) ?? ""), var t = trainer.object else { return trainer }
    t.removeValue(forKey: "init_model_file")
    return .object(t)
  }
}
