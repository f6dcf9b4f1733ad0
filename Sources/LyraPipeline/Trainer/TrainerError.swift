import LyraBase

/// Why a trainer, metric, loss or dataset could not be built or a trial could not go on.
///
/// One error type for the whole training layer so the pipeline can tell a failed trial
/// (`diverged`, `input`) from a broken configuration (`config`) without string matching:
/// the search goes on after the first, the run stops on the second.
public enum TrainerError: Error, CustomStringConvertible, Equatable {
  /// A malformed trainer/metric/loss/scheduler/dataset section; the text names the key.
  case config(String)
  /// A malformed value of one key, the key kept apart so a pipeline can point at its line.
  case keyed(KeyedError)
  /// The training loss became NaN or infinite at this (0-based) epoch and step of the epoch.
  case diverged(epoch: Int, step: Int, loss: Double)
  /// Model outputs or targets that the loss or a metric cannot take (shapes, label ranges).
  case input(String)
  /// A checkpoint that cannot be written or read back.
  case checkpoint(String)

  public var description: String {
    switch self {
    case .config(let m): return m
    case .keyed(let k): return k.description
    case .diverged(let e, let s, let l): return "training diverged: loss \(l) at epoch \(e + 1), step \(s + 1)"
    case .input(let m): return m
    case .checkpoint(let m): return m
    }
  }

  /// A malformed value of `key`; shown as `key: message`.
  public static func config(key: String, _ message: String) -> TrainerError { .keyed(KeyedError(key, message)) }

  /// True when the trial failed but the configuration is fine (the search should go on).
  public var isTrialFailure: Bool {
    if case .diverged = self { return true }
    if case .input = self { return true }
    return false
  }
}
