import Foundation
import LyraBase
import LyraNN
import LyraSearch

extension TrialTraining {
  /// The trial's record and the files it leaves in the task folder, whichever way it
  /// ends: rejected by the quota, failed in training, or finished. Every end writes the
  /// record's files (desc_/hps_/performance_<id>.json) so the task folder shows the trial.
  struct Bookkeeping {
    var record: TrialRecord
    let spec: TrialSpec
    /// Nil when the task folder cannot be made: the trial still trains and reports its
    /// result through the store.
    let output: TaskOutput?

    init(spec: TrialSpec, desc: JSON, hps: JSON, taskRoot: String) {
      self.spec = spec
      record = TrialRecord(step: spec.step, workerID: spec.trial, desc: desc, hps: hps, objectives: [])
      record.startTime = Date()
      output = try? TaskOutput(root: taskRoot)
    }

    /// A sample the quota refused: recorded as failed, reported as pruned.
    mutating func rejected(_ reason: String) -> Outcome {
      record.status = .failed
      record.message = reason
      record.endTime = Date()
      try? output?.writeTrialFiles(record)
      return Outcome(result: TrialResult([:], status: .pruned, message: reason), record: record)
    }

    /// Training failed in a way that ends only this trial (a diverged loss, a broken plug-in).
    mutating func failed(_ e: TrainerError) -> Outcome { failed(message: "\(e)") }

    /// A finished training: the best performance, the objectives, the weights file the
    /// ModelCheckpoint callback left, a quantised model's size and integer weights, and
    /// the learning curve.
    mutating func finished(_ report: TrainerReport, model: Module, curve: [JSON]) -> Outcome {
      record.performance = report.best
      if record.hps["quant"] != nil || model.namedModules().contains(where: { $0.module.typeName.hasPrefix("Quant") }) {
        // QuantEA's size objective: KiB with each layer's weights at its searched width.
        record.performance["model_size"] = Double(Quantization.sizeBits(model)) / 8 / 1024
        // The deployable form: integer weights with their scales (QuantizedCheckpoint).
        try? QuantizedCheckpoint.save(model, to: TrialFile.quantizedWeights.path(spec.trial, in: spec.checkpointDir))
      }
      record.objectives = report.objectives.sorted { $0.key < $1.key }.map { Objective($0.key, $0.value) }
      record.epochs = Double(report.epochs)
      record.endTime = Date()
      let weights = TrialFile.weights.path(spec.trial, in: spec.checkpointDir)
      if FileManager.default.fileExists(atPath: weights) { record.weightsFile = weights }
      try? output?.writeTrialFiles(record)
      if let curvePath = output.map({ $0.layout.curve(spec.step, spec.trial) }) {
        try? Data(JSON.array(curve).description.utf8).write(to: URL(fileURLWithPath: curvePath), options: .atomic)
      }
      return Outcome(result: TrialResult(record.performance), record: record)
    }
  }

  /// The learning curve as the trainer reports it: one row per evaluation (the epoch,
  /// the epoch's mean training loss as `loss`, the validation loss as `valid_loss`, and
  /// every finite value), written as `curve.json` when the trial finishes (LearningCurve
  /// has the format). The final report repeats the last epoch's values: it adds no row.
  final class Curve {
    private(set) var rows: [JSON] = []
    private var lastEpoch: Int?

    init(recording trainer: Trainer) {
      trainer.reporter = { [self, weak trainer] r in
        if r.final && r.epoch == lastEpoch { return }
        lastEpoch = r.epoch
        var row: [String: JSON] = ["epoch": JSON(r.epoch)]
        for (k, v) in r.performance where v.isFinite { row[k] = .number(v) }
        if let l = trainer?.logs.trainLoss, l.isFinite { row["loss"] = .number(l) }
        if let l = trainer?.logs.validLoss, l.isFinite { row["valid_loss"] = .number(l) }
        rows.append(.object(row))
      }
    }
  }
}
