import XCTest
import LyraBase
@testable import LyraPipeline

/// VEGA's `trainer.hps_file`: a TrainPipeStep that trains its own `model_desc` takes the
/// hyperparameters the earlier search found (VEGA's HPO examples: `fully_train` with
/// `model: {ref: hpo.model}` and `hps_file: "{local_base_path}/output/hpo"`).
final class HpsFileTests: XCTestCase {
  func config(base: String, hpsFile: String?) -> String {
    """
    general: {seed: 2, task: {local_base_path: \(base)}}
    pipeline: [hpo, fully_train]
    hpo:
      pipe_step: {type: SearchPipeStep}
      dataset: {type: FashionMnist, common: {batch_size: 32}, train: {max_samples: 64}, test: {max_samples: 32}}
      search_algorithm: {type: RandomSearch, policy: {num_samples: 2}}
      search_space:
        hyperparameters:
          - {key: trainer.optimizer.params.lr, type: CATEGORY, range: [0.0123, 0.0456]}
      model: {model_desc: {modules: [b], b: {type: MLP, hidden: [4]}}}
      trainer: {type: Trainer, epochs: 1}
    fully_train:
      pipe_step: {type: TrainPipeStep}
      dataset: {ref: hpo.dataset}
      model: {ref: hpo.model}
      trainer: {ref: hpo.trainer, epochs: 1\(hpsFile.map { ", hps_file: \"\($0)\"" } ?? "")}
    """
  }

  func run(_ text: String) throws -> Pipeline {
    let p = try Pipeline(document: try YAMLDocument(text: text, file: "hps.yml"))
    p.log = { _ in }
    _ = try p.run()
    return p
  }

  func testFullyTrainTakesTheSearchedHyperparametersFromTheFile() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-hps-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: base) }
    let p = try run(config(base: base, hpsFile: "{local_base_path}/output/hpo"))
    let best = try XCTUnwrap(p.records["hpo"]?.first { $0.status == .finished && $0.hps["trainer"] != nil })
    let searched = try XCTUnwrap(best.hps["trainer"]?["optimizer"]?["params"]?["lr"]?.double)
    let trained = try XCTUnwrap(p.records["fully_train"]?.first)
    XCTAssertEqual(trained.hps["trainer"]?["optimizer"]?["params"]?["lr"]?.double, searched)
    // Without hps_file the step trains its own description with no searched values.
    let q = try run(config(base: base, hpsFile: nil))
    XCTAssertNil(q.records["fully_train"]?.first?.hps["trainer"]?["optimizer"])
  }

  func testAMissingFileNamesTheKey() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-hps-missing-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: base) }
    XCTAssertThrowsError(try run(config(base: base, hpsFile: "/nonexistent/hps_1.json"))) { e in
      XCTAssertTrue("\(e)".contains("fully_train.trainer.hps_file: '/nonexistent/hps_1.json' does not exist"), "\(e)")
    }
  }
}
