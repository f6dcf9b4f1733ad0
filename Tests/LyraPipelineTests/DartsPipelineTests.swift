import Foundation
import LyraBase
import LyraNets
import XCTest
@testable import LyraPipeline

/// DARTS through the pipeline: DifferentialAlgorithm trains a tiny supernet with
/// DartsTrainerCallback, hands on the derived genotype as the trial's description, and
/// fully_train builds and trains that discrete network.
final class DartsPipelineTests: XCTestCase {
  static func genotype(_ ops: String) -> String {
    "[[[\(ops)], 2, 0], [[\(ops)], 2, 1], [[\(ops)], 3, 0], [[\(ops)], 3, 1], [[\(ops)], 3, 2]]"
  }

  static func yaml(_ base: String, extra: String = "", ops: String = "none, max_pool_3x3, skip_connect, sep_conv_3x3") -> String {
    """
    general: {seed: 1, task: {local_base_path: \(base)}}
    pipeline: [nas, fully_train]
    nas:
      pipe_step: {type: SearchPipeStep}
      dataset: {type: FashionMnist, common: {batch_size: 8, train_portion: 0.5}, train: {max_samples: 32}, val: {max_samples: 16}, test: {max_samples: 16}}
      search_algorithm: {type: DifferentialAlgorithm, sample_num: 1\(extra)}
      search_space:
        type: SearchSpace
        modules: [super_network]
        super_network:
          type: DartsNetwork
          search: true
          init_channels: 2
          stem: {type: PreOneStem, init_channels: 2, stem_multi: 1}
          cells:
            modules: [normal, reduce, normal]
            normal: {type: NormalCell, steps: 2, concat: [2, 3], genotype: \(genotype(ops))}
            reduce: {type: ReduceCell, steps: 2, concat: [2, 3], genotype: \(genotype(ops))}
      trainer:
        callbacks: DartsTrainerCallback
        epochs: 2
        optimizer: {type: SGD, params: {lr: 0.025, momentum: 0.9, weight_decay: 0.0003}}
        grad_clip: 5.0
        unrolled: true
    fully_train:
      pipe_step: {type: TrainPipeStep}
      dataset: {type: FashionMnist, common: {batch_size: 8}, train: {max_samples: 16}, test: {max_samples: 16}}
      trainer: {callbacks: DartsFullTrainerCallback, epochs: 1, drop_path_prob: 0.2}
    """
  }

  func testSearchHandsTheDerivedGenotypeToFullyTrain() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-darts-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: base) }
    let p = try Pipeline(document: try YAMLDocument(text: Self.yaml(base, extra: ", arch_optim: {type: Adam, lr: 0.01}"), file: "darts.yml"))
    p.log = { _ in }
    let s = try p.run()
    // α moved: the trajectory file has both epochs, and the last softmax(α) is off uniform
    // by far more than its 1e-3·N(0, 1) start (4 Adam steps of 0.01 move α by about 0.04).
    let files = FileManager.default.enumerator(atPath: base)?.compactMap { $0 as? String }.filter { $0.hasSuffix("darts_alphas_0.json") } ?? []
    let file = try XCTUnwrap(files.first, "no darts_alphas_0.json under \(base)")
    let traj = try JSON.parse(try Data(contentsOf: URL(fileURLWithPath: base + "/" + file)))
    let epochs = try XCTUnwrap(traj["epochs"]?.array)
    XCTAssertEqual(epochs.count, 2)
    let last = epochs[1].array?[0].array?.flatMap { $0.array?.compactMap(\.double) ?? [] } ?? []
    XCTAssertEqual(last.count, 5 * 4)
    XCTAssertGreaterThan(last.map { abs($0 - 0.25) }.max() ?? 0, 2e-3)
    XCTAssertTrue(traj["genotype"]?.string?.hasPrefix("Genotype(normal=[(") ?? false)
    XCTAssertEqual(s.steps.map(\.status), ["finished", "finished"])
    let searched = try XCTUnwrap(p.records["nas"]?.first)
    XCTAssertEqual(searched.status, .finished, searched.message ?? "")
    // The handed-on description is the derived network: search off, [op, to, from] entries
    // naming real operations, two per node, never `none`.
    let net = DartsTrainerCallback.superNetwork(searched.desc)
    XCTAssertEqual(net["type"]?.string, "DartsNetwork")
    XCTAssertEqual(net["search"]?.bool, false)
    let entries = try XCTUnwrap(net["cells"]?["normal"]?["genotype"]?.array)
    XCTAssertEqual(entries.count, 4)
    XCTAssertEqual(entries.compactMap { $0.array?[1].int }, [2, 2, 3, 3])
    for e in entries {
      let op = try XCTUnwrap(e.array?[0].string)
      XCTAssertTrue(["max_pool_3x3", "skip_connect", "sep_conv_3x3"].contains(op), op)
    }
    let trained = try XCTUnwrap(p.records["fully_train"]?.first)
    XCTAssertEqual(trained.status, .finished, trained.message ?? "")
    XCTAssertEqual(DartsTrainerCallback.superNetwork(trained.desc)["search"]?.bool, false)
    XCTAssertNotNil(trained.performance["accuracy"])
  }

  func testConfigProblemsNameTheirKeys() throws {
    func problem(_ text: String) throws -> String {
      let doc = try YAMLDocument(text: text, file: "d.yml")
      return Pipeline.problems(raw: doc.value, file: doc.file, lines: doc.lines).map(\.description).joined(separator: "\n")
    }
    let base = Self.yaml("/tmp/unused")
    XCTAssertEqual(try problem(base), "")
    XCTAssertTrue(try problem(base.replacingOccurrences(of: "sample_num: 1", with: "sample_num: 1, codec: Other")).contains("DartsCodec"))
    XCTAssertTrue(try problem(base.replacingOccurrences(of: "unrolled: true", with: "unrolled: true\n    arch_optim: {lr: -1}")).contains("arch_optim.lr"))
    XCTAssertTrue(try problem(base.replacingOccurrences(of: "search: true", with: "search: false")).contains("search: true"))
  }
}
