import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// Workers without the coordinator's disk: a trial's files go into the database with its result (one transaction)
/// and come out byte for byte in the coordinator's task folder; a refused result stores no file; a stored name
/// that would leave the trial's folders is refused.
final class PostgresArtifactTests: XCTestCase {
  func testFilesTravelWithTheResult() throws {
    let url = try PostgresTestServer.shared().storeURL("artifacts")
    let coordinator = try TrialStore(path: url), worker = try TrialStore(path: url)
    coordinator.directory = try storeTestDir("coordinator")
    worker.directory = try storeTestDir("worker")
    try coordinator.addStep("s", kind: "test.branin", config: .null)
    try coordinator.transaction { for i in 0..<2 { try coordinator.insert(storeTestTrial(i), step: "s") } }
    XCTAssertEqual(try worker.claim(worker: "w")?.trial.id, 0)

    var rng = SplitMix(seed: 5)
    let weights = (0..<2500).map { _ in UInt8(truncatingIfNeeded: rng.next()) }  // 3 chunks of 1000 bytes
    let files: [String: [UInt8]] = ["workers/s/0/desc_0.json": Array("{\"a\":1}".utf8), "checkpoints/s/0/model_0.safetensors": weights,
                                    "workers/s/0/empty.txt": [], "checkpoints/s/0/checkpoint.safetensors": [1, 2, 3]]
    for (name, bytes) in files {
      let path = worker.directory + "/" + name
      try FileManager.default.createDirectory(atPath: PathText.parent(path), withIntermediateDirectories: true)
      try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
    XCTAssertFalse(try worker.finishWithArtifacts(step: "s", trial: 1, worker: "w", result: TrialResult(["loss": 1]), error: nil, chunkSize: 1000),
                   "not this worker's trial")
    XCTAssertEqual(try coordinator.db.scalar("SELECT count(*) FROM artifacts")?.int, 0, "a refused result stores nothing")
    XCTAssertTrue(try worker.finishWithArtifacts(step: "s", trial: 0, worker: "w", result: TrialResult(["loss": 1]), error: nil, chunkSize: 1000))
    XCTAssertEqual(try coordinator.db.scalar("SELECT count(*) FROM artifacts WHERE name LIKE '%model_0%'")?.int, 3)

    let written = try coordinator.materialiseArtifacts(step: "s", trial: 0, into: coordinator.directory)
    XCTAssertEqual(written, ["checkpoints/s/0/model_0.safetensors", "workers/s/0/desc_0.json", "workers/s/0/empty.txt"])
    for name in written {
      XCTAssertEqual(FileManager.default.contents(atPath: coordinator.directory + "/" + name).map { [UInt8]($0) }, files[name], name)
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: coordinator.directory + "/checkpoints/s/0/checkpoint.safetensors"),
                   "the trainer's resume state stays with the worker")

    try coordinator.db.query("INSERT INTO artifacts(step, trial, name, chunk, data) VALUES ('s', 0, 'workers/s/0/../../../../x', 0, '\\x00')")
    XCTAssertThrowsError(try coordinator.materialiseArtifacts(step: "s", trial: 0, into: coordinator.directory)) { e in
      XCTAssertTrue("\(e)".contains("outside the trial's folders"), "\(e)")
    }
  }

  /// The "Done when": a search whose coordinator starts no worker (`--local-workers 0`) and 3 `lyra worker`
  /// processes, each in its own empty folder, finishes with the same trials and results as the SQLite run with
  /// local workers (random search: results do not depend on which worker ran what).
  func testThreeWorkersInSeparateFoldersMatchSQLite() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: storeTestLyraBinary()), "lyra binary not built")
    let server = try PostgresTestServer.shared()
    let args = ["--seed", "9", "--trials", "12", "--algorithm", "random", "--workers", "3", "--sleep-ms", "5", "--heartbeat-timeout", "100000"]
    let refDir = try storeTestDir("sep-ref")
    try runLyra(["_test-search", "--store", refDir + "/trials.db"] + args, in: refDir)

    let task = "sep-\(UInt32.random(in: 0...UInt32.max))"
    let coordinator = try startLyra(["_test-search", "--store", server.url + "&task=" + task, "--local-workers", "0"] + args,
                                    in: try storeTestDir("sep-coord"))
    // Workers start once the task exists (a store event, not a delay).
    while coordinator.isRunning, !((try? TrialStore.postgresTasks(server.url)) ?? []).contains(task) { Thread.sleep(forTimeInterval: 0.02) }
    let workers = try (0..<3).map { i in
      try startLyra(["worker", "--store", server.url, "--task", task, "--heartbeat", "0.2"], in: try storeTestDir("sep-w\(i)"))
    }
    coordinator.waitUntilExit()
    for w in workers { w.terminate(); w.waitUntilExit() }
    XCTAssertEqual(coordinator.terminationStatus, 0)
    let want = try finishedTrials(TrialStore(path: refDir + "/trials.db"), step: SyntheticSearch.step)
    XCTAssertEqual(want.count, 12)
    XCTAssertEqual(try finishedTrials(TrialStore(path: server.url + "&task=" + task), step: SyntheticSearch.step), want)
  }

  func startLyra(_ args: [String], in dir: String) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: storeTestLyraBinary())
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: dir)
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
  }

  func runLyra(_ args: [String], in dir: String) throws {
    let p = try startLyra(args, in: dir)
    p.waitUntilExit()
    XCTAssertEqual(p.terminationStatus, 0, args.joined(separator: " "))
  }
}
