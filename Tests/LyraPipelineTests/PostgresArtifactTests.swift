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

/// `--artifacts DIR`: the same trip through a directory every machine mounts instead of the database: the
/// accepted worker's files come out byte for byte, a refused late worker's never do, nothing goes into the
/// `artifacts` table, and a worker whose choice differs from the task's, or a URL scheme other than file:, is
/// refused by name.
final class ArtifactsDirectoryTests: XCTestCase {
  func testFilesTravelThroughTheDirectory() throws {
    let url = try PostgresTestServer.shared().storeURL("artdir")
    let shared = try storeTestDir("artifacts-mount")
    let coordinator = try TrialStore(path: url), late = try TrialStore(path: url), worker = try TrialStore(path: url)
    coordinator.directory = try storeTestDir("coordinator")
    try coordinator.useArtifacts(shared, coordinator: true)
    XCTAssertThrowsError(try worker.useArtifacts(nil, coordinator: false)) { e in XCTAssertTrue("\(e)".contains("--artifacts DIR"), "\(e)") }
    for (store, name) in [(worker, "worker"), (late, "late")] {
      store.directory = try storeTestDir(name)
      try store.useArtifacts(shared, coordinator: false)
    }
    try coordinator.addStep("s", kind: "test.branin", config: .null)
    try coordinator.transaction { try coordinator.insert(storeTestTrial(0), step: "s") }
    // `late` claims trial 0 and loses its lease; `worker` gets it and finishes first.
    XCTAssertEqual(try late.claim(worker: "late")?.trial.id, 0)
    _ = try coordinator.requeueStale(olderThan: 0, maxAttempts: 5, now: TrialStore.now() + 1)
    XCTAssertEqual(try worker.claim(worker: "w")?.trial.id, 0)
    var rng = SplitMix(seed: 6)
    let weights = (0..<3000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    let files: [String: [UInt8]] = ["workers/s/0/desc_0.json": Array("{\"a\":2}".utf8), "checkpoints/s/0/model_0.safetensors": weights,
                                    "checkpoints/s/0/checkpoint.safetensors": [9]]
    for (store, tag) in [(worker, ""), (late, "LATE")] {
      for (name, bytes) in files {
        let path = store.directory + "/" + name
        try FileManager.default.createDirectory(atPath: PathText.parent(path), withIntermediateDirectories: true)
        try Data(bytes + Array(tag.utf8)).write(to: URL(fileURLWithPath: path))
      }
    }
    XCTAssertTrue(try worker.finishWithArtifacts(step: "s", trial: 0, worker: "w", result: TrialResult(["loss": 2]), error: nil))
    XCTAssertFalse(try late.finishWithArtifacts(step: "s", trial: 0, worker: "late", result: TrialResult(["loss": 3]), error: nil),
                   "a late result is refused")
    XCTAssertEqual(try coordinator.db.scalar("SELECT count(*) FROM artifacts")?.int, 0, "nothing in the database")

    let written = try coordinator.materialiseArtifacts(step: "s", trial: 0, into: coordinator.directory)
    XCTAssertEqual(written, ["checkpoints/s/0/model_0.safetensors", "workers/s/0/desc_0.json"])
    for name in written {
      XCTAssertEqual(FileManager.default.contents(atPath: coordinator.directory + "/" + name).map { [UInt8]($0) }, files[name],
                     "\(name): the accepted worker's bytes, not the late one's")
    }
  }

  func testRefusals() throws {
    XCTAssertThrowsError(try ArtifactsDirectory.parse("s3://bucket/x")) { e in
      XCTAssertTrue("\(e)".contains("only a directory is supported"), "\(e)")
    }
    XCTAssertEqual(try ArtifactsDirectory.parse("file:///mnt/lyra"), "/mnt/lyra")
    XCTAssertEqual(try ArtifactsDirectory.parse("/mnt/lyra"), "/mnt/lyra")
    XCTAssertThrowsError(try ArtifactsDirectory.parse("file://relative")) { e in XCTAssertTrue("\(e)".contains("absolute"), "\(e)") }
    let sqlite = try TrialStore(path: try storeTestDir("art-sqlite") + "/trials.db")
    XCTAssertThrowsError(try sqlite.useArtifacts("/tmp/x", coordinator: true)) { e in XCTAssertTrue("\(e)".contains("PostgreSQL store"), "\(e)") }
    // A task that keeps its files in the database: a worker with --artifacts, or a resume with it, is refused.
    let url = try PostgresTestServer.shared().storeURL("artdb")
    let coordinator = try TrialStore(path: url)
    try coordinator.useArtifacts(nil, coordinator: true)
    XCTAssertThrowsError(try TrialStore(path: url).useArtifacts("/tmp/x", coordinator: false)) { e in
      XCTAssertTrue("\(e)".contains("without --artifacts"), "\(e)")
    }
    XCTAssertThrowsError(try TrialStore(path: url).useArtifacts("/tmp/x", coordinator: true)) { e in
      XCTAssertTrue("\(e)".contains("resume it without --artifacts"), "\(e)")
    }
  }
}
