import Foundation
import XCTest
import LyraBase
@testable import LyraPipeline

/// Issue 6 / 14: with parallel_search, a worker process killed mid-trial does not lose the
/// trial: the runner sees the worker exit and hands the trial to another worker.
///
/// Deterministic: a worker kills itself after the first epoch trained by any process of
/// the run (`LYRA_TEST_KILL_AT` with a shared `LYRA_TEST_KILL_COUNTER`, so exactly one
/// worker dies, once), and the heartbeat timeout is far longer than the test, so only
/// the observed exit can requeue the trial — no sleeps, no timing.
final class PipelineWorkerKillTests: XCTestCase {
  func testAWorkerKilledMidTrialDoesNotLoseTheTrial() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: storeTestLyraBinary()), "lyra binary not built")
    let dir = try storeTestDir("pipeline-workers")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cfg = dir + "/w.yml"
    try """
      general: {seed: 1, parallel_search: true, workers: 2, worker: {timeout: 100000}, task: {local_base_path: \(dir)/tasks}}
      pipeline: [hpo]
      hpo:
        pipe_step: {type: SearchPipeStep}
        dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 256}, test: {max_samples: 128}}
        search_algorithm: {type: RandomSearch, objective_keys: accuracy, policy: {num_sample: 4}}
        search_space: {hyperparameters: [{key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.01, 0.2]}]}
        model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [16]}}}
        trainer: {type: Trainer, epochs: 2}
      """.write(toFile: cfg, atomically: true, encoding: .utf8)
    let counter = dir + "/kill-counter"
    let p = Process()
    p.executableURL = URL(fileURLWithPath: storeTestLyraBinary())
    p.arguments = ["run", cfg]
    var env = ProcessInfo.processInfo.environment
    env["LYRA_TEST_KILL_AT"] = "hpo:epoch:1"
    env["LYRA_TEST_KILL_COUNTER"] = counter
    p.environment = env
    let log = try runCapturingStderr(p)
    XCTAssertEqual(p.terminationStatus, 0, log)
    XCTAssertEqual(p.terminationReason, .exit, "the runner itself trains nothing and survives")

    let task = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: dir + "/tasks").first)
    let store = try TrialStore(path: "\(dir)/tasks/\(task)/trials.db")
    let trials = try store.trials(step: "hpo")
    XCTAssertEqual(trials.map(\.status), Array(repeating: .completed, count: 4), "every trial finished despite the killed worker\n" + log)
    XCTAssertEqual(trials.map(\.attempts).sorted(), [1, 1, 1, 2], "the killed worker's trial ran again, the others once")
    let reports = try JSON.parse(FileManager.default.contents(atPath: "\(dir)/tasks/\(task)/output/reports.json") ?? Data())
    XCTAssertEqual((reports["hpo"]?.array ?? []).filter { $0["status"]?.string == "finished" }.count, 4)
  }
}
