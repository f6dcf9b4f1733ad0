import Foundation
import XCTest
import LyraBase
@testable import LyraPipeline

/// A train step whose model fails stops the run with the reason: the next step would
/// otherwise inherit an output folder without weights and fail on that instead (a
/// `fine_tune` refused by the memory guard showed only "model 0: failed").
final class TrainStepFailureTests: XCTestCase {
  func config(lr: String) -> (String) -> String {
    { base in
      """
        general: {seed: 1, task: {local_base_path: \(base)}}
        pipeline: [fine_tune, fully_train]
        fine_tune:
          pipe_step: {type: TrainPipeStep}
          dataset: {type: FashionMnist, common: {batch_size: 16}, train: {max_samples: 32}, test: {max_samples: 16}}
          model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [8]}}}
          trainer: {epochs: 1, optimizer: {type: SGD, params: {lr: \(lr)}}}
        fully_train:
          pipe_step: {type: TrainPipeStep, models_folder: "{local_base_path}/output/fine_tune/"}
          dataset: {ref: fine_tune.dataset}
          trainer: {epochs: 1}
        """
    }
  }

  func testAFailedModelStopsTheRunWithItsReason() throws {
    XCTAssertThrowsError(try TinyPipelineRun.run("train-fail", config(lr: "1.0e+30"))) { error in
      let text = "\(error)"
      XCTAssertTrue(text.contains("fine_tune: model 0 failed: training diverged"), text)
    }
    let (_, s) = try TinyPipelineRun.run("train-ok", config(lr: "0.01"))
    XCTAssertEqual(s.steps.map(\.status), ["finished", "finished"])
  }
}
