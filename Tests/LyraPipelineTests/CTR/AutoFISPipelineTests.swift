import Foundation
import LyraBase
import LyraData
import LyraNets
@testable import LyraPipeline
import XCTest

/// AutoFIS through the pipeline under VEGA's names: the GRDA search stage writes the kept
/// pairs (the planted ones), the retrain stage trains an AutoGateModel over exactly those;
/// a DeepFM step trains its sparse tables (lazy Adam via the built-in callback) to an AUC
/// well above chance; VEGA's trainer keys are checked.
final class AutoFISPipelineTests: XCTestCase {
  func root(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("lyra-ctr-\(getpid())-\(name)").path
  }

  func config(_ base: String) -> String {
    """
    general: {seed: 0, task: {local_base_path: \(base)}}
    pipeline: [deepfm, search, retrain]
    deepfm:
      pipe_step: {type: TrainPipeStep}
      dataset: {type: SyntheticCtrDataset, batch_size: 256, common: {samples: 5000, data_seed: 2, train_portion: 0.8}}
      model: {model_desc: {type: DeepFactorizationMachineModel, input_dim: 88, embed_dim: 4, hidden_dims: [16]}}
      trainer: {epochs: 2, optimizer: {type: Adam, params: {lr: 0.01}}, lr_scheduler: null, metric: {type: auc}, loss: {type: BCEWithLogitsLoss}}
    search:
      pipe_step: {type: TrainPipeStep}
      dataset: &data
        type: SyntheticCtrDataset
        batch_size: 256
        common: {fields: 8, cardinality: 10, samples: 15000, data_seed: 2, train_portion: 0.8}
      model: {model_desc: {modules: [custom], custom: {type: AutoGateModel, input_dim: 88, input_dim4lookup: 8, embed_dim: 4, selected_pairs: []}}}
      trainer:
        callbacks: AutoGateGrdaS1TrainerCallback
        epochs: 3
        gate_warmup_epochs: 1
        struc_optim: {struct_lr: 0.1}
        net_optim: {net_lr: 0.01}
        c: 0.1
        mu: 0.75
        lr_scheduler: null
        metric: {type: auc}
        loss: {type: BCEWithLogitsLoss}
    retrain:
      pipe_step: {type: TrainPipeStep}
      dataset: *data
      model: {model_desc: {type: AutoGateModel, input_dim: 88, embed_dim: 4, selected_pairs: []}}
      trainer: {callbacks: AutoGateGrdaS2TrainerCallback, epochs: 1, optimizer: {type: Adam, params: {lr: 0.01}}, lr_scheduler: null, metric: {type: auc}, loss: {type: BCEWithLogitsLoss}}
    """
  }

  func testSearchKeepsPlantedPairsAndRetrainUsesThem() throws {
    let base = root("fis")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let p = try Pipeline(document: try YAMLDocument(text: config(base), file: "fis.yml"))
    var lines: [String] = []
    p.log = { lines.append($0) }
    let s = try p.run()
    XCTAssertEqual(s.steps.map(\.status), ["finished", "finished", "finished"])
    let auc = try XCTUnwrap(p.records["deepfm"]?.first?.performance["AUC"])
    XCTAssertGreaterThan(auc, 0.65, "DeepFM's tables trained (an untrained model scores about 0.5)")
    let file = p.output.layout.outputFolder + "/selected_pairs.json"
    let kept = try XCTUnwrap(JSON.parse(try Data(contentsOf: URL(fileURLWithPath: file)))["selected_pairs"]?.array)
      .map { $0.array!.map { $0.int! } }
    var gen = SyntheticCTR()
    gen.seed = 2
    XCTAssertEqual(kept, try gen.plantedPairs().map { [$0.0, $0.1] })
    XCTAssertTrue(lines.contains { $0.contains("[AutoGateGrdaS1TrainerCallback] kept 3 of 28 pairs") }, lines.joined(separator: "\n"))
    XCTAssertTrue(lines.contains { $0.contains("[AutoGateGrdaS2TrainerCallback] retraining over 3 pairs") }, lines.joined(separator: "\n"))
  }

  func testTrainerKeysAreChecked() {
    XCTAssertThrowsError(try TrainerConfig(json: .object(["mu": .number(1.5)]))) { e in XCTAssertTrue("\(e)".contains("trainer.mu"), "\(e)") }
    XCTAssertThrowsError(try TrainerConfig(json: .object(["struc_optim": .object(["struct_rate": .number(1)])]))) { e in
      XCTAssertTrue("\(e)".contains("struc_optim.struct_rate"), "\(e)")
    }
    let c = try? TrainerConfig(json: .object(["net_optim": .object(["net_lr": .number(0.02)]), "c": .number(0.1)]))
    XCTAssertEqual(c?.optimizer.params["lr"], .number(0.02))
    XCTAssertEqual(c?.ctr?.c, 0.1)
  }
}
