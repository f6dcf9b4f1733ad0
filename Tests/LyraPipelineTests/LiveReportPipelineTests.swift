import Foundation
import XCTest
import LyraBase
@testable import LyraPipeline

/// Issue 18: the report can be opened while a search runs. A callback looks at the task
/// folder when each trial starts: from the second trial on, `report.html` exists, says the
/// step is running, and `reports.json` already lists the trials that finished before.
final class LiveReportPipelineTests: XCTestCase {
  /// What the probe saw at each trial's start: (trials listed in reports.json, report.html text).
  static var seen: [(listed: [Int], html: String?)] = []
  static var root = ""

  final class Probe: TrainerCallback {
    override func beforeTrain() throws {
      let layout = TaskLayout(root: LiveReportPipelineTests.root)
      let reports = FileManager.default.contents(atPath: layout.reports).flatMap { try? JSON.parse($0) }
      let listed = reports?["hpo"]?.array?.compactMap { $0["worker_id"]?.int } ?? []
      LiveReportPipelineTests.seen.append((listed.sorted(), try? String(contentsOfFile: layout.reportHTML, encoding: .utf8)))
    }
  }

  func testTheReportIsWrittenAfterFinishedTrialsWhileTheSearchRuns() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-live-\(getpid())-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: base) }
    CallbackRegistry.register("LiveReportProbe") { Probe() }
    defer { CallbackRegistry.unregister("LiveReportProbe") }
    Self.seen = []
    let raw = try YAMLDocument(text: """
      general: {seed: 1, task: {local_base_path: \(base)}}
      pipeline: [hpo]
      hpo:
        pipe_step: {type: SearchPipeStep}
        dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 128}, test: {max_samples: 64}}
        search_algorithm: {type: RandomSearch, objective_keys: accuracy, policy: {num_samples: 3}}
        search_space: {hyperparameters: [{key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.01, 0.1]}]}
        model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [16]}}}
        trainer: {epochs: 1, callbacks: [LiveReportProbe]}
      """, file: "live.yml").value
    let p = try Pipeline(raw: raw, file: "live.yml")
    p.log = { _ in }
    Self.root = p.root
    _ = try p.run()
    XCTAssertEqual(Self.seen.count, 3)
    // Trial 0 starts before anything finished; trial 1 sees trial 0 (the first finished
    // trial writes at once, whatever the clock says).
    XCTAssertEqual(Self.seen[0].listed, [])
    XCTAssertEqual(Self.seen[1].listed, [0])
    let html = try XCTUnwrap(Self.seen[1].html, "report.html exists mid-run")
    XCTAssertTrue(html.contains("data-step=\"hpo\""))
    XCTAssertTrue(html.contains("while the task runs") && html.contains("http-equiv=\"refresh\""), "a running step's page says so and reloads")
    // At the end: the step finished, the page no longer reloads.
    let final = try String(contentsOfFile: TaskLayout(root: p.root).reportHTML, encoding: .utf8)
    XCTAssertFalse(final.contains("http-equiv=\"refresh\""))
  }
}
