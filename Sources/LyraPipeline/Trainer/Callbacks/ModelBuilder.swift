import LyraNN

/// Priority 200: builds the model from its description when the trainer was given none
/// (`modelDescription`, else `trainer.model_desc`), then loads `pretrained_model_file`
/// (.pth, safetensors or ONNX: `WeightsFile`) and logs what was loaded and what was not.
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
      let mapping: StateDictMapping
      do { mapping = try WeightsFile.load(file, into: m, head: t.config.pretrainedHead, strict: t.config.strictLoad) } catch {
        throw TrainerError.checkpoint("pretrained_model_file: \(error)")
      }
      t.log("pretrained_model_file \(file): " + mapping.report.replacingOccurrences(of: "\n", with: "\n  "))
      loaded = true
    }
  }
}
