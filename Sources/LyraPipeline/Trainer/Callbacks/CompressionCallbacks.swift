import LyraBase

/// VEGA's `PruneTrainerCallback` and `QuantTrainerCallback` (`trainer.callbacks`, a name or
/// a list). In VEGA they turn a trial's training into pruned or quantised training:
/// build the narrowed or quantised network from the codec's description, load the
/// pretrained weights, measure FLOPs and parameters. Lyra's PruneEA and QuantEA do that
/// in every trial without a callback (`NetworkCompression`, `CompressionAlgorithms`), and
/// a TrainPipeStep on their output rebuilds the compressed network from its description;
/// so the names are accepted there and add nothing (VegaCallbackNames maps them).
///
/// Anywhere else they would do nothing a VEGA user expects, so naming one in a step that
/// is neither that algorithm's search nor a TrainPipeStep on its output is a config
/// error naming the key.
enum CompressionCallbacks {
  /// Callback name → the search algorithm whose trials it belongs to.
  static let algorithms = ["PruneTrainerCallback": "PruneEA", "QuantTrainerCallback": "QuantEA"]

  /// The search algorithm type of each search step, by step name.
  static func searchAlgorithm(of step: PipelineConfig.Step) -> String? {
    step.type == "SearchPipeStep" ? step.section["search_algorithm"]?["type"]?.string : nil
  }

  /// Each use of the two names outside their algorithm's search step or a TrainPipeStep
  /// whose `models_folder` is that step's output.
  static func problems(_ config: PipelineConfig) -> [ConfigError] {
    var out: [ConfigError] = []
    for step in config.steps {
      let value = step.section["trainer"]?["callbacks"]
      let names = value?.string.map { [$0] } ?? value?.array?.compactMap(\.string) ?? []
      for name in names {
        guard let algorithm = algorithms[name] else { continue }
        if searchAlgorithm(of: step) == algorithm { continue }
        if step.type == "TrainPipeStep", let source = feedingStep(step, in: config), searchAlgorithm(of: source) == algorithm { continue }
        out.append(config.error("\(step.name).trainer.callbacks",
                                "\(name) belongs to a \(algorithm) search step (or a TrainPipeStep whose models_folder is that step's output), "
                                + "where Lyra prunes or quantises each trial itself; remove it from this step"))
      }
    }
    return out
  }

  /// The step whose output folder (`…/output/<step>/`) a TrainPipeStep's `models_folder` names.
  static func feedingStep(_ step: PipelineConfig.Step, in config: PipelineConfig) -> PipelineConfig.Step? {
    guard let folder = step.section["pipe_step"]?["models_folder"]?.string ?? step.section["model"]?["models_folder"]?.string else { return nil }
    let trimmed = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
    return config.steps.first { trimmed.hasSuffix("/output/\($0.name)") }
  }
}
