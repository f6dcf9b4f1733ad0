import Foundation
import XCTest
import LyraBase
@testable import LyraPipeline

/// The networks of VEGA's fmd, ghostnet_nas and nago examples through the pipeline, on a tiny budget.
final class VegaNetworkPipelineTests: XCTestCase {
  func testFmdNetworkFullyTrains() throws {
    let (p, s) = try TinyPipelineRun.run("fmd") { base in
      """
        general: {seed: 1, task: {local_base_path: \(base)}}
        pipeline: [fully_train]
        fully_train:
          pipe_step: {type: TrainPipeStep}
          dataset: {type: FashionMnist, common: {batch_size: 32}, train: {max_samples: 64}, test: {max_samples: 32}}
          model: {model_desc: {modules: [custom], custom: {type: FmdNetwork, depth: 8, num_classes: 10, args: {drop_prob: 0.03, alpha: 5, block_size: 6}}}}
          trainer: {type: Trainer, epochs: 1}
        """
    }
    XCTAssertEqual(s.steps.map(\.status), ["finished"])
    let r = try XCTUnwrap(p.records["fully_train"]?.first)
    XCTAssertEqual(r.status, .finished, r.message ?? "")
    XCTAssertNotNil(r.performance["accuracy"], "the trained model was evaluated")
  }

  /// BayesSearch's `num_samples` directly under search_algorithm (VEGA's BayesConfig).
  func testGhostNetNasSearchWithBayesSearchKeys() throws {
    let (p, s) = try TinyPipelineRun.run("ghost") { base in
      """
        general: {seed: 1, task: {local_base_path: \(base)}}
        pipeline: [nas]
        nas:
          pipe_step: {type: SearchPipeStep}
          search_algorithm: {type: BayesSearch, objective_keys: [accuracy, params], num_samples: 2}
          search_space:
            hyperparameters:
              - {key: network.block, type: CATEGORY, range: [BasicBlock, Bottleneck]}
              - {key: network.stage1, type: INT, range: [2, 3]}
          dataset: {type: FashionMnist, common: {batch_size: 32}, train: {max_samples: 32}, test: {max_samples: 32}}
          model: {model_desc: {type: GhostNetNas, num_classes: 10, base_channel: 4, stage2: 1, stage3: 1, stage4: 1}}
          trainer: {type: Trainer, epochs: 1, loss: {type: CrossEntropyLoss, params: {sparse: true}}}
        """
    }
    XCTAssertEqual(s.steps.map(\.status), ["finished"])
    let records = try XCTUnwrap(p.records["nas"])
    XCTAssertEqual(records.count, 2)
    for r in records {
      XCTAssertEqual(r.status, .finished, r.message ?? "")
      XCTAssertTrue(["BasicBlock", "Bottleneck"].contains(r.desc["block"]?.string ?? ""), "\(r.desc)")
    }
  }

  /// NAGO's generator keys sampled by the search, as examples/nas/nago; a small parameter budget.
  func testNagoSearch() throws {
    let (p, s) = try TinyPipelineRun.run("nago") { base in
      """
        general: {seed: 1, task: {local_base_path: \(base)}}
        pipeline: [nas]
        nas:
          pipe_step: {type: SearchPipeStep}
          search_algorithm: {type: RandomSearch, policy: {num_sample: 2}}
          search_space:
            hyperparameters:
              - {key: network.custom.G1_nodes, type: INT, range: [3, 5]}
              - {key: network.custom.G1_K, type: INT, range: [2, 5]}
              - {key: network.custom.G1_P, type: FLOAT, range: [0.1, 1.0]}
              - {key: network.custom.G2_nodes, type: INT, range: [3, 5]}
              - {key: network.custom.G2_P, type: FLOAT, range: [0.2, 1.0]}
              - {key: network.custom.G3_nodes, type: INT, range: [3, 5]}
              - {key: network.custom.G3_K, type: INT, range: [2, 5]}
              - {key: network.custom.G3_P, type: FLOAT, range: [0.1, 1.0]}
          dataset: {type: FashionMnist, common: {batch_size: 32}, train: {max_samples: 32}, test: {max_samples: 32}}
          model: {model_desc: {modules: [custom], custom: {type: NAGO, n_param_limit: 5000, num_classes: 10,
                  stage1_ratio: 1.0, stage2_ratio: 1.0, stage3_ratio: 1.0, ch1_ratio: 1, ch2_ratio: 2, ch3_ratio: 4}}}
          trainer: {type: Trainer, epochs: 1}
        """
    }
    XCTAssertEqual(s.steps.map(\.status), ["finished"])
    let records = try XCTUnwrap(p.records["nas"])
    XCTAssertEqual(records.count, 2)
    for r in records {
      XCTAssertEqual(r.status, .finished, r.message ?? "")
      XCTAssertNotNil(r.desc["custom"]?["G2_P"]?.double, "\(r.desc)")
    }
  }

  func testBayesSearchKeyGivenTwiceAndSparseFalseAreErrors() throws {
    func problem(_ extra: String, _ loss: String = "") -> String {
      let yaml = """
        pipeline: [nas]
        nas:
          pipe_step: {type: SearchPipeStep}
          search_algorithm: {type: BayesSearch, num_samples: 2\(extra)}
          search_space: {hyperparameters: [{key: network.stage1, type: INT, range: [2, 3]}]}
          dataset: {type: FashionMnist}
          model: {model_desc: {type: GhostNetNas, base_channel: 4}}
          trainer: {type: Trainer, epochs: 1\(loss)}
        """
      do {
        _ = try Pipeline(document: try YAMLDocument(text: yaml, file: "g.yml"))
        return ""
      } catch { return "\(error)" }
    }
    XCTAssertTrue(problem(", policy: {num_samples: 3}").contains("search_algorithm.num_samples: given here and as policy.num_samples"), problem(", policy: {num_samples: 3}"))
    XCTAssertTrue(problem(", tuner: RF").contains("search_algorithm.tuner: unknown key"))
    XCTAssertTrue(problem("", ", loss: {type: CrossEntropyLoss, params: {sparse: false}}").contains("sparse: only sparse: true"))
  }
}
