import Foundation
import LyraBase
import LyraSearch
import LyraSpace
@testable import LyraPipeline

/// A real multi-fidelity search for report tests: ASHA (budgets 1, 3, 9 epochs) over
/// Branin run by the in-process SearchRunner with the trial store, so the records have
/// real promotions (`resume_from`), rungs, start/end times and a worker, and some
/// trials fail with a reason. Each trial writes `curve.json` like the trainer does:
/// a promoted trial's rows start at the epoch after its parent's last.
///
/// The curve has a training loss, a validation loss (the objective), `accuracy` with
/// its alias `accuracy_top1`, and `flops` (a static metric): the report must show
/// the first three, `accuracy_top1` never, and no curve of `flops`.
enum ReportSearchFixture {
  static let step = "hpo"

  /// The trial ids that fail: every trial whose Branin x1 lies in the planted band, so the
  /// failures are fixed by the seed, not by timing.
  static func fails(_ x1: Double) -> Bool { x1 > 7.5 && x1 < 9 }

  final class Epochs { var byTrial: [Int: Double] = [:] }

  /// Runs the search in `root` (a fresh task folder) and writes `output/reports.json`.
  @discardableResult
  /// `hyperband`: Hyperband (one iteration of its brackets) instead of ASHA.
  static func run(root: String, configs: Int = 21, seed: UInt64 = 7, hyperband: Bool = false) throws -> [TrialRecord] {
    let out = try TaskOutput(root: root)
    let store = try TrialStore(path: out.layout.store)
    let space = BenchmarkProblem.branin.space, objectives = [Objective("valid_loss")]
    let algorithm: SearchAlgorithm = hyperband
      ? Hyperband(space: space, objectives: objectives, seed: seed, minBudget: 1, maxBudget: 9, eta: 3)
      : ASHA(space: space, objectives: objectives, seed: seed, minBudget: 1, maxBudget: 9, eta: 3, type: .promotion, maxTrials: configs)
    let epochs = Epochs()
    let executor: TrialExecutor = { spec in
      guard let x1 = spec.config["x1"]?.number, let x2 = spec.config["x2"]?.number, let budget = spec.budget else {
        throw StoreError("fixture: trial \(spec.trial) lacks x1, x2 or a budget")
      }
      if fails(x1) { throw StoreError("loss became NaN at epoch \(Int(budget)) (x1 = \(String(format: "%.2f", x1)))") }
      let start = spec.resumeFrom.flatMap { epochs.byTrial[$0] } ?? 0
      let target = BenchmarkProblem.braninValue(x1, x2)
      var curve = LearningCurve()
      var last = 0.0
      for e in Int(start) + 1...Int(budget) {
        let decay = 1 + 4 / Double(e)
        last = target * decay
        let acc = 1 / (1 + last / 20)
        curve.append(epoch: Double(e), ["loss": target * decay * 0.9, "valid_loss": last, "accuracy": acc, "accuracy_top1": acc,
                                        "flops": 0.0012])
      }
      epochs.byTrial[spec.trial] = budget
      try curve.write(to: LearningCurve.path(taskRoot: root, step: spec.step, workerID: spec.trial))
      let acc = 1 / (1 + last / 20)
      return TrialResult(["valid_loss": last, "accuracy": acc, "accuracy_top1": acc, "flops": 0.0012])
    }
    let runner = try SearchRunner.startOrResume(store: store, step: step, kind: "test.report", stepConfig: .object([:]), algorithm: algorithm,
                                                executor: executor)
    _ = try runner.run()
    let records = try store.trials(step: step).map { t -> TrialRecord in
      let (desc, hps) = Binding.apply(t.trial.config, modelDescription: .object([:]))
      let result = t.result ?? .failed()
      var r = TrialRecord(step: step, workerID: t.trial.id, desc: desc, hps: hps, performance: result.metrics,
                          objectives: [Objective("valid_loss")], status: result.status == .completed ? .finished : .failed,
                          epochs: t.trial.budget)
      r.noteRun(t)
      return r
    }
    let t0 = records.compactMap(\.startTime).min(), t1 = records.compactMap(\.endTime).max()
    try out.writeReports(steps: [.init(name: step, status: "finished", startTime: t0, endTime: t1, numModels: records.count)],
                         records: [step: records])
    return records
  }
}
