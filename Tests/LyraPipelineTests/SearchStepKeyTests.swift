import Foundation
import LyraBase
import LyraNN
import LyraNets
import XCTest
@testable import LyraPipeline

/// The key a search step's check points at comes from the error as a value, never from
/// cutting its text at the first ':' (which gave the file path of a data error, or the
/// module name of a shape error, as the "key").
final class SearchStepKeyTests: XCTestCase {
  func testTrainerValueErrorsCarryTheirKey() {
    XCTAssertThrowsError(try TrainerConfig(json: .object(["epochs": .string("ten")]), path: "hpo.trainer")) { e in
      let k = SearchStep.keyed(e)
      XCTAssertEqual(k?.key, "hpo.trainer.epochs")
      XCTAssertEqual("\(e)", "hpo.trainer.epochs: " + (k?.message ?? "-"), "the text users see is unchanged")
    }
    XCTAssertThrowsError(try TrainerConfig(json: .object(["epoch": .number(2)]), path: "hpo.trainer")) { e in
      XCTAssertEqual(SearchStep.keyed(e)?.key, "hpo.trainer.epoch", "keyed at the unknown key (its line, its --set)")
      XCTAssertTrue("\(e)".hasPrefix("hpo.trainer.epoch: unknown key 'epoch'"), "\(e)")
    }
  }

  func testDatasetAndModelErrorsCarryTheirKey() {
    XCTAssertThrowsError(try DatasetSection(json: .object(["type": .string("FashonMnist")]), path: "hpo.dataset")) { e in
      XCTAssertEqual(SearchStep.keyed(e)?.key, "hpo.dataset.type")
      XCTAssertTrue("\(e)".hasPrefix("hpo.dataset.type: unknown dataset 'FashonMnist'"), "\(e)")
    }
    XCTAssertThrowsError(try NetworkRegistry.build(.object([:]), path: "hpo.model.model_desc", input: [1, 28, 28])) { e in
      XCTAssertEqual(SearchStep.keyed(e), KeyedError("hpo.model.model_desc", "missing 'type' (or 'modules')"))
      XCTAssertEqual("\(e)", "hpo.model.model_desc: missing 'type' (or 'modules')")
    }
    XCTAssertThrowsError(try NetworkRegistry.build(.object(["modules": .array([.number(1)])]), path: "hpo.model.model_desc")) { e in
      XCTAssertEqual(SearchStep.keyed(e), KeyedError("hpo.model.model_desc.modules", "must be a list of part names"))
    }
  }

  /// Text with colons but no key given apart: no key is made up from it.
  func testErrorsWithoutAKeyGiveNone() {
    XCTAssertNil(SearchStep.keyed(TrainerError.config("hpo.trainer.x: text only")))
    XCTAssertNil(SearchStep.keyed(DescriptionError("Conv2d: input [1, 2] is too small")))
    XCTAssertEqual(SearchStep.keyed(KeyedError("a.b", "c: d")), KeyedError("a.b", "c: d"))
  }

  func testTransformErrorsCarryTheirKey() {
    XCTAssertThrowsError(try DatasetTransforms.parse(.object(["num_ops": .string("two")]), path: "hpo.dataset.train.transforms")) { e in
      XCTAssertEqual(SearchStep.keyed(e)?.key, "hpo.dataset.train.transforms.num_ops")
      XCTAssertTrue("\(e)".hasPrefix("hpo.dataset.train.transforms.num_ops: expected an integer"), "\(e)")
    }
  }

  /// End to end: a search step whose model description is broken stops before any trial
  /// with an error at the description's line, found from the key the error carries.
  func testASearchStepsModelErrorPointsAtItsLine() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-keyed-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: base) }
    let yaml = """
      general: {task: {local_base_path: \(base)}}
      pipeline: [hpo]
      hpo:
        pipe_step: {type: SearchPipeStep}
        dataset: {type: FashionMnist}
        search_algorithm: {type: RandomSearch, policy: {num_sample: 1}}
        search_space:
          hyperparameters:
            - {key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.001, 0.1]}
        model:
          model_desc: {type: SimpleCn}
        trainer: {epochs: 1}
      """
    // Found by the check before any step (issue 18): no task is created.
    XCTAssertThrowsError(try Pipeline(document: try YAMLDocument(text: yaml, file: "keyed.yml"))) { e in
      XCTAssertTrue("\(e)".hasPrefix("keyed.yml:11: hpo.model.model_desc: unknown network type 'SimpleCn'"), "\(e)")
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: base), "no task folder for a config that does not validate")
  }
}
