import Foundation
import XCTest
import LyraBase
import LyraSpace
@testable import LyraPipeline

/// One trial trained from data: a restart from its own checkpoint, or a promotion from
/// another trial's checkpoint, continues exactly as an uninterrupted run.
final class TrialTrainingTests: XCTestCase {
  let section: JSON = try! YAMLDocument(text: """
    dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 384}, test: {max_samples: 128}}
    model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [16]}}}
    trainer: {type: Trainer, epochs: 2, optimizer: {type: SGD, params: {lr: 0.05, momentum: 0.9}}}
    """).value

  func dir(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("lyra-tt-\(getpid())-\(name)").path
  }

  func testResumedTrainingEqualsUninterrupted() throws {
    let root = dir("root")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let config: Config = ["trainer.optimizer.params.lr": .double(0.1)]
    let full = try TrialTraining.run(section: section, general: .object([:]), taskRoot: root,
                                     spec: TrialSpec(step: "s", trial: 0, config: config, budget: 2, checkpointDir: root + "/a"))
    _ = try TrialTraining.run(section: section, general: .object([:]), taskRoot: root,
                              spec: TrialSpec(step: "s", trial: 1, config: config, budget: 1, checkpointDir: root + "/b"))
    // A restart of trial 1 with a larger budget continues from its own epoch-1 checkpoint.
    let resumed = try TrialTraining.run(section: section, general: .object([:]), taskRoot: root,
                                        spec: TrialSpec(step: "s", trial: 1, config: config, budget: 2, attempt: 2, checkpointDir: root + "/b"))
    XCTAssertEqual(resumed.result.metrics["accuracy"], full.result.metrics["accuracy"])
    XCTAssertEqual(resumed.result.metrics["loss"], full.result.metrics["loss"])
    // A promotion (trial 2 resuming from trial 1's checkpoint dir) too.
    let promoted = try TrialTraining.run(section: section, general: .object([:]), taskRoot: root,
                                         spec: TrialSpec(step: "s", trial: 2, config: config, budget: 2, resumeFrom: 1,
                                                         checkpointDir: root + "/c", resumeFromCheckpointDir: root + "/b"))
    XCTAssertEqual(promoted.result.metrics["accuracy"], full.result.metrics["accuracy"])
  }
}
