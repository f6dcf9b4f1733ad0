import XCTest
import LyraBase
@testable import LyraPipeline

/// VEGA's dataset and scheduler keys its example configs carry (dnet_nas, auto_lane, spnas).
final class VegaDatasetKeysTests: XCTestCase {
  func loader(_ common: String) throws {
    let doc = try YAMLDocument(text: "{type: FashionMnist, common: \(common)}", file: "d.yml")
    _ = try DatasetSection(json: doc.value).loader(.train, checkOnly: true)
  }

  func testNClassIsAcceptedAndItsFormChecked() throws {
    XCTAssertNoThrow(try loader("{n_class: 1000, dataset_backend: pytorch}"))
    XCTAssertThrowsError(try loader("{n_class: -3}")) { XCTAssertTrue("\($0)".contains("dataset.train.n_class"), "\($0)") }
    XCTAssertThrowsError(try loader("{n_class: ten}")) { XCTAssertTrue("\($0)".contains("dataset.train.n_class"), "\($0)") }
  }

  func trainer(_ text: String) throws -> TrainerConfig {
    try TrainerConfig(json: try YAMLDocument(text: text, file: "t.yml").value)
  }

  func testTheSchedulerAfterWarmUpSetsTheScheduleUnit() throws {
    func warmup(_ outer: String, _ inner: Bool) -> String {
      "{lr_scheduler: {type: WarmupScheduler\(outer), params: {warmup_iters: 3, after_scheduler_config: {by_epoch: \(inner), type: StepLR}}}}"
    }
    XCTAssertEqual(try trainer(warmup("", false)).schedulerByEpoch, false)
    XCTAssertEqual(try trainer(warmup("", true)).schedulerByEpoch, true)
    XCTAssertEqual(try trainer(warmup(", by_epoch: false", false)).schedulerByEpoch, false)
    XCTAssertThrowsError(try trainer(warmup(", by_epoch: true", false))) {
      XCTAssertTrue("\($0)".contains("lr_scheduler.params.after_scheduler_config.by_epoch"), "\($0)")
    }
    XCTAssertThrowsError(try trainer("{lr_scheduler: {type: WarmupScheduler, params: {after_scheduler_config: {by_epoch: 2, type: StepLR}}}}"))
  }
}
