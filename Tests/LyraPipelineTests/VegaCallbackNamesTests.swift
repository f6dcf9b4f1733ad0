import XCTest
import LyraBase
import LyraData
@testable import LyraPipeline

/// `trainer.callbacks` with VEGA's names: accepted (mapped onto what Lyra does), unknown
/// names refused with a hint only when one is close.
final class VegaCallbackNamesTests: XCTestCase {
  func problems(_ callbacks: String) throws -> [String] {
    try TrainerConfig(json: try YAMLDocument(text: "{callbacks: \(callbacks)}").value, path: "s.trainer")
      .componentProblems(path: "s.trainer").map { "\($0)" }
  }

  func testVegaNamesAreAccepted() throws {
    XCTAssertEqual(try problems("PbtTrainerCallback"), [])
    XCTAssertEqual(try problems("[PbaTrainerCallback, ModelCheckpoint, ProgressLogger]"), [])
    for (name, _) in VegaCallbackNames.entries { XCTAssertEqual(try problems(name), [], name) }
  }

  func testUnknownNamesGetOnlyCloseHints() throws {
    XCTAssertEqual(try problems("PbtTrainerCalback"),
                   ["s.trainer.callbacks: unknown callback 'PbtTrainerCalback' (did you mean 'PbtTrainerCallback'?)"])
    XCTAssertEqual(try problems("SegmentationEATrainerCallback"), ["s.trainer.callbacks: unknown callback 'SegmentationEATrainerCallback'"])
  }

  /// A mapped name adds a callback that does nothing to the training: same weights.
  func testMappedNameChangesNothing() throws {
    let ds = Synthetic.dataset(count: 32, seed: 4)
    func trained(_ callbacks: String) throws -> [Float] {
      let m = Synthetic.model(seed: 2)
      let t = try Trainer(json: try YAMLDocument(text: "{epochs: 2, callbacks: \(callbacks)}").value, model: m,
                          train: DataLoader(ds, batchSize: 16, prefetch: 0), valid: nil)
      t.log = { _ in }
      try t.train()
      return m.parameters().flatMap { $0.toArray() }
    }
    XCTAssertEqual(try trained("[PbaTrainerCallback, ModelStatistics]"), try trained("[]"))
  }
}
