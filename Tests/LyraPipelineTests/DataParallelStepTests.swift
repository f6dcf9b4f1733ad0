import XCTest
import LyraBase
import LyraKernels
@testable import LyraPipeline

/// VEGA's HcclTrainStep and HorovodTrainStep run as a TrainPipeStep on this machine's
/// threads, with one warning line saying so.
final class DataParallelStepTests: XCTestCase {
  func testTheDataParallelStepsTrainOnThisMachineWithAWarning() throws {
    for (type, devices) in [("HcclTrainStep", "Ascend"), ("HorovodTrainStep", "GPUs")] {
      let c = try PipelineConfig(document: try YAMLDocument(text: """
      pipeline: [fully_train]
      fully_train:
        pipe_step: {type: \(type)}
        model: {model_desc: {modules: [backbone], backbone: {type: MLP}}}
      """, file: "dp.yml"))
      XCTAssertEqual(c.steps.map(\.type), ["TrainPipeStep"])
      XCTAssertEqual(c.warnings.count, 1, "\(c.warnings)")
      let w = try XCTUnwrap(c.warnings.first)
      XCTAssertEqual(w.key, "fully_train.pipe_step.type")
      XCTAssertEqual(w.line, 3)
      XCTAssertTrue(w.message.hasPrefix("\(type): data-parallel training over \(devices)"), w.message)
      XCTAssertTrue(w.message.hasSuffix("training with \(KernelParallel.maxThreads) thread\(KernelParallel.maxThreads == 1 ? "" : "s") on this machine"), w.message)
    }
  }
}
