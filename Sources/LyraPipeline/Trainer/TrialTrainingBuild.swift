import LyraBase
import LyraNets
import LyraNN
import LyraTensor

extension TrialTraining {
  /// The trial's model, data loaders and trainer, ready to train for its budget.
  struct Build {
    var model: Module
    /// The model's full description, with the input keys taken from the data.
    var description: JSON
    var trainer: Trainer

    init(setup: inout Setup, desc: JSON, spec: TrialSpec, log: ((String) -> Void)?) throws {
      let data = setup.data, config = setup.config
      let train = try data.loader(.train)
      // A stored sample is the shape before the training transforms; the model sees it after
      // them (a Resize to 224 makes a 224-pixel model input out of a 28-pixel image).
      if setup.sampleShape == nil { setup.sampleShape = train.dataset.count > 0 ? try data.reshaped(data.modelInput(train.dataset.item(at: 0).shape)) : try data.sampleShape() }

      // The initial weights come from the trainer's seed alone, as in VEGA: a trial gives the
      // same result whether it runs first in a fresh process (after a resume) or after others.
      Tensor.manualSeed(UInt64(config.seed))
      (model, description) = try setup.compressed.map { ($0, $0.describe()) }
        ?? NetworkRegistry.buildDescribed(desc, path: "\(spec.step).model.model_desc", input: setup.sampleShape)
      // Validation: a `val` section or a `train_portion` split when given, else the test split.
      let useVal = !(data.modes["val"]?.isEmpty ?? true) || (data.common["train_portion"]?.double ?? 1) < 1
      let valid = try useVal ? data.loader(.val) : data.loader(.test)
      trainer = try Trainer(config: config, model: model, train: train, valid: valid, workDir: spec.checkpointDir,
                            trialID: String(spec.trial))
      trainer.sampleShape = setup.sampleShape
      trainer.makeBatch = data.batchMaker
      if let log { trainer.log = log }
      if TestKillSwitch.armed(step: spec.step) { trainer.add(TestKillCallback(step: spec.step)) }
      if let b = spec.budget { trainer.epochs = max(1, Int(b.rounded(.up))) }
    }
  }
}
