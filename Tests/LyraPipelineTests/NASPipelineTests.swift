import Foundation
import XCTest
import LyraBase
@testable import LyraPipeline

/// Issue 7 in the pipeline: block search → macro search (blocks from the first step's
/// models) → fully train, multi-objective, on a small budget; and BackboneNas on ResNet.
final class NASPipelineTests: XCTestCase {
  func root(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("lyra-nas-\(getpid())-\(name)").path
  }

  func testDNetBlockThenMacroThenFullyTrain() throws {
    let base = root("dnet")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let yaml = """
      general: {seed: 2, task: {local_base_path: \(base)}}
      pipeline: [block_nas, net_nas, fully_train]
      block_nas:
        pipe_step: {type: SearchPipeStep}
        dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 64}, test: {max_samples: 32}}
        search_algorithm: {type: DblockNas, objective_keys: [accuracy, flops], policy: {macro: "1-2"}, range: {min_sample: 3, max_sample: 4}}
        search_space:
          hyperparameters:
            - {key: network.backbone.op_num, type: CATEGORY, range: [2, 3]}
            - {key: network.backbone.skip_num, type: CATEGORY, range: [0, 1]}
            - {key: network.backbone.base_channel, type: CATEGORY, range: [8]}
        model: {model_desc: {modules: [backbone], backbone: {type: DNet, small_input: true}}}
        trainer: {epochs: 1, optimizer: {type: SGD, params: {lr: 0.05, momentum: 0.9}}, metric: {type: accuracy, params: {topk: [1]}}}
      net_nas:
        pipe_step: {type: SearchPipeStep}
        dataset: {ref: block_nas.dataset}
        search_algorithm: {type: DnetNas, objective_keys: [accuracy, flops], range: {min_sample: 3, max_sample: 4}}
        search_space:
          hyperparameters:
            - {key: network.backbone.code_length, type: INT, range: [3, 4]}
            - {key: network.backbone.base_channel, type: CATEGORY, range: [8]}
            - {key: network.backbone.final_channel, type: CATEGORY, range: [16]}
            - {key: network.backbone.downsample, type: CATEGORY, range: [1]}
        model:
          models_folder: "{local_base_path}/output/block_nas/"
          model_desc: {modules: [backbone], backbone: {type: DNet, small_input: true}}
        trainer: {ref: block_nas.trainer}
      fully_train:
        pipe_step: {type: TrainPipeStep, models_folder: "{local_base_path}/output/net_nas/"}
        dataset: {ref: block_nas.dataset}
        trainer: {ref: block_nas.trainer}
      """
    let p = try Pipeline(document: try YAMLDocument(text: yaml, file: "dnet.yml"))
    p.log = { _ in }
    let s = try p.run()
    XCTAssertEqual(s.steps.map(\.status), ["finished", "finished", "finished"])
    // Every net_nas trial used the best block of block_nas, with a macro of the sampled form.
    let blockRecords = try XCTUnwrap(p.records["block_nas"]), netRecords = try XCTUnwrap(p.records["net_nas"])
    XCTAssertEqual(blockRecords.count, 4)
    XCTAssertEqual(netRecords.count, 4)
    func encoding(_ r: TrialRecord) -> String? { r.desc["backbone"]?["encoding"]?.string }
    let best = blockRecords.filter { $0.status == .finished }.max { ($0.performance["accuracy"] ?? 0) < ($1.performance["accuracy"] ?? 0) }
    let bestBlock = try XCTUnwrap(best.flatMap(encoding)?.split(separator: "_").first)
    for r in netRecords {
      let e = try XCTUnwrap(encoding(r))
      let parts = e.split(separator: "_", omittingEmptySubsequences: false)
      XCTAssertEqual(parts.count, 3, e)
      XCTAssertEqual(parts[0], bestBlock, e)
      XCTAssertEqual(parts[2].filter { $0 == "-" }.count, 1, e)
      XCTAssertEqual(parts[2].filter { $0 == "2" }.count, 1, "8 -> 16 is one doubling: \(e)")
      XCTAssertEqual(r.desc["backbone"]?["in_channels"]?.int, 1, "the data's channel count is recorded")
    }
    // The Pareto models were handed on and fully trained.
    XCTAssertGreaterThanOrEqual(try XCTUnwrap(p.records["fully_train"]).count, 1)
    XCTAssertTrue(FileManager.default.fileExists(atPath: s.root + "/output/report.html"))
  }

  func testBackboneNasOnResNet() throws {
    let base = root("backbone")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let yaml = """
      general: {seed: 1, task: {local_base_path: \(base)}}
      pipeline: [nas]
      nas:
        pipe_step: {type: SearchPipeStep}
        dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 64}, test: {max_samples: 32}}
        search_algorithm: {type: BackboneNas, codec: BackboneNasCodec, objective_keys: [accuracy, flops],
                           policy: {num_mutate: 2, random_ratio: 0.2}, range: {max_sample: 4, min_sample: 2}}
        search_space:
          hyperparameters:
            - {key: network.backbone.depth, type: CATEGORY, range: [18, 20]}
            - {key: network.backbone.base_channel, type: CATEGORY, range: [4, 8]}
            - {key: network.backbone.doublechannel, type: CATEGORY, range: [1, 2]}
            - {key: network.backbone.downsample, type: CATEGORY, range: [1, 2]}
        model: {model_desc: {modules: [backbone], backbone: {type: ResNet, num_class: 10}}}
        trainer: {type: Trainer, epochs: 1}
      """
    let p = try Pipeline(document: try YAMLDocument(text: yaml, file: "backbone.yml"))
    p.log = { _ in }
    let s = try p.run()
    XCTAssertEqual(s.steps.first?.status, "finished")
    let records = try XCTUnwrap(p.records["nas"])
    XCTAssertEqual(records.count, 4)
    for r in records {
      XCTAssertEqual(r.status, .finished, r.message ?? "")
      let depth = try XCTUnwrap(r.desc["backbone"]?["depth"]?.int)
      let dc = try XCTUnwrap(r.desc["backbone"]?["doublechannel"]?.array)
      XCTAssertEqual(dc.count, depth == 18 ? 8 : 9)
      XCTAssertTrue((1...2).contains(dc.filter { $0.int == 1 }.count))
    }
  }

  /// `general.quota` on a convolutional search: a bound every model meets lets every
  /// sample train (it once pruned them all: the check gave the model a 5-D input), and
  /// a bound none meets prunes them with the reason recorded and reported.
  func testQuotaOnAConvolutionalSearchPassesOrNamesItsReason() throws {
    func run(_ quota: String) throws -> (Pipeline, Result<Pipeline.Summary, Error>) {
      let base = root("quota")
      let yaml = """
        general: {seed: 1, quota: "\(quota)", task: {local_base_path: \(base)}}
        pipeline: [nas]
        nas:
          pipe_step: {type: SearchPipeStep}
          dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 64}, test: {max_samples: 32}}
          search_algorithm: {type: BackboneNas, codec: BackboneNasCodec, objective_keys: [accuracy],
                             policy: {num_mutate: 2, random_ratio: 0.2}, range: {max_sample: 2, min_sample: 2}}
          search_space:
            hyperparameters:
              - {key: network.backbone.depth, type: CATEGORY, range: [18]}
              - {key: network.backbone.base_channel, type: CATEGORY, range: [4]}
          model: {model_desc: {modules: [backbone], backbone: {type: ResNet, num_class: 10}}}
          trainer: {type: Trainer, epochs: 1}
        """
      let p = try Pipeline(document: try YAMLDocument(text: yaml, file: "quota.yml"))
      p.log = { _ in }
      return (p, Result { try p.run() })
    }
    let (ok, okRun) = try run("params < 1e10 and flops < 1e3")
    defer { try? FileManager.default.removeItem(atPath: root("quota")) }
    XCTAssertEqual(try okRun.get().steps.first?.status, "finished")
    let records = try XCTUnwrap(ok.records["nas"])
    XCTAssertFalse(records.isEmpty)
    for r in records { XCTAssertEqual(r.status, .finished, r.message ?? "") }
    let (_, noneRun) = try run("params < 0.01")
    XCTAssertThrowsError(try noneRun.get()) { e in
      XCTAssertTrue("\(e)".contains("trials failed; the first error: quota: params < 0.01: "), "\(e)")
      XCTAssertFalse("\(e)".contains("00000"), "the value is rounded: \(e)")
    }
  }
}
