import Foundation

/// A deterministic self-kill for crash tests: `LYRA_TEST_KILL_AT=STEP:EVENT:K` makes the
/// process SIGKILL itself at the K-th EVENT of step STEP (1-based).
///
/// Why: a test that sleeps and then kills a process lands at a moment that depends on the
/// machine's load, may land after the run already finished, and cannot say *where* it
/// killed. A kill at "the 3rd epoch of fully_train" is the same moment on every machine,
/// so kill tests assert exact outcomes with no sleeps and no timing.
///
/// Events (each fires right after what it names, before anything else is written):
/// - `claim`  a trial was claimed (before it runs)
/// - `batch`  a training step of a trial finished (mid-epoch)
/// - `epoch`  an epoch finished and its checkpoint was written
/// - `result` a trial's executor returned (before its result is stored)
/// - `trial`  a trial's result was stored (a fully_train model: its record)
/// - `tell`   the runner told the algorithm a worker's result and saved the state
///
/// Counting is per process. With `LYRA_TEST_KILL_COUNTER=FILE` the count is shared by
/// every process that names the file (a runner and its workers, and the runs that
/// resume them), so exactly one process dies, once, at the K-th event overall. An
/// unparsable value is reported once on standard error and ignored.
///
/// `LYRA_TEST_KILL_SIGNAL=INT` sends SIGINT instead (a Ctrl-C at that exact moment), so
/// the interruption tests check what a Ctrl-C prints wherever it lands, with no timing.
public enum TestKillSwitch {
  public enum Event: String, CaseIterable { case claim, batch, epoch, result, trial, tell }

  struct Target: Equatable {
    var step: String
    var event: Event
    var k: Int
  }

  /// Parses `STEP:EVENT:K`; nil for anything else.
  static func parse(_ text: String) -> Target? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 3, !parts[0].isEmpty, let e = Event(rawValue: parts[1]), let k = Int(parts[2]), k >= 1 else { return nil }
    return Target(step: parts[0], event: e, k: k)
  }

  private static let target: Target? = {
    let env = ProcessInfo.processInfo.environment
    guard let text = env["LYRA_TEST_KILL_AT"], !text.isEmpty else { return nil }
    guard let t = parse(text) else {
      FileHandle.standardError.write(Data("LYRA_TEST_KILL_AT=\(text) ignored: expected STEP:EVENT:K with EVENT one of \(Event.allCases.map(\.rawValue).joined(separator: ", ")) and K >= 1\n".utf8))
      return nil
    }
    return t
  }()
  private static let counterFile = ProcessInfo.processInfo.environment["LYRA_TEST_KILL_COUNTER"]
  private static let signal: Int32 = ProcessInfo.processInfo.environment["LYRA_TEST_KILL_SIGNAL"] == "INT" ? SIGINT : SIGKILL
  private static let lock = NSLock()
  nonisolated(unsafe) private static var count = 0

  /// True when the switch is set for `step` (so callers add per-batch hooks only then).
  public static func armed(step: String) -> Bool { target?.step == step }

  /// Counts one `event` of `step`; kills this process when it is the K-th.
  public static func point(step: String, _ event: Event) {
    guard let t = target, t.step == step, t.event == event else { return }
    lock.lock()
    defer { lock.unlock() }
    let n: Int
    if let counterFile { n = bumpShared(counterFile) } else {
      count += 1
      n = count
    }
    if n == t.k { kill(getpid(), signal) }
  }

  /// Increments the count kept in `path` under an exclusive flock; returns the new value.
  private static func bumpShared(_ path: String) -> Int {
    let fd = open(path, O_RDWR | O_CREAT, 0o644)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    flock(fd, LOCK_EX)
    defer { flock(fd, LOCK_UN) }
    var buf = [UInt8](repeating: 0, count: 32)
    let got = pread(fd, &buf, 31, 0)
    let old = got > 0 ? Int(String(decoding: buf[0..<got], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 : 0
    let text = Array("\(old + 1)\n".utf8)
    _ = ftruncate(fd, 0)
    _ = text.withUnsafeBufferPointer { pwrite(fd, $0.baseAddress, $0.count, 0) }
    fsync(fd)
    return old + 1
  }
}

/// Fires the kill switch's `batch` and `epoch` events of a trial's trainer. Priority
/// 300: after the checkpoint (240), the performance file (250) and the report (280), so
/// an `epoch` kill lands after everything that epoch writes.
final class TestKillCallback: TrainerCallback {
  let step: String
  init(step: String) { self.step = step }
  override var priority: Int { 300 }
  override func afterTrainStep(_ i: Int) throws { TestKillSwitch.point(step: step, .batch) }
  override func afterEpoch(_ epoch: Int) throws { TestKillSwitch.point(step: step, .epoch) }
}
