import Foundation
import XCTest
import LyraBase
@testable import LyraPipeline

/// The "Done when", with real training: an HPO step (random search over the learning rate, a small MLP on
/// a Fashion-MNIST subset; the quickstart's step at test size) run by `lyra run --store postgresql://… --local-workers
/// 0` with three `lyra worker` processes, each in its own empty folder, finishes with the same trials (configs,
/// accuracies) and the same `output/` files as the same config run with three local workers on SQLite.
/// Random search hands out the same configs whichever worker finishes first, and each trial's training is seeded
/// by the task seed and the trial, so the comparison is exact; nothing depends on timing.
final class PostgresPipelineWorkersTests: XCTestCase {
  func testRealTrainingWithThreeRemoteWorkersMatchesSQLite() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: storeTestLyraBinary()), "lyra binary not built")
    let server = try PostgresTestServer.shared()
    let dir = try storeTestDir("pg-pipeline")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cfg = dir + "/hpo.yml"
    try """
      general: {seed: 3, parallel_search: true, workers: 3, worker: {timeout: 100000}, task: {local_base_path: ./tasks}}
      pipeline: [hpo]
      hpo:
        pipe_step: {type: SearchPipeStep}
        dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 256}, test: {max_samples: 128}}
        search_algorithm: {type: RandomSearch, objective_keys: accuracy, policy: {num_sample: 6}}
        search_space: {hyperparameters: [{key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.01, 0.2]}]}
        model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [16]}}}
        trainer: {type: Trainer, epochs: 2}
      """.write(toFile: cfg, atomically: true, encoding: .utf8)

    let sqliteHome = try folder(dir + "/sqlite")
    let ref = try start(["run", cfg], in: sqliteHome)
    ref.waitUntilExit()
    XCTAssertEqual(ref.terminationStatus, 0, log(sqliteHome))

    let before = Set(try TrialStore.postgresTasks(server.url))
    let coordHome = try folder(dir + "/coordinator")
    let coordinator = try start(["run", cfg, "--store", server.url, "--local-workers", "0"], in: coordHome)
    // The workers start once the task exists (a store event, not a delay).
    var task: String?
    while coordinator.isRunning, task == nil {
      task = ((try? TrialStore.postgresTasks(server.url)) ?? []).first { !before.contains($0) }
      if task == nil { Thread.sleep(forTimeInterval: 0.02) }
    }
    let id = try XCTUnwrap(task, "no task appeared: " + log(coordHome))
    let workers = try (0..<3).map { i in
      try start(["worker", "--store", server.url, "--task", id, "--heartbeat", "0.5"], in: try folder(dir + "/worker\(i)"))
    }
    coordinator.waitUntilExit()
    for w in workers { w.terminate(); w.waitUntilExit() }
    XCTAssertEqual(coordinator.terminationStatus, 0, log(coordHome))

    let sqliteTask = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: sqliteHome + "/tasks").first)
    let want = try finishedTrials(TrialStore(path: "\(sqliteHome)/tasks/\(sqliteTask)/trials.db"), step: "hpo")
    XCTAssertEqual(want.count, 6)
    XCTAssertEqual(try finishedTrials(TrialStore(path: server.url + "&task=" + id), step: "hpo"), want, "same trials and results as SQLite")
    // output/ in VEGA's layout on the coordinator, built from the workers' files: the same files as SQLite's.
    let wantOut = try outputFiles("\(sqliteHome)/tasks/\(sqliteTask)/output/hpo")
    XCTAssertFalse(wantOut.isEmpty)
    XCTAssertEqual(try outputFiles("\(coordHome)/tasks/\(id)/output/hpo"), wantOut)
  }

  private func folder(_ path: String) throws -> String {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  private func outputFiles(_ dir: String) throws -> [String] {
    (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).filter { !$0.hasSuffix(".svg") && !$0.contains("report") }.sorted()
  }

  /// `lyra ARGS` in `home`, standard error into `home/lyra.log`.
  private func start(_ args: [String], in home: String) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: storeTestLyraBinary())
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: home)
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "LYRA_TEST_KILL_AT")
    p.environment = env
    p.standardOutput = FileHandle.nullDevice
    FileManager.default.createFile(atPath: home + "/lyra.log", contents: nil)
    p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: home + "/lyra.log"))
    try p.run()
    return p
  }

  private func log(_ home: String) -> String { (try? String(contentsOfFile: home + "/lyra.log", encoding: .utf8)) ?? "" }
}
