import Foundation
import LyraBase
import LyraSearch

/// A synthetic executor for tests of the store, runner and workers: Branin at the
/// trial's (x1, x2), reported as `loss`.
///
/// Step config: `sleep_ms` (time per trial), `crash: {trial, attempt}` (that attempt, or every attempt without `attempt`, of
/// that trial SIGKILLs its own process half-way, to test a worker dying mid-trial; never
/// use it in-process), `log` (a file that gets one line "step trial attempt" appended
/// when a trial starts, so tests can count executions). `LYRA_TEST_EXEC_LOG` in the
/// environment sets `log` too.
enum BraninExecutor {
  static func make(_ config: JSON) throws -> TrialExecutor {
    let sleepMs = config["sleep_ms"]?.int ?? 0
    let crashTrial = config["crash"]?["trial"]?.int
    let crashAttempt = config["crash"]?["attempt"]?.int
    let log = config["log"]?.string ?? ProcessInfo.processInfo.environment["LYRA_TEST_EXEC_LOG"]
    return { spec in
      if let log { appendLine(log, "\(spec.step) \(spec.trial) \(spec.attempt)\n") }
      guard let x1 = spec.config["x1"]?.number, let x2 = spec.config["x2"]?.number else {
        throw StoreError("test.branin: trial \(spec.trial) lacks x1 or x2: \(spec.config)")
      }
      if spec.trial == crashTrial && (crashAttempt == nil || spec.attempt == crashAttempt) {
        usleep(UInt32(sleepMs * 500))
        kill(getpid(), SIGKILL)
      }
      if sleepMs > 0 { usleep(UInt32(sleepMs * 1000)) }
      return TrialResult(["loss": BenchmarkProblem.braninValue(x1, x2)])
    }
  }

  /// O_APPEND write: lines from concurrent processes never interleave.
  static func appendLine(_ path: String, _ line: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    guard fd >= 0 else { return }
    _ = line.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
    close(fd)
  }
}
