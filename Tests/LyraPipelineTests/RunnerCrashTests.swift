import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// THE crash test (issue 6, "Done when"): a runner process running a seeded TPE search
/// is SIGKILLed at 5 random moments and resumed each time; the finished trials (ids,
/// configs, scores) must equal those of an uninterrupted run with the same seed, and no
/// finished trial may run again.
final class RunnerCrashTests: XCTestCase {
  let trials = 40
  let sleepMs = 30

  func launch(_ store: String, seed: UInt64, log: String, extra: [String] = []) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: storeTestLyraBinary())
    p.arguments = ["_test-search", "--store", store, "--seed", String(seed), "--trials", String(trials), ] + (extra.contains("--sleep-ms") ? [] : ["--sleep-ms", String(sleepMs)]) + extra
    var env = ProcessInfo.processInfo.environment
    env["LYRA_TEST_EXEC_LOG"] = log
    p.environment = env
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    return p
  }

  func runToEnd(_ store: String, seed: UInt64, log: String, extra: [String] = []) throws {
    let p = try launch(store, seed: seed, log: log, extra: extra)
    p.waitUntilExit()
    XCTAssertEqual(p.terminationStatus, 0, "lyra _test-search exited with \(p.terminationStatus)")
  }

  func crashAndResume(seed: UInt64, extra: [String] = [], rerunsPerKill: Int = 1, label: String) throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: storeTestLyraBinary()), "lyra binary not built")
    let started = Date()
    let refDir = try storeTestDir("crash-ref"), dir = try storeTestDir("crash")
    try runToEnd(refDir + "/trials.db", seed: seed, log: refDir + "/exec.log", extra: extra)
    let refTime = Date().timeIntervalSince(started)

    // Kill moments from a seeded generator: after a random number of finished trials
    // (spread over the run, whatever the machine's speed) plus a random fraction of a
    // trial, so kills land mid-trial, mid-commit or between trials.
    var rng = SplitMix(seed: seed &+ 1000)
    let targets = (0..<5).map { k in 2 + k * 7 + Int(rng.next() % 6) }
    let path = dir + "/trials.db", log = dir + "/exec.log"
    var report: [String] = []
    for k in 0..<5 {
      let p = try launch(path, seed: seed, log: log, extra: extra)
      let watcher = try TrialStore(path: path)
      let t0 = Date()
      while p.isRunning, (try watcher.counts(step: SyntheticSearch.step)[.completed] ?? 0) < targets[k], Date().timeIntervalSince(t0) < 30 {
        Thread.sleep(forTimeInterval: 0.002)
      }
      Thread.sleep(forTimeInterval: rng.nextDouble() * Double(sleepMs) / 1000)
      let delay = Date().timeIntervalSince(t0)
      XCTAssertTrue(p.isRunning, "kill \(k + 1) at \(delay) s: the search had already finished; the test would prove nothing")
      kill(p.processIdentifier, SIGKILL)
      p.waitUntilExit()
      XCTAssertEqual(p.terminationReason, .uncaughtSignal)
      let store = try TrialStore(path: path)
      let c = try store.counts(step: SyntheticSearch.step)
      report.append(String(format: "kill %d at %.2fs: %d finished, %d running", k + 1, delay, c[.completed] ?? 0, c[.running] ?? 0))
    }
    try runToEnd(path, seed: seed, log: log, extra: extra)

    let ref = try TrialStore(path: refDir + "/trials.db"), got = try TrialStore(path: path)
    let want = try finishedTrials(ref, step: SyntheticSearch.step)
    XCTAssertEqual(want.count, trials)
    XCTAssertEqual(try finishedTrials(got, step: SyntheticSearch.step), want, "crashed-and-resumed run differs from the uninterrupted one")
    if rerunsPerKill == 1 {  // sequential: even the tell order, hence the whole state, is the same
      XCTAssertEqual(try got.state(step: SyntheticSearch.step), try ref.state(step: SyntheticSearch.step), "same final algorithm state")
    }
    let runs = executionLog(log)
    XCTAssertEqual(Set(runs.map(\.trial)).count, trials)
    XCTAssertLessThanOrEqual(runs.count, trials + 5 * rerunsPerKill, "only trials running at a kill rerun: finished trials never rerun")
    XCTAssertEqual(executionLog(refDir + "/exec.log").count, trials)
    let attempts = try got.trials(step: SyntheticSearch.step).map(\.attempts)
    XCTAssertLessThanOrEqual(attempts.reduce(0, +), trials + 5 * rerunsPerKill)
    XCTAssertEqual(processesMentioning(dir), [], "workers of a killed runner exit")
    print("crash test (\(label)): uninterrupted \(String(format: "%.1f", refTime)) s; " + report.joined(separator: "; ")
          + "; \(runs.count) executions for \(trials) trials; total \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
  }

  func testSigkillFiveTimesSequentialTPE() throws {
    try crashAndResume(seed: 2024, label: "tpe sequential")
  }

  /// Parallel: the runner and its 3 `lyra worker` processes. Random search, whose
  /// configs depend only on the trial index, so the result is order-independent.
  func testSigkillFiveTimesParallelWorkers() throws {
    try crashAndResume(seed: 77, extra: ["--algorithm", "random", "--workers", "3", "--sleep-ms", "90"], rerunsPerKill: 3,
                       label: "random, 3 workers")
  }
}

/// A tiny seeded generator for the kill moments.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// Pids of live processes whose command line mentions `text` (zombies excluded).
func processesMentioning(_ text: String) -> [Int32] {
  let me = getpid()
  let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
  return entries.compactMap(Int32.init).filter { pid in
    guard pid != me, let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
          let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), !stat.contains(") Z ") else { return false }
    return String(decoding: cmd, as: UTF8.self).contains(text)
  }
}
