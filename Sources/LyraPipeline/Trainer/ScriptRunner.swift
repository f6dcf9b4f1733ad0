import Foundation
import LyraBase
import LyraSearch

/// VEGA's ScriptRunner trainer (vega/trainer/script_runner.py): `trainer: {type:
/// ScriptRunner, script: train.lua}` trains each trial by running the user's own training
/// script, which gets the trial's hyper-parameters and reports its result. VEGA runs a
/// Python file that reads them through `TrialAgent()` and calls `trial.update(performance=
/// {...})`; Lyra runs a Lua file in its embedded Lua (a fresh `lyra` state per trial), which
/// gets the same things as its argument, `local trial = ...`:
///
/// - `trial.worker_id`, `trial.step`: the trial's id and step name;
/// - `trial.epochs`: the epochs to train (the search's budget for this trial, else
///   `trainer.epochs`);
/// - `trial.hps`: `{trainer = {...}, dataset = {...}}`, the step's sections with the
///   trial's hyper-parameters merged in (so `trial.hps.trainer.optimizer.params.lr`), the
///   same in a search and in a TrainPipeStep after it;
/// - `trial.model_desc` (the model description, with searched `network.*` keys), `trial.params`
///   (`trainer.params`, which VEGA passes as `--key=value`), `trial.work_dir`;
/// - `trial.update{accuracy = 0.9}` (or VEGA's `trial.update{performance = {...}}`) records
///   the metrics; a table the script returns takes precedence.
///
/// A Lua error in the script fails that trial, with the message recorded; the search goes
/// on. A Python script is refused before anything runs.
///
/// Why a hook: LyraPipeline sits below LyraLua (as `Plugins`), so the Lua host installs
/// `host` and the pipeline calls it.
public enum ScriptRunner {
  /// Runs `script` with the trial (the JSON above, without `update`) and returns the metrics
  /// it reported. Throws `ScriptFailure` for an error in the script.
  public typealias Host = (_ script: String, _ trial: JSON) throws -> [String: Double]

  private static let lock = NSLock()
  nonisolated(unsafe) private static var current: Host?

  /// Installs the Lua host (LyraLua's bootstrap does).
  public static func install(_ host: Host?) {
    lock.lock(); defer { lock.unlock() }
    current = host
  }

  static var host: Host? {
    lock.lock(); defer { lock.unlock() }
    return current
  }

  /// The script's own failure (a Lua error, no result): the trial fails, the search goes on.
  public struct ScriptFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
  }

  /// Where the example lives, for messages.
  static let example = "docs/examples/script_runner_train.lua"

  /// The one-line problem with `trainer.script` (nil when it names a readable Lua file).
  public static func problem(script: String?, key: String) -> TrainerError? {
    guard let script, !script.isEmpty else {
      return .config(key: key, "a ScriptRunner trainer needs `script`: a Lua training script (docs/config.md#scriptrunner-trainer; example \(example))")
    }
    let ext = (script as NSString).pathExtension.lowercased()
    if ext == "py" || ext == "pyc" || ext == "ipynb" {
      return .config(key: key, "Lyra runs Lua scripts, not Python ('\(script)'): give a Lua training script, --set \(key)=FILE.lua (example: \(example))")
    }
    guard FileManager.default.isReadableFile(atPath: script) else {
      return .config(key: key, "'\(script)' does not exist or cannot be read (a Lua training script)")
    }
    return nil
  }

  /// One trial: the script's reported metrics as the trial's result.
  static func run(setup: TrialTraining.Setup, trainer: JSON, dataset: JSON, desc: JSON, spec: TrialSpec,
                  books: inout TrialTraining.Bookkeeping) throws -> TrialTraining.Outcome {
    let key = "\(spec.step).trainer.script"
    if let p = problem(script: setup.config.script, key: key) { throw p }
    guard let host else {
      throw TrainerError.config(key: key, "running a Lua training script needs the Lua host; run the config with `lyra run` or lyra.pipeline.run")
    }
    try? FileManager.default.createDirectory(atPath: spec.checkpointDir, withIntermediateDirectories: true)
    let epochs = spec.budget.map { Int($0.rounded()) } ?? setup.config.epochs
    let trial: JSON = .object([
      "worker_id": JSON(spec.trial), "step": .string(spec.step), "epochs": JSON(epochs),
      "hps": .object(["trainer": trainer, "dataset": dataset]), "model_desc": desc,
      "params": trainer["params"] ?? .object([:]), "work_dir": .string(spec.checkpointDir),
    ])
    let metrics: [String: Double]
    do {
      metrics = try host(setup.config.script!, trial)
    } catch let e as ScriptFailure {
      return books.failed(message: e.description)
    }
    return books.finished(metrics: metrics, epochs: epochs)
  }
}

extension TrialTraining.Bookkeeping {
  /// A trial that failed (a diverged loss, a script's Lua error): recorded with its message.
  mutating func failed(message: String) -> TrialTraining.Outcome {
    record.status = .failed
    record.message = message
    record.endTime = Date()
    try? output?.writeTrialFiles(record)
    return TrialTraining.Outcome(result: TrialResult([:], status: .failed, message: message), record: record)
  }

  /// A script's reported metrics as the trial's performance (directions as the search's defaults).
  mutating func finished(metrics: [String: Double], epochs: Int) -> TrialTraining.Outcome {
    record.performance = metrics
    record.objectives = metrics.keys.sorted().map { Objective($0, SearchAlgorithmFactory.direction(of: $0)) }
    record.epochs = Double(epochs)
    record.endTime = Date()
    try? output?.writeTrialFiles(record)
    return TrialTraining.Outcome(result: TrialResult(metrics), record: record)
  }
}
