import Foundation
import XCTest

/// Issue 18, resume without traps, at the command line: a task records its effective
/// config (every --set), so `lyra run --resume TASK` needs nothing else; a resume whose
/// config or --set differs is refused with the keys that differ unless --force; and a
/// Ctrl-C prints one exact resume command wherever it lands. The Ctrl-C is a SIGINT the
/// run sends itself at a named event (LYRA_TEST_KILL_SIGNAL=INT), so no timing decides
/// where it lands. Budgets are tiny (64 samples, an MLP of 8, 1-2 epochs).
final class ResumeWithoutTrapsTests: XCTestCase {
  var dir = ""

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-resume18-\(getpid())-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir + "/elsewhere", withIntermediateDirectories: true)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  /// `base`: nil keeps the default tasks folder (./tasks in `dir`).
  func config(base: String? = nil) throws -> String {
    let path = dir + "/c.yml"
    try """
      general: {seed: 3\(base.map { ", task: {local_base_path: \($0)}" } ?? "")}
      pipeline: [hpo, fully_train]
      hpo:
        pipe_step: {type: SearchPipeStep}
        dataset: {type: FashionMnist, common: {batch_size: 32}, train: {max_samples: 64}, test: {max_samples: 32}}
        search_algorithm: {type: RandomSearch, policy: {num_samples: 2}}
        search_space: {hyperparameters: [{key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.01, 0.1]}]}
        model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [8]}}}
        trainer: {type: Trainer, epochs: 1, optimizer: {type: SGD, params: {lr: 0.05}}}
      fully_train:
        pipe_step: {type: TrainPipeStep}
        dataset: {ref: hpo.dataset}
        trainer: {ref: hpo.trainer, epochs: 2}
      """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func lyra(_ args: [String], ctrlCAt: String? = nil, in directory: String? = nil) throws -> (status: Int32, out: String, err: String) {
    try runLyra(args, environment: ctrlCAt.map { ["LYRA_TEST_KILL_AT": $0, "LYRA_TEST_KILL_SIGNAL": "INT"] } ?? [:], directory: directory ?? dir)
  }

  func onlyTask(_ base: String) throws -> String {
    let ids = try FileManager.default.contentsOfDirectory(atPath: base)
    XCTAssertEqual(ids.count, 1, "\(ids)")
    return ids.first ?? ""
  }

  /// The one resume line of an interrupted run, as argv (without `lyra`).
  func resumeCommand(_ r: (status: Int32, out: String, err: String), step: String) -> [String] {
    XCTAssertEqual(r.status, 130, r.out + r.err)
    let lines = (r.out + r.err).split(separator: "\n").filter { $0.contains("--resume") }
    XCTAssertEqual(lines.count, 1, "exactly one resume line: \(lines)")
    let prefix = "[\(step)] interrupted; resume with: lyra "
    guard let line = lines.first, line.hasPrefix(prefix) else { XCTFail("\(lines)"); return [] }
    return line.dropFirst(prefix.count).split(separator: " ").map(String.init)
  }

  func testCtrlCInTheSearchPrintsTheResumeCommandWhichRunsFromTheRecordedSets() throws {
    let cfg = try config()
    let first = try lyra(["run", cfg, "--set", "hpo.dataset.train.max_samples=48"], ctrlCAt: "hpo:trial:1")
    let id = try onlyTask(dir + "/tasks")
    XCTAssertEqual(resumeCommand(first, step: "hpo"), ["run", "--resume", id])

    let resumed = try lyra(["run", "--resume", id])
    XCTAssertEqual(resumed.status, 0, resumed.out + resumed.err)
    XCTAssertTrue((resumed.out + resumed.err).contains("[hpo] finished: 2 trials"), resumed.out + resumed.err)

    // The config file without the --set is not what the task ran: refused, key by key.
    let mixed = try lyra(["run", cfg, "--resume", id])
    XCTAssertEqual(mixed.status, 1, mixed.out + mixed.err)
    XCTAssertTrue(mixed.err.contains("1 key differs (recorded → given):\n  hpo.dataset.train.max_samples: 48 → 64\n"), mixed.err)
    XCTAssertTrue(mixed.err.contains("lyra run --resume \(id)") && mixed.err.contains("--force"), mixed.err)
  }

  func testADifferingSetIsRefusedWithTheKeyDiffAndForceRecordsTheNewConfig() throws {
    let cfg = try config()
    _ = try lyra(["run", cfg], ctrlCAt: "hpo:trial:1")
    let id = try onlyTask(dir + "/tasks")

    let refused = try lyra(["run", "--resume", id, "--set", "hpo.dataset.train.max_samples=10000", "--seed", "4"])
    XCTAssertEqual(refused.status, 1, refused.out + refused.err)
    XCTAssertTrue(refused.err.contains("2 keys differ (recorded → given):\n  general.seed: 3 → 4\n  hpo.dataset.train.max_samples: 64 → 10000\n"), refused.err)
    XCTAssertFalse((refused.out + refused.err).contains("[hpo]"), "a refused resume runs nothing: \(refused.out + refused.err)")

    let forced = try lyra(["run", "--resume", id, "--set", "hpo.dataset.train.max_samples=32", "--force"], ctrlCAt: "fully_train:epoch:1")
    XCTAssertTrue((forced.out + forced.err).contains("--force: task \(id) now runs with the new config (recorded in the task):\n  hpo.dataset.train.max_samples: 64 → 32\n"), forced.out)
    XCTAssertEqual(resumeCommand(forced, step: "fully_train"), ["run", "--resume", id])

    // The forced config is the recorded one now: a plain resume finishes, the old file is refused.
    let old = try lyra(["run", cfg, "--resume", id])
    XCTAssertTrue(old.err.contains("hpo.dataset.train.max_samples: 32 → 64"), old.err)
    let done = try lyra(["run", "--resume", id])
    XCTAssertEqual(done.status, 0, done.out + done.err)
    let log = done.out + done.err
    XCTAssertTrue(log.contains("[fully_train] epoch 2/2"), "fully_train continued from its epoch 1: \(log)")
    XCTAssertFalse(log.contains("epoch 1/2"), log)
  }

  /// Ctrl-C after the search's last trial, before fully_train starts: one resume line, the
  /// search kept whole, and the resume goes straight on to fully_train.
  func testCtrlCBetweenStepsResumesAtTheNextStep() throws {
    let cfg = try config()
    let first = try lyra(["run", cfg], ctrlCAt: "hpo:trial:2")
    let id = try onlyTask(dir + "/tasks")
    XCTAssertEqual(resumeCommand(first, step: "hpo"), ["run", "--resume", id])
    XCTAssertFalse((first.out + first.err).contains("[fully_train] epoch"), "fully_train did not start")
    let resumed = try lyra(["run", "--resume", id])
    XCTAssertEqual(resumed.status, 0, resumed.out + resumed.err)
    let log = resumed.out + resumed.err
    XCTAssertFalse(log.contains("[hpo] trial"), "no search trial runs again: \(log)")
    XCTAssertTrue(log.contains("[fully_train] epoch 2/2"), log)
  }

  func testCtrlCInFullyTrainOutsideTheDefaultFolderPrintsTheTaskFolderAndIsNotAnError() throws {
    let base = dir + "/runs"
    let cfg = try config(base: base)
    let first = try lyra(["run", cfg], ctrlCAt: "fully_train:epoch:1")
    let id = try onlyTask(base)
    XCTAssertEqual(resumeCommand(first, step: "fully_train"), ["run", "--resume", base + "/" + id])
    XCTAssertFalse(first.err.contains("interrupted!"), "Ctrl-C in fully_train is not an error: \(first.err)")
    let reports = try String(contentsOfFile: "\(base)/\(id)/output/reports.json", encoding: .utf8)
    XCTAssertFalse(reports.contains("\"error\""), reports)

    // The printed command works from any folder.
    let resumed = try lyra(resumeCommand(first, step: "fully_train"), in: dir + "/elsewhere")
    XCTAssertEqual(resumed.status, 0, resumed.out + resumed.err)
    let log = resumed.out + resumed.err
    XCTAssertTrue(log.contains("[hpo] already finished") && log.contains("[fully_train] epoch 2/2"), log)
  }

  func testStepsRunsPartOfThePipelineAndFromNeedsTheEarlierStepsFinished() throws {
    let cfg = try config()
    let refused = try lyra(["run", cfg, "--from", "fully_train"])
    XCTAssertEqual(refused.status, 1, refused.out + refused.err)
    XCTAssertTrue(refused.err.contains("step fully_train needs the outputs of hpo, which has not finished"), refused.err)
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/tasks"), "a refused selection creates no task")

    let hpo = try lyra(["run", cfg, "--steps", "hpo"])
    XCTAssertEqual(hpo.status, 0, hpo.out + hpo.err)
    let id = try onlyTask(dir + "/tasks")
    XCTAssertTrue((hpo.out + hpo.err).contains("[fully_train] not selected; run the rest with: lyra run --resume \(id)"), hpo.out + hpo.err)
    XCTAssertFalse((hpo.out + hpo.err).contains("[fully_train] TrainPipeStep"), hpo.out + hpo.err)

    let rest = try lyra(["run", "--resume", id, "--from", "fully_train"])
    XCTAssertEqual(rest.status, 0, rest.out + rest.err)
    let log = rest.out + rest.err
    XCTAssertTrue(log.contains("[hpo] already finished") && log.contains("[fully_train] finished: 1 trials"), log)
  }
}
