import Foundation
import XCTest
import LyraBase

/// A MultiTaskPipeStep killed after a task's turn and mid-turn resumes at the turn it was
/// in, with the weights every task left: its records equal an uninterrupted run's.
final class MultiTaskKillTests: XCTestCase {
  func testKilledAfterATurnAndMidTurnResumesToTheSameResult() throws {
    let yaml = """
      general: {seed: 1, task: {local_base_path: BASE}}
      pipeline: [multi]
      multi:
        pipe_step: {type: MultiTaskPipeStep, tasks: [a, b], multi_task_epochs: 2}
        dataset: {type: FashionMnist, common: {batch_size: 32}, train: {max_samples: 64}, test: {max_samples: 32}}
        trainer: {epochs: 1, optimizer: {type: SGD, params: {lr: 0.3}}}
        a:
          model: {model_desc: {modules: [backbone, head_a], backbone: {type: MLP, hidden: [8]}, head_a: {type: MLP, in_features: 10, hidden: []}}}
        b:
          model: {model_desc: {modules: [backbone, head_b], backbone: {type: MLP, hidden: [8]}, head_b: {type: MLP, in_features: 10, hidden: []}}}
      """
    let run = try PipelineKillRun("multitask")
    defer { run.remove() }
    let reference = try run.reference(try run.config("a", yaml), "a")
    XCTAssertEqual(reference.filter { $0.hasPrefix("  #") }.count, 2, reference.joined(separator: "\n"))
    // The first run dies once task a's first turn is stored; the resumed one trains b's
    // turn (2 batches) and dies in the first batch of a's second turn (its batch 3).
    let resumed = try run.killed(try run.config("b", yaml), "b", at: ["multi:trial:1", "multi:batch:3"])
    XCTAssertEqual(resumed, reference)
  }
}
