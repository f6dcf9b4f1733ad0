import Foundation
import XCTest
import LyraBase
import LyraSpace
@testable import LyraPipeline

/// The curve a real trial leaves (`curve.json`): training and validation loss beside the
/// metrics, one row per epoch, and a promotion's rows continuing its parent's epochs,
/// which the report joins into one line.
extension TrialTrainingTests {
  func testCurvesHaveLossesAndAPromotionContinuesItsParent() throws {
    let root = dir("curve")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let config: Config = ["trainer.optimizer.params.lr": .double(0.1)]
    _ = try TrialTraining.run(section: section, general: .object([:]), taskRoot: root,
                              spec: TrialSpec(step: "s", trial: 1, config: config, budget: 1, checkpointDir: root + "/b"))
    _ = try TrialTraining.run(section: section, general: .object([:]), taskRoot: root,
                              spec: TrialSpec(step: "s", trial: 2, config: config, budget: 3, resumeFrom: 1,
                                              checkpointDir: root + "/c", resumeFromCheckpointDir: root + "/b"))
    let parent = try XCTUnwrap(LearningCurve.read(LearningCurve.path(taskRoot: root, step: "s", workerID: 1)))
    let child = try XCTUnwrap(LearningCurve.read(LearningCurve.path(taskRoot: root, step: "s", workerID: 2)))
    XCTAssertEqual(parent.points.map(\.epoch), [1], "one row per epoch: the final report adds none")
    XCTAssertEqual(child.points.map(\.epoch), [2, 3], "the promoted trial continues at epoch 2")
    for p in parent.points + child.points {
      for k in ["loss", "valid_loss", "accuracy"] { XCTAssertNotNil(p.values[k], "\(k) at epoch \(p.epoch)") }
    }
    let lineage = CurveLineage(own: [1: parent, 2: child], parent: [2: 1])
    XCTAssertEqual(lineage.joined(2).map(\.epoch), [1, 2, 3])
  }
}
