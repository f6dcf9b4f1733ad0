import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// Trials of the crash tests' search (RunnerCrashTests, PostgresKillTests).
let crashTrials = 40

/// The SIGKILL-and-resume harness the crash tests share (RunnerCrashTests explains the method).
extension XCTestCase {

  func launch(_ store: String, seed: UInt64, log: String, extra: [String], killAt: String?) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: storeTestLyraBinary())
    p.arguments = ["_test-search", "--store", store, "--seed", String(seed), "--trials", String(crashTrials)] + extra
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
  /// `backend`: where the stores live (SQLite files, or tasks in the tests' PostgreSQL server); `restart`: called
  /// with the finished-trial count reached during the last, uninterrupted run, to restart the database under it.
  func crashAndResume(seed: UInt64, extra: [String] = [], events: [String], rerunsPerKill: Int = 1, backend: StoreSuite = .sqlite,
                      restartAt: [Int] = [], restart: () throws -> Void = {}) throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: storeTestLyraBinary()), "lyra binary not built")
    let refDir = try storeTestDir("crash-ref"), dir = try storeTestDir("crash")
    let refPath = backend.isSQLite ? refDir + "/trials.db" : try backend.fresh("crash-ref")
    try runToEnd(refPath, seed: seed, log: refDir + "/exec.log", extra: extra)

    var rng = SplitMix(seed: seed &+ 1000)
    let path = backend.isSQLite ? dir + "/trials.db" : try backend.fresh("crash"), log = dir + "/exec.log"
    for k in 0..<5 {
      let at = "\(SyntheticSearch.step):\(events[Int(rng.next() % UInt64(events.count))]):\(1 + Int(rng.next() % 6))"
      let p = try launch(path, seed: seed, log: log, extra: extra, killAt: at)
      p.waitUntilExit()
      XCTAssertEqual(p.terminationReason, .uncaughtSignal, "kill \(k + 1) (\(at)) did not happen")
      XCTAssertEqual(p.terminationStatus, SIGKILL)
    }
    if restartAt.isEmpty {
      try runToEnd(path, seed: seed, log: log, extra: extra)
    } else {
      // The database restarts under the last run once it has finished the given numbers of trials (store events,
      // not clock times; whenever they happen, the assertions below must hold).
      let p = try launch(path, seed: seed, log: log, extra: extra, killAt: nil)
      let watch = try TrialStore(path: path)
      for mark in restartAt {
        while p.isRunning, (try? watch.counts(step: SyntheticSearch.step)[.completed] ?? 0) ?? 0 < mark { Thread.sleep(forTimeInterval: 0.01) }
        if p.isRunning { try restart() }
      }
      p.waitUntilExit()
      XCTAssertEqual(p.terminationStatus, 0, "lyra _test-search exited with \(p.terminationStatus) across database restarts")
    }

    let ref = try TrialStore(path: refPath), got = try TrialStore(path: path)
    let want = try finishedTrials(ref, step: SyntheticSearch.step)
    XCTAssertEqual(want.count, crashTrials)
    XCTAssertEqual(try finishedTrials(got, step: SyntheticSearch.step), want, "crashed-and-resumed run differs from the uninterrupted one")
    if rerunsPerKill == 1 {  // sequential: even the tell order, hence the whole state, is the same
      XCTAssertEqual(try got.state(step: SyntheticSearch.step), try ref.state(step: SyntheticSearch.step), "same final algorithm state")
    }
    let runs = executionLog(log)
    XCTAssertEqual(Set(runs.map(\.trial)).count, crashTrials)
    XCTAssertLessThanOrEqual(runs.count, crashTrials + 5 * rerunsPerKill, "only trials running at a kill rerun: finished trials never rerun")
    XCTAssertEqual(executionLog(refDir + "/exec.log").count, crashTrials)
    let attempts = try got.trials(step: SyntheticSearch.step).map(\.attempts)
    XCTAssertLessThanOrEqual(attempts.reduce(0, +), crashTrials + 5 * rerunsPerKill)
    // Orphaned workers exit when they see their runner gone (an event they poll for);
    // wait for that, with a generous bound that only a hang would reach.
    let deadline = Date(timeIntervalSinceNow: 60)
    let mark = backend.isSQLite ? dir : path
    while !processesMentioning(mark).isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    XCTAssertEqual(processesMentioning(mark), [], "workers of a killed runner exit")
  }

}
