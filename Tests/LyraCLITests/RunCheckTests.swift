import Foundation
import XCTest

/// Issue 18 at the command line: `lyra run CFG --check` validates only (exit 0, or 1 with
/// every problem), `lyra run` of an invalid config stops before creating a task, and
/// `--set` problems name the `--set`. Nothing here trains: the data folder is empty, and a
/// valid config is only checked.
final class RunCheckTests: XCTestCase {
  var dir = ""

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-runcheck-\(getpid())-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func config(_ name: String, loss: String = "CrossEntropyLoss", optimizer: String = "SGD", laterEpochs: String = "epochs") throws -> String {
    let path = dir + "/\(name).yml"
    try """
      general: {task: {local_base_path: \(dir)/tasks}}
      pipeline: [hpo, fully_train]
      hpo:
        pipe_step: {type: SearchPipeStep}
        dataset: {type: FashionMnist, common: {data_path: \(dir)/data}}
        search_algorithm: {type: RandomSearch, policy: {num_samples: 2}}
        search_space:
          hyperparameters:
            - {key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.001, 0.1]}
        model: {model_desc: {type: SimpleCnn}}
        trainer: {epochs: 1, optimizer: {type: \(optimizer)}, loss: {type: \(loss)}}
      fully_train:
        pipe_step: {type: TrainPipeStep}
        dataset: {ref: hpo.dataset}
        trainer: {ref: hpo.trainer, \(laterEpochs): 2}
      """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  var tasksExist: Bool { FileManager.default.fileExists(atPath: dir + "/tasks") }

  func testCheckOfAValidConfigExitsZeroAndCreatesNothing() throws {
    let r = try runLyra(["run", try config("ok"), "--check"])
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertTrue(r.out.contains("the config is valid"), r.out)
    XCTAssertFalse(tasksExist, "--check creates no task")
  }

  func testCheckListsEveryProblemAndExitsNonZero() throws {
    let cfg = try config("bad", loss: "CrossEntropy", optimizer: "SDG", laterEpochs: "epoch")
    for args in [["run", cfg, "--check"], ["run", "--check", cfg]] {
      let r = try runLyra(args)
      XCTAssertEqual(r.status, 1, r.err)
      XCTAssertTrue(r.err.contains("3 problems in the config"), r.err)
      XCTAssertTrue(r.err.contains("bad.yml:11: hpo.trainer.optimizer: unknown optimizer 'SDG' (did you mean 'SGD'?)"), r.err)
      XCTAssertTrue(r.err.contains("bad.yml:11: hpo.trainer.loss: unknown loss 'CrossEntropy' (did you mean 'CrossEntropyLoss'?)"), r.err)
      XCTAssertTrue(r.err.contains("bad.yml:15: fully_train.trainer.epoch: unknown key 'epoch' (did you mean 'epochs'?)"), r.err)
    }
    XCTAssertFalse(tasksExist)
  }

  /// Without --check the same list stops the run before a task folder exists (it used to be
  /// "all 2 trials failed" after the search ran, then the typo of the later step).
  func testRunOfAnInvalidConfigStopsBeforeCreatingATask() throws {
    let r = try runLyra(["run", try config("bad", loss: "CrossEntropy", laterEpochs: "epoch")])
    XCTAssertEqual(r.status, 1, r.err)
    XCTAssertTrue(r.err.contains("2 problems in the config"), r.err)
    XCTAssertFalse(r.err.contains("trial"), r.err)
    XCTAssertFalse(tasksExist, "no task folder for a config that does not validate")
  }

  func testSetProblemsNameTheSetArgument() throws {
    let r = try runLyra(["run", try config("ok"), "--check", "--set", "hpo.trainer.epoch=2", "--set", "hpo.dataset.common.data_path=\(dir)/gone"])
    XCTAssertEqual(r.status, 1, r.err)
    XCTAssertTrue(r.err.contains("  --set hpo.trainer.epoch=2: unknown key 'epoch' (did you mean 'epochs'?)\n"), r.err)
    XCTAssertTrue(r.err.contains("  --set hpo.dataset.common.data_path=\(dir)/gone: '\(dir)/gone' does not exist\n"), r.err)
    XCTAssertFalse(r.err.contains("ok.yml:"), "no line of the file for a value it does not hold: \(r.err)")
    let fixed = try runLyra(["run", try config("ok"), "--check", "--set", "hpo.trainer.epochs=2"])
    XCTAssertEqual(fixed.status, 0, fixed.err)
  }
}
