import LyraNN

/// Priority 200: builds the model from its description when the trainer was given none
/// (`modelDescription`, else `trainer.model_desc`), then loads `pretrained_model_file`.
/// Descriptions are data: a worker rebuilds a trial's model without running its code.
public final class ModelBuilder: TrainerCallback {
  public override var priority: Int { 200 }
  private var loaded = false

  public override func initTrainer() throws {
    guard let t = trainer else { return }
    if t.model == nil {
      guard let desc = t.modelDescription ?? t.config.modelDesc else { return }
      do { t.model = try ModuleRegistry.build(desc) } catch { throw TrainerError.config("trainer.model_desc: \(error)") }
    }
    if !loaded, let file = t.config.pretrainedModelFile, let m = t.model {
      do { try Checkpoint.loadWeights(into: m, from: file) } catch { throw TrainerError.checkpoint("pretrained_model_file: \(error)") }
      loaded = true
    }
  }
}
