import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// The issue's kill test: a search on PostgreSQL with 4 remote workers (`lyra worker --store URL`, each in a
/// directory of its own, started by the test, not by the coordinator, so they outlive it), SIGKILLed 20 times at
/// seeded random moments (the coordinator or one of the workers, each then started again), the database server
/// restarted twice, and the end state compared with an uninterrupted SQLite run of the same seeded random search:
/// every trial present exactly once with the same config and result.
///
/// The moments are marks in the search's progress (the number of completed trials), drawn from a seeded
/// generator; where exactly a process is when the kill lands depends on scheduling, and nothing asserted does:
/// only the end state is compared. A killed worker's trial comes back after its lease (1.5 s) expires; a killed
/// coordinator is resumed and leaves the remote workers' trials to them.
final class PostgresRemoteKillTests: XCTestCase {
  func testTwentyKillsOfCoordinatorAndRemoteWorkersWithTwoServerRestarts() throws {
    let server = try PostgresTestServer.shared()
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: storeTestLyraBinary()), "lyra binary not built")
    let seed: UInt64 = 4242, workers = 4
    let search = ["--algorithm", "random", "--sleep-ms", "120", "--workers", String(workers), "--local-workers", "0",
                  "--heartbeat-timeout", "1.5", "--max-attempts", "1000"]

    // The uninterrupted reference: the same seeded random search run by one process on SQLite.
    let refDir = try storeTestDir("remote-kill-ref")
    try runToEnd(refDir + "/trials.db", seed: seed, log: refDir + "/exec.log", extra: ["--algorithm", "random", "--sleep-ms", "0"])

    let url = server.storeURL("remote-kill"), log = try storeTestDir("remote-kill") + "/exec.log"
    let watch = try TrialStore(path: url)  // creates the task's schema, so workers can start before the coordinator
    var coordinator = try launch(url, seed: seed, log: log, extra: search, killAt: nil)
    let homes = try (0..<workers).map { try storeTestDir("remote-kill-worker\($0)") }
    var pool = try homes.map { try startWorker(url, home: $0, log: log) }
    defer { pool.forEach { kill($0.processIdentifier, SIGKILL); $0.waitUntilExit() } }

    // 20 kills and 2 restarts at seeded marks; a kill picks the coordinator or one worker.
    var rng = SplitMix(seed: seed &+ 99)
    // Target 0 is the coordinator (half the kills), 1...workers a worker.
    var events: [(mark: Int, target: Int)] = (0..<20).map { _ in
      (1 + Int(rng.next() % UInt64(crashTrials - 8)), rng.next() % 2 == 0 ? 0 : 1 + Int(rng.next() % UInt64(workers)))
    }
    events += (0..<2).map { _ in (1 + Int(rng.next() % UInt64(crashTrials - 8)), -1) }
    events.sort { $0.mark < $1.mark }
    var kills = 0, coordinatorKills = 0
    for e in events {
      while coordinator.isRunning, completed(watch) < e.mark { Thread.sleep(forTimeInterval: 0.01) }
      if e.target < 0 {
        server.stop(mode: "immediate")
        try server.start()
        continue
      }
      // The coordinator (target 0) is killed while it runs; once it finished, a worker is killed instead.
      if e.target == 0 && coordinator.isRunning {
        kill(coordinator.processIdentifier, SIGKILL)
        coordinator.waitUntilExit()
        XCTAssertEqual(coordinator.terminationReason, .uncaughtSignal)
        coordinator = try launch(url, seed: seed, log: log, extra: search, killAt: nil)
        coordinatorKills += 1
      } else {
        let i = max(e.target, 1) - 1
        XCTAssertTrue(pool[i].isRunning, "worker \(i) exited by itself: \(workerLog(homes[i]))")
        kill(pool[i].processIdentifier, SIGKILL)
        pool[i].waitUntilExit()
        pool[i] = try startWorker(url, home: homes[i], log: log)
      }
      kills += 1
    }
    coordinator.waitUntilExit()
    XCTAssertEqual(coordinator.terminationStatus, 0, "the last coordinator finishes the search")
    XCTAssertEqual(kills, 20)
    print("PostgresRemoteKillTests: \(kills) kills (\(coordinatorKills) of the coordinator), 2 server restarts")

    let ref = try TrialStore(path: refDir + "/trials.db"), got = try TrialStore(path: url)
    let want = try finishedTrials(ref, step: SyntheticSearch.step)
    XCTAssertEqual(want.count, crashTrials)
    XCTAssertEqual(try finishedTrials(got, step: SyntheticSearch.step), want, "killed-and-resumed run differs from the uninterrupted one")
    XCTAssertEqual(try got.counts(step: SyntheticSearch.step)[.completed], crashTrials, "every trial completed")
    XCTAssertEqual(try got.untold(step: SyntheticSearch.step).count, 0, "every result told to the algorithm")
    XCTAssertEqual(Set(executionLog(log).map(\.trial)), Set(0..<crashTrials), "each trial ran (some more than once: killed mid-trial)")
    for home in homes {  // the workers' own folders: nothing of the coordinator's task folder was needed there
      XCTAssertFalse(FileManager.default.fileExists(atPath: home + "/tasks/\(got.task ?? "")/output"), "no output/ on a worker")
    }
  }

  private func completed(_ store: TrialStore) -> Int {
    ((try? store.counts(step: SyntheticSearch.step)) ?? [:])[.completed] ?? 0
  }

  /// A remote worker: its own working directory, no parent to die with, standard error to `home/worker.log`.
  private func startWorker(_ url: String, home: String, log: String) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: storeTestLyraBinary())
    p.arguments = ["worker", "--store", url, "--heartbeat", "0.2"]
    p.currentDirectoryURL = URL(fileURLWithPath: home)
    var env = ProcessInfo.processInfo.environment
    env["LYRA_TEST_EXEC_LOG"] = log
    env.removeValue(forKey: "LYRA_TEST_KILL_AT")
    env.removeValue(forKey: "LYRA_TEST_KILL_COUNTER")
    p.environment = env
    p.standardOutput = FileHandle.nullDevice
    if !FileManager.default.fileExists(atPath: home + "/worker.log") { FileManager.default.createFile(atPath: home + "/worker.log", contents: nil) }
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: home + "/worker.log"))
    err.seekToEndOfFile()
    p.standardError = err
    try p.run()
    return p
  }

  private func workerLog(_ home: String) -> String { (try? String(contentsOfFile: home + "/worker.log", encoding: .utf8)) ?? "" }
}
