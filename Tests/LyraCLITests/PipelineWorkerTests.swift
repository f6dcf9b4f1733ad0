import Foundation
import XCTest
import LyraBase

/// Issue 6: with parallel_search, a worker process killed mid-trial does not lose the
/// trial: it is handed out again after the heartbeat timeout and finished by a worker.
final class PipelineWorkerTests: XCTestCase {
  func workerPIDs(store: String) -> [Int32] {
    let fm = FileManager.default
    guard let entries = try? fm.contentsOfDirectory(atPath: "/proc") else { return [] }
    return entries.compactMap { Int32($0) }.filter { pid in
      guard let raw = fm.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
      let args = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
      return args.contains("worker") && args.contains(store)
    }
  }

  func testAWorkerKilledMidTrialDoesNotLoseTheTrial() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-workers-\(getpid())").path
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cfg = dir + "/w.yml"
    try """
      general: {seed: 1, parallel_search: true, workers: 2, worker: {timeout: 3}, task: {local_base_path: \(dir)/tasks}}
      pipeline: [hpo]
      hpo:
        pipe_step: {type: SearchPipeStep}
        dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 3000}, test: {max_samples: 256}}
        search_algorithm: {type: RandomSearch, objective_keys: accuracy, policy: {num_sample: 6}}
        search_space: {hyperparameters: [{key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.01, 0.2]}]}
        model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [64]}}}
        trainer: {type: Trainer, epochs: 2}
      """.write(toFile: cfg, atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: lyraBinary())
    p.arguments = ["run", cfg]
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    // Find the task's store and its workers, then kill one while it trains.
    var killed: Int32?
    let deadline = Date().addingTimeInterval(60)
    while killed == nil, Date() < deadline, p.isRunning {
      Thread.sleep(forTimeInterval: 0.3)
      let tasks = (try? FileManager.default.contentsOfDirectory(atPath: dir + "/tasks")) ?? []
      guard let task = tasks.first else { continue }
      let store = dir + "/tasks/" + task + "/trials.db"
      let pids = workerPIDs(store: store)
      if pids.count == 2 {
        Thread.sleep(forTimeInterval: 0.8)
        kill(pids[0], SIGKILL)
        killed = pids[0]
      }
    }
    let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    XCTAssertNotNil(killed, "no worker was seen")
    XCTAssertEqual(p.terminationStatus, 0, log)
    let task = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: dir + "/tasks").first)
    let reports = try JSON.parse(FileManager.default.contents(atPath: "\(dir)/tasks/\(task)/output/reports.json") ?? Data())
    let finished = (reports["hpo"]?.array ?? []).filter { $0["status"]?.string == "finished" }
    XCTAssertEqual(finished.count, 6, "every trial finished despite the killed worker\n" + log)
  }
}
