import Foundation
import XCTest
import LyraBase
import LyraNets
import LyraNN
import LyraSpace
@testable import LyraPipeline
@testable import LyraSearch

/// VEGA's nas/mfasc and nas/mfkd sections through the factory: keys beside `policy`,
/// MFKD1's network-with-choice-lists space, and the trainer keys VEGA ignores.
final class MultiFidelityNASTests: XCTestCase {
  func load(_ text: String) throws -> PipelineConfig {
    try PipelineConfig(document: try YAMLDocument(text: text, file: "mf.yml"), taskFolder: "/tmp/task-mf")
  }

  func make(_ text: String) throws -> SearchAlgorithmFactory.Made {
    let c = try load(text)
    return try SearchAlgorithmFactory.make(step: "nas", section: c.steps[0].section, seed: 3, config: c)
  }

  func message(_ text: String) -> String {
    do { _ = try make(text); return "built" } catch { return "\(error)" }
  }

  static func mfasc(_ keys: String) -> String {
    """
    pipeline: [nas]
    nas:
      pipe_step: {type: SearchPipeStep}
      search_algorithm: {type: MFASC, \(keys)}
      search_space:
        hyperparameters:
          - {key: network.custom.layer_0.repetitions, type: CATEGORY, range: [1, 2, 3, 4]}
          - {key: network.custom.layer_0.channels, type: CATEGORY, range: [16, 24]}
      model: {model_desc: {modules: [custom], custom: {type: MobileNetV2, num_class: 10}}}
      trainer: {type: Trainer, epochs: 1, optim: {type: SGD, lr: 0.01}, valid_freq: 1}
    """
  }

  func testMFASCReadsVEGAsKeysBesidePolicyAndHandsOutEpochsAsBudgets() throws {
    let made = try make(Self.mfasc("sample_size: 40, max_budget: 9, hf_epochs: 3, lf_epochs: 1, fidelity_ratio: 3, min_hf_sample_size: 1, min_lf_sample_size: 2"))
    let alg = try XCTUnwrap(made.algorithm as? MFASC)
    XCTAssertEqual(alg.options.hfEpochs, 3)
    XCTAssertEqual(alg.options.fidelityRatio, 3)
    XCTAssertEqual(alg.candidates.count, 8, "40 draws of an 8-point space leave its 8 points")
    var budgets: [Double] = []
    while let t = alg.ask() {
      budgets.append(t.budget!)
      alg.tell(t.id, TrialResult(["accuracy": Double(t.config["network.custom.layer_0.repetitions"]!.number!) / 10]))
    }
    // One high-fidelity, two low, then the ratio; stop once 9 epochs are exceeded.
    XCTAssertEqual(Array(budgets.prefix(3)), [3, 1, 1])
    XCTAssertGreaterThan(budgets.reduce(0, +), 9)
    XCTAssertLessThanOrEqual(budgets.dropLast().reduce(0, +), 9)
    // The best is a high-fidelity trial.
    XCTAssertEqual(alg.best()?.trial.budget, 3)
  }

  func testMFASCKeysAreChecked() {
    XCTAssertTrue(message(Self.mfasc("max_budgt: 9")).contains("nas.search_algorithm.max_budgt: unknown key 'max_budgt' (did you mean 'max_budget'?)"))
    XCTAssertTrue(message(Self.mfasc("predictor_type: gb_stacked")).contains("only 'mfgpr'"))
    XCTAssertEqual(message(Self.mfasc("predictor_type: mfgpr")), "built")
    XCTAssertTrue(message(Self.mfasc("hf_epochs: 1, lf_epochs: 5")).contains("hf_epochs: must be at least lf_epochs (5), got 1"))
    XCTAssertTrue(message(Self.mfasc("fidelity_ratio: 0")).contains("fidelity_ratio: must be an integer in 1…"))
    XCTAssertTrue(message(Self.mfasc("prior_rho: 2")).contains("prior_rho: must be a number in [-1.0, 1.0]"))
    // Keys of another algorithm are still unknown beside policy.
    XCTAssertTrue(message(Self.mfasc("max_samples: 3")).contains("unknown key 'max_samples'"))
  }

  func testVEGAsIgnoredTrainerKeysAreWarnings() throws {
    let text = try load(Self.mfasc("max_budget: 9")).warnings.map(\.description)
    XCTAssertTrue(text.contains { $0.contains("nas.trainer.optim: is not a trainer key and is ignored") && $0.contains("trainer.optimizer") }, "\(text)")
    XCTAssertTrue(text.contains { $0.contains("nas.trainer.valid_freq: is not a trainer key") && $0.contains("trainer.valid_interval") }, "\(text)")
  }

  static func mfkd(_ custom: String = mfkdLayers, extra: String = "") -> String {
    """
    pipeline: [nas]
    nas:
      pipe_step: {type: SearchPipeStep}
      search_space:
        type: SearchSpace
        modules: ['custom']
        custom:
    \(custom)
    \(extra)
      search_algorithm: {type: MFKD1, max_samples: 3}
      trainer: {type: Trainer, epochs: 1}
    """
  }

  static let mfkdLayers = (0..<3).map { "      conv_layer_\($0): {kernel_size: [1, 3, 5], bn: [false, true], relu: [false, true], filters: [8, 16, 32]}" }
    .joined(separator: "\n") + "\n      type: SimpleCnnMFKD\n      fully_connect: {output_unit: [16, 20, 24, 28, 32]}"

  func testMFKD1ReadsTheNetworkWithChoiceListsAndItsTrialsBuild() throws {
    let made = try make(Self.mfkd())
    let alg = try XCTUnwrap(made.algorithm as? MFKD1)
    XCTAssertEqual(alg.combinations, 36 * 36 * 36 * 5)
    // VEGA's order: modules in order, keys sorted at every level.
    XCTAssertEqual(alg.choices.map(\.key).prefix(5), ["network.custom.conv_layer_0.bn", "network.custom.conv_layer_0.filters",
                                                       "network.custom.conv_layer_0.kernel_size", "network.custom.conv_layer_0.relu",
                                                       "network.custom.conv_layer_1.bn"])
    XCTAssertEqual(alg.choices.last?.key, "network.custom.fully_connect.output_unit")
    XCTAssertEqual(alg.fixed["network.custom.type"], .string("SimpleCnnMFKD"))
    XCTAssertEqual(made.plannedTrials, 4)
    // A trial's config is the whole network: it builds without a model section.
    let t = try XCTUnwrap(alg.ask())
    let desc = Binding.apply(t.config, modelDescription: .object([:])).model
    let m = try NetworkRegistry.build(desc, input: [1, 28, 28])
    XCTAssertEqual(m.modules(ofType: Conv2d.self).count, 3)
    // The check's sample is one of the combinations too.
    let sample = try XCTUnwrap(made.sample?(Generator(seed: 1)))
    XCTAssertEqual(Set(sample.keys), Set(t.config.keys))
  }

  func testMFKD1SpacesAreChecked() throws {
    XCTAssertTrue(message(Self.mfkd(extra: "    other: {type: SimpleCnn}")).contains("nas.search_space.other: not listed in modules"))
    XCTAssertTrue(message(Self.mfkd("      type: SimpleCnnMFKD\n      fully_connect: {output_unit: []}")).contains("nas.search_space.custom.fully_connect.output_unit: an empty list of choices"))
    XCTAssertTrue(message(Self.mfkd("      type: SimpleCnnMFKD\n      depth: 3")).contains("no lists of choices"))
    XCTAssertTrue(message(Self.mfkd("      type: SimpleCnnMFKD\n      sizes: [[1, 2], [3]]")).contains("choices must be numbers, strings or booleans"))
    let bad = message(Self.mfkd().replacingOccurrences(of: "max_samples: 3", with: "max_samples: 0"))
    XCTAssertTrue(bad.contains("nas.search_algorithm.max_samples: must be an integer in 1…2048, got 0") && !bad.contains("search_space"), bad)
    // The whole-config check names that one problem, not the choice-list space as well.
    let c = try load(Self.mfkd().replacingOccurrences(of: "max_samples: 3", with: "max_samples: 0"))
    XCTAssertEqual(StepCheck(config: c, step: c.steps[0], seed: 0).problems().map(\.key), ["nas.search_algorithm.max_samples"])
    let good = try load(Self.mfkd())
    XCTAssertEqual(StepCheck(config: good, step: good.steps[0], seed: 0).problems().map(\.description), [])
    // The hyperparameters form: CATEGORY entries are choice lists, others are refused.
    let hp = """
      pipeline: [nas]
      nas:
        search_space: {hyperparameters: [{key: network.backbone.depth, type: CATEGORY, range: [18, 34]}, {key: trainer.optimizer.params.lr, type: FLOAT, range: [0.01, 0.1]}]}
        search_algorithm: {type: MFKD1}
      """
    XCTAssertTrue(message(hp).contains("MFKD1 needs CATEGORY or BOOL hyperparameters (choice lists); 'trainer.optimizer.params.lr' is"))
  }
}
