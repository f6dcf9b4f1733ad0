import Foundation
import XCTest
import CRuntime
import LyraBase
@testable import LyraPipeline

/// Issue 18, resume without traps, below the CLI: a task records its effective config and
/// command lines; a resume with a different config is refused with the keys that differ
/// (ConfigDrift) unless `force`, which records the new one. Nothing here trains: only
/// `Pipeline.init` runs (it opens the task and checks the config).
final class RecordedConfigTests: XCTestCase {
  var base = ""

  override func setUpWithError() throws {
    base = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-recorded-\(getpid())-\(UUID().uuidString)").path
  }

  override func tearDown() {
    lyra_interrupt_clear()
    try? FileManager.default.removeItem(atPath: base)
  }

  func raw(samples: Int, epochs: Int = 1) throws -> JSON {
    try YAMLDocument(text: """
      general: {task: {local_base_path: \(base)}}
      pipeline: [hpo]
      hpo:
        pipe_step: {type: SearchPipeStep}
        dataset: {type: FashionMnist, train: {max_samples: \(samples)}}
        search_algorithm: {type: RandomSearch, policy: {num_samples: 1}}
        search_space: {hyperparameters: [{key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.01, 0.1]}]}
        model: {model_desc: {modules: [backbone], backbone: {type: MLP}}}
        trainer: {epochs: \(epochs)}
      """, file: "c.yml").value
  }

  func testDiffNamesEveryChangedKeyOnceWithListsAsOneValue() {
    let a: JSON = .object(["hpo": .object(["epochs": JSON(2), "range": .array([JSON(1), JSON(2)]), "gone": .string("x")])])
    let b: JSON = .object(["hpo": .object(["epochs": JSON(3), "range": .array([JSON(1), JSON(5)]), "new": .bool(true)])])
    XCTAssertEqual(ConfigDiff.lines(from: a, to: b), ["hpo.epochs: 2 → 3", "hpo.gone: x → (absent)", "hpo.new: (absent) → true", "hpo.range: [1,2] → [1,5]"])
    XCTAssertEqual(ConfigDiff.lines(from: a, to: a), [])
  }

  func testResumeTargetReadsAnIdOrATaskFolder() {
    XCTAssertTrue(Pipeline.resumeTarget("0101.1", tasksFolder: "./tasks") == ("./tasks", "0101.1"))
    XCTAssertTrue(Pipeline.resumeTarget("/x/runs/0101.1/", tasksFolder: "./tasks") == ("/x/runs", "0101.1"))
    XCTAssertTrue(Pipeline.resumeTarget("runs/0101.1", tasksFolder: "./tasks") == ("runs", "0101.1"))
  }

  func testAResumeWithADifferentConfigIsRefusedWithTheKeysAndForceRecordsIt() throws {
    // Each Pipeline lives in its own scope: it holds the task lock until it goes away.
    let id: String = try {
      let first = try Pipeline(raw: try raw(samples: 2000), file: "c.yml", command: ["lyra", "run", "c.yml", "--set", "a b"])
      XCTAssertEqual(first.resumeCommand, "lyra run --resume " + first.root, "a task outside ./tasks resumes by its folder")
      return first.taskID
    }()
    XCTAssertEqual(try Pipeline.recordedConfig(tasksFolder: base, taskID: id).raw, try raw(samples: 2000))

    XCTAssertThrowsError(try Pipeline(raw: try raw(samples: 10000, epochs: 2), file: "c.yml", resume: id)) { e in
      guard let d = e as? ConfigDrift else { return XCTFail("\(e)") }
      XCTAssertEqual(d.changes, ["hpo.dataset.train.max_samples: 2000 → 10000", "hpo.trainer.epochs: 1 → 2"])
      XCTAssertTrue(d.description.contains("add --force"), d.description)
    }
    XCTAssertEqual(try Pipeline.recordedConfig(tasksFolder: base, taskID: id).raw, try raw(samples: 2000), "a refusal records nothing")

    try {
      let same = try Pipeline(raw: try raw(samples: 2000), file: "c.yml", resume: id, command: ["lyra", "run", "--resume", id])
      XCTAssertEqual(same.forcedChanges, [])
    }()
    try {
      let forced = try Pipeline(raw: try raw(samples: 10000), file: "c.yml", resume: id, force: true)
      XCTAssertEqual(forced.forcedChanges, ["hpo.dataset.train.max_samples: 2000 → 10000"])
      XCTAssertEqual(try forced.store.meta("config")?["hpo"]?["dataset"]?["train"]?["max_samples"]?.int, 10000, "the resolved config follows")
      XCTAssertEqual(try forced.store.meta("command_lines"), .array([.string("lyra run c.yml --set 'a b'"), .string("lyra run --resume \(id)")]))
    }()
    XCTAssertEqual(try Pipeline.recordedConfig(tasksFolder: base, taskID: id).raw, try raw(samples: 10000))
  }

  /// A Ctrl-C that lands between steps (here: before the first) stops before the next
  /// step starts, which stays `unstarted`, and prints the same one resume line.
  func testCtrlCBeforeAStepStartsStopsThereWithTheResumeLine() throws {
    let p = try Pipeline(raw: try raw(samples: 64), file: "c.yml")
    var lines: [String] = []
    p.log = { lines.append($0) }
    Interruption.request()
    let summary = try p.run()
    XCTAssertTrue(summary.interrupted)
    XCTAssertEqual(summary.steps.map(\.status), ["unstarted"])
    XCTAssertEqual(lines.filter { $0.contains("--resume") }, ["[hpo] interrupted; resume with: lyra run --resume \(p.root)"], "\(lines)")
  }

  func testStepSelectionNamesUnknownStepsAndNeedsTheEarlierStepsFinished() throws {
    let names = ["nas", "hpo", "fully_train"]
    XCTAssertEqual(try Pipeline.selectSteps(nil, from: "hpo", names: names), ["hpo", "fully_train"])
    XCTAssertEqual(try Pipeline.selectSteps(["fully_train"], from: nil, names: names), ["fully_train"])
    XCTAssertNil(try Pipeline.selectSteps(nil, from: nil, names: names))
    XCTAssertThrowsError(try Pipeline.selectSteps(["hpo", "fully"], from: nil, names: names)) { e in
      XCTAssertTrue("\(e)".contains("no step 'fully' in the pipeline (its steps: nas, hpo, fully_train)"), "\(e)")
    }
    XCTAssertThrowsError(try Pipeline.selectSteps(["hpo"], from: "hpo", names: names))
    // nas finished: hpo may run alone; with nothing finished it may not.
    XCTAssertNoThrow(try Pipeline.checkSelection(["hpo"], names: names) { $0 == "nas" })
    XCTAssertNoThrow(try Pipeline.checkSelection(["nas"], names: names) { _ in false })
    XCTAssertThrowsError(try Pipeline.checkSelection(["nas", "fully_train"], names: names) { _ in false }) { e in
      XCTAssertTrue("\(e)".contains("step fully_train needs the outputs of hpo, which has not finished"), "\(e)")
    }
  }
}
