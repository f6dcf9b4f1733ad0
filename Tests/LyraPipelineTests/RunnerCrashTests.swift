import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// THE crash test (issue 6, "Done when"): a runner process running a seeded TPE search
/// is SIGKILLed 5 times and resumed each time; the finished trials (ids, configs, scores)
/// must equal those of an uninterrupted run with the same seed, and no finished trial
/// may run again.
///
/// The kill moments are drawn from a seeded generator and reached through the self-kill
/// switch (`LYRA_TEST_KILL_AT=search:EVENT:K`: at the K-th claim, executor return, stored
/// result or — with workers — told result), so every run kills at the same places, each
/// round kills exactly once, and nothing waits on the clock (issue 14).
final class RunnerCrashTests: XCTestCase {
  let trials = 40

  func launch(_ store: String, seed: UInt64, log: String, extra: [String], killAt: String?) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: storeTestLyraBinary())
    p.arguments = ["_test-search", "--store", store, "--seed", String(seed), "--trials", String(trials)] + extra
    var env = ProcessInfo.processInfo.environment
    env["LYRA_TEST_EXEC_LOG"] = log
    env.removeValue(forKey: "LYRA_TEST_KILL_COUNTER")
    if let killAt { env["LYRA_TEST_KILL_AT"] = killAt } else { env.removeValue(forKey: "LYRA_TEST_KILL_AT") }
    p.environment = env
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    return p
  }

  func runToEnd(_ store: String, seed: UInt64, log: String, extra: [String]) throws {
    let p = try launch(store, seed: seed, log: log, extra: extra, killAt: nil)
    p.waitUntilExit()
    XCTAssertEqual(p.terminationStatus, 0, "lyra _test-search exited with \(p.terminationStatus)")
  }

  /// `events`: the kill events to draw from; each round kills at the K-th (K in 1...6,
  /// so five rounds use at most 30 of the 40 trials and the last run has work left).
  func crashAndResume(seed: UInt64, extra: [String] = [], events: [String], rerunsPerKill: Int = 1) throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: storeTestLyraBinary()), "lyra binary not built")
    let refDir = try storeTestDir("crash-ref"), dir = try storeTestDir("crash")
    try runToEnd(refDir + "/trials.db", seed: seed, log: refDir + "/exec.log", extra: extra)

    var rng = SplitMix(seed: seed &+ 1000)
    let path = dir + "/trials.db", log = dir + "/exec.log"
    for k in 0..<5 {
      let at = "\(SyntheticSearch.step):\(events[Int(rng.next() % UInt64(events.count))]):\(1 + Int(rng.next() % 6))"
      let p = try launch(path, seed: seed, log: log, extra: extra, killAt: at)
      p.waitUntilExit()
      XCTAssertEqual(p.terminationReason, .uncaughtSignal, "kill \(k + 1) (\(at)) did not happen")
      XCTAssertEqual(p.terminationStatus, SIGKILL)
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
    // Orphaned workers exit when they see their runner gone (an event they poll for);
    // wait for that, with a generous bound that only a hang would reach.
    let deadline = Date(timeIntervalSinceNow: 60)
    while !processesMentioning(dir).isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    XCTAssertEqual(processesMentioning(dir), [], "workers of a killed runner exit")
  }

  func testSigkillFiveTimesSequentialTPE() throws {
    try crashAndResume(seed: 2024, events: ["claim", "result", "trial"])
  }

  /// Parallel: the runner and its 3 `lyra worker` processes; the runner dies right after
  /// telling the K-th result. The heartbeat timeout is out of reach, so no live worker's
  /// trial is ever requeued because the machine was slow. Random search, whose configs depend only on the trial
  /// index, so the result is order-independent.
  func testSigkillFiveTimesParallelWorkers() throws {
    try crashAndResume(seed: 77, extra: ["--algorithm", "random", "--workers", "3", "--sleep-ms", "20",
                                                "--heartbeat-timeout", "100000"], events: ["tell"],
                       rerunsPerKill: 3)
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
