import Foundation
import XCTest
import LyraBase

/// Issue 6 / 14: a pipeline (TPE search, then fully_train) killed with SIGKILL five times
/// — inside search trials and inside fully_train's epochs — and resumed each time ends
/// exactly as an uninterrupted run: the same trials, the same final model (all its
/// epochs), and the finished search step's summary intact in reports.json and `lyra
/// status`. The kill moments are drawn from a seeded generator and reached through the
/// self-kill switch, so no sleep or machine speed decides where a kill lands.
final class PipelineResumeTests: XCTestCase {
  let yaml = """
    general: {seed: 7, task: {local_base_path: BASE}}
    pipeline: [hpo, fully_train]
    hpo:
      pipe_step: {type: SearchPipeStep}
      dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 256}, test: {max_samples: 128}}
      search_algorithm: {type: TpeHpo, objective_keys: accuracy, policy: {num_samples: 6, warmup_count: 3}}
      search_space:
        hyperparameters:
          - {key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.005, 0.3]}
          - {key: network.backbone.hidden, type: CATEGORY, range: [[16], [32]]}
      model: {model_desc: {modules: [backbone], backbone: {type: MLP}}}
      trainer: {type: Trainer, epochs: 2, optimizer: {type: SGD, params: {lr: 0.05, momentum: 0.9}}}
    fully_train:
      pipe_step: {type: TrainPipeStep}
      dataset: {ref: hpo.dataset}
      trainer: {ref: hpo.trainer, epochs: 3}
    """

  func testFiveSeededKillsInsideSearchAndFullyTrainThenResumeMatchesAnUninterruptedRun() throws {
    let run = try PipelineKillRun("resume")
    defer { run.remove() }
    let reference = try run.reference(try run.config("a", yaml), "a")
    XCTAssertEqual(reference.filter { $0.hasPrefix("  #") }.count, 7, reference.joined(separator: "\n"))

    // 6 trials × 2 epochs × 4 batches, then 3 epochs of fully_train: each kill below
    // lands strictly inside what is left after the kills before it.
    var dice = KillDice(seed: 14)
    let kills = ["hpo:epoch:\(dice.roll(1...3))", "hpo:result:\(dice.roll(1...2))", "hpo:batch:\(dice.roll(1...4))",
                 "fully_train:epoch:\(dice.roll(1...2))", "fully_train:batch:\(dice.roll(1...3))"]
    let resumed = try run.killed(try run.config("b", yaml), "b", at: kills)
    XCTAssertEqual(resumed, reference, "kills at \(kills)")

    // The fully trained model ran all its epochs; the search's summary survived.
    XCTAssertTrue(resumed.contains { $0.contains("epochs 3") }, resumed.joined(separator: "\n"))
    XCTAssertTrue(resumed.contains { $0.hasPrefix("step hpo finished models 6 best [") && !$0.hasSuffix("best []") },
                  resumed.joined(separator: "\n"))
    let status = try runLyra(["status", run.dir + "/b/" + run.task("b")])
    XCTAssertEqual(status.status, 0, status.err)
    XCTAssertTrue(status.out.contains("hpo: finished") && status.out.contains("best #"), status.out)
  }

  /// The issue's case itself: killed right after fully_train's first epoch, the resumed
  /// task must train epochs 2-3 (not report the epoch-1 model as finished).
  func testKillAfterFirstFullyTrainEpochResumesTheRemainingEpochs() throws {
    let run = try PipelineKillRun("ft-epoch1")
    defer { run.remove() }
    let small = yaml.replacingOccurrences(of: "num_samples: 6, warmup_count: 3", with: "num_samples: 2, warmup_count: 2")
    let reference = try run.reference(try run.config("a", small), "a")
    let resumed = try run.killed(try run.config("b", small), "b", at: ["fully_train:epoch:1"])
    XCTAssertEqual(resumed, reference)
    let root = run.dir + "/b/" + (try run.task("b"))
    let log = try String(contentsOfFile: root + "/logs/pipeline.log", encoding: .utf8)
    XCTAssertTrue(log.contains("step fully_train finished"), log)
    let ck = try JSON.parse(FileManager.default.contents(atPath: root + "/output/reports.json") ?? Data())
    XCTAssertEqual(ck["fully_train"]?.array?.first?["num_epochs"]?.double, 3, "num_epochs present and complete")
  }
}
