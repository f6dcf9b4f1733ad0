import Foundation
import XCTest
import LyraBase
import LyraNN
@testable import LyraPipeline

/// Issue 8 in the pipeline, on a small budget: fully_train -> PruneEA -> fine-tune from
/// the pruned weights, and fully_train -> QuantEA with integer weights saved.
final class CompressionPipelineTests: XCTestCase {
  func root(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("lyra-compress-\(getpid())-\(name)").path
  }

  func config(_ base: String, step: String) -> String {
    let search = step == "prune"
      ? "{type: PruneEA, objective_keys: [accuracy, flops], policy: {num_individual: 2, num_generation: 1, random_samples: 2, min_keep: 0.25}}"
      : "{type: QuantEA, objective_keys: [accuracy, model_size], policy: {num_individual: 2, num_generation: 1, random_samples: 2, bit_candidates: [2, 8]}}"
    return """
      general: {seed: 0, task: {local_base_path: \(base)}}
      pipeline: [fully_train, \(step), fine_tune]
      fully_train:
        pipe_step: {type: TrainPipeStep}
        dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 256}, test: {max_samples: 64}}
        model: {model_desc: {modules: [backbone], backbone: {type: SimpleCnn, channels: 8, hidden: 16}}}
        trainer: {epochs: 1, optimizer: {type: SGD, params: {lr: 0.05, momentum: 0.9}}, metric: {type: accuracy, params: {topk: [1]}}}
      \(step):
        pipe_step: {type: SearchPipeStep}
        dataset: {ref: fully_train.dataset}
        search_algorithm: \(search)
        model: {models_folder: "{local_base_path}/output/fully_train/"}
        trainer: {ref: fully_train.trainer}
      fine_tune:
        pipe_step: {type: TrainPipeStep, models_folder: "{local_base_path}/output/\(step)/", load_weights: true}
        dataset: {ref: fully_train.dataset}
        trainer: {ref: fully_train.trainer}
      """
  }

  func testPruneEAMakesSmallerNetworksThatFineTune() throws {
    let base = root("prune")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let p = try Pipeline(document: try YAMLDocument(text: config(base, step: "prune"), file: "prune.yml"))
    p.log = { _ in }
    let s = try p.run()
    XCTAssertEqual(s.steps.map(\.status), ["finished", "finished", "finished"])
    let full = try XCTUnwrap(p.records["fully_train"]?.first)
    let fullFlops = try XCTUnwrap(full.performance["flops"])
    let pruned = try XCTUnwrap(p.records["prune"])
    XCTAssertEqual(pruned.count, 4)
    for r in pruned where r.status == .finished {
      XCTAssertLessThan(try XCTUnwrap(r.performance["flops"]), fullFlops, "a pruned net has fewer MACs")
      // Its description is the smaller network itself: it rebuilds, and the weights load.
      let model = try ModuleRegistry.build(r.desc)
      XCTAssertLessThan(model.parameterCount, 2 * 8 * 9 + 8 * 16 * 9 + 16 * 7 * 7 * 16 + 16 * 10 + 1000)
    }
    // The fine-tune step started from the pruned weights: the handed files exist and it trained.
    let tuned = try XCTUnwrap(p.records["fine_tune"])
    XCTAssertFalse(tuned.isEmpty)
    for r in tuned { XCTAssertNotNil(r.performance["accuracy"]) }
  }

  func testQuantEASearchesBitsAndSavesIntegerWeights() throws {
    let base = root("quant")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let p = try Pipeline(document: try YAMLDocument(text: config(base, step: "quant"), file: "quant.yml"))
    p.log = { _ in }
    let s = try p.run()
    XCTAssertEqual(s.steps.map(\.status), ["finished", "finished", "finished"])
    let q = try XCTUnwrap(p.records["quant"])
    XCTAssertEqual(q.count, 4)
    for r in q where r.status == .finished {
      let bits = try XCTUnwrap(r.hps["quant"]?["bits"]?.array?.compactMap(\.int))
      XCTAssertEqual(bits.count, 4, "two convolutions and two linear layers")
      XCTAssertTrue(bits.allSatisfy { $0 == 2 || $0 == 8 })
      let size = try XCTUnwrap(r.performance["model_size"])
      XCTAssertGreaterThan(size, 0)
      let dir = p.output.layout.workerFolder("quant", r.workerID)
      _ = dir
      let ints = p.store.checkpointDir(step: "quant", trial: r.workerID) + "/model_\(r.workerID).int.safetensors"
      XCTAssertTrue(FileManager.default.fileExists(atPath: ints), ints)
      let reloaded = try QuantizedCheckpoint.load(ints)
      XCTAssertEqual(reloaded.parameterCount, try ModuleRegistry.build(r.desc).parameterCount)
    }
    // Fewer bits, smaller model: the all-2-bit end of the front is smaller than all-8.
    let sizes = q.compactMap { $0.performance["model_size"] }
    XCTAssertGreaterThan(Set(sizes.map { ($0 * 1000).rounded() }).count, 1)
  }
}
