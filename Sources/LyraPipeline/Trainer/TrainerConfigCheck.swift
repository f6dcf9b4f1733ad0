import Foundation
import LyraBase

extension TrainerConfig {
  /// The problems of the components a `Trainer` builds from this section — optimiser,
  /// schedule, loss, metrics, callbacks — each built by the same factory the trainer
  /// uses (the optimiser over no parameters), all reported rather than the first.
  ///
  /// Why here and not only in `Trainer.init`: the trainer is made inside each trial, so a
  /// misspelt loss failed every trial separately ("all 6 trials failed"); this check runs
  /// before the first one (`Pipeline`, `lyra run --check`).
  ///
  /// A weights file inside `taskFolder` (an earlier step's output, VEGA's
  /// `{local_base_path}/output/fine_tune/`) is not there yet: it is checked when loaded.
  public func componentProblems(path: String, taskFolder: String? = nil) -> [Error] {
    var out: [Error] = []
    if type == "ScriptRunner", let p = ScriptRunner.problem(script: script, key: "\(path).script") { out.append(p) }
    func attempt(_ body: () throws -> Void) {
      do { try body() } catch { out.append(error) }
    }
    attempt { _ = try OptimizerFactory.make(optimizer, params: [], path: "\(path).optimizer") }
    if let s = lrScheduler { attempt { _ = try SchedulerFactory.make(s, path: "\(path).lr_scheduler") } }
    attempt { _ = try LossRegistry.make(loss, path: "\(path).loss") }
    attempt { _ = try MetricSet(json: metric, path: "\(path).metric") }
    for c in callbacks { attempt { _ = try CallbackRegistry.make(c, path: "\(path).callbacks") } }
    if let f = pretrainedModelFile, !FileManager.default.fileExists(atPath: f), !(taskFolder.map { ModelFiles.inside(f, $0) } ?? false) {
      out.append(TrainerError.config(key: "\(path).\(pretrainedModelKey)",
                                     "'\(f)' does not exist (weights to start from: a PyTorch .pth, safetensors or ONNX file)"))
    }
    return out
  }
}
