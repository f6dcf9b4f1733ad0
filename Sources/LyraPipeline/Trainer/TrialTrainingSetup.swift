import LyraBase
import LyraNN

extension TrialTraining {
  /// A trial's parsed sections: the trainer and dataset with its hyperparameters merged
  /// in, the quota, and the compressed model of a compression trial. Parsing is the first
  /// phase so a malformed section fails before anything is read or built.
  struct Setup {
    var config: TrainerConfig
    var data: DatasetSection
    var quotaText: String?
    /// The shape of one sample: from the dataset type when it is known without reading
    /// (only when a quota needs it), else from the training set once it is loaded.
    var sampleShape: [Int]?
    /// A compression trial (PruneEA, QuantEA) starts from the trained model, made smaller.
    var compressed: Module?

    init(section: JSON, general: JSON, hps: JSON, step: String) throws {
      let trainerJSON = trainerSection(section["trainer"], hps["trainer"])
      let dataJSON = datasetSection(section["dataset"] ?? .object(["type": .string("FashionMnist")]), hps["dataset"])
      config = try TrainerConfig(json: trainerJSON, path: "\(step).trainer")
      data = try DatasetSection(json: dataJSON, path: "\(step).dataset")
      // The sample shape for the quota without reading the data when the type is known
      // (a rejected sample should cost no I/O); else from the training set, read below.
      let quotas = [general["quota"]?.string ?? section["quota"]?.string, config.limits].compactMap { $0 }
      quotaText = quotas.isEmpty ? nil : quotas.joined(separator: " and ")
      sampleShape = quotaText == nil ? nil : try data.sampleShape()
      if let m = try CompressionAlgorithms.networkCompressed(section: section, hps: hps, step: step, trainer: config,
                                                             input: { [sampleShape, data] in sampleShape ?? (try? data.sampleShape()) }) {
        compressed = m
        config.pretrainedModelFile = nil // loaded into the described network before it was compressed
      } else {
        compressed = try CompressionAlgorithms.compressed(section: section, hps: hps, step: step)
      }
    }
  }
}
