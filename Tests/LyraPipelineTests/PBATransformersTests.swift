import Foundation
import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// VEGA's PBA search space, `search_space.transformers`: the listed ops (those set to
/// true, VEGA's spellings) are the ops PBAHpo searches; anything else is refused by name.
final class PBATransformersTests: XCTestCase {
  func made(_ space: String, type: String = "PBAHpo", policy: String = "{config_count: 2}") throws -> SearchAlgorithmFactory.Made {
    let c = try PipelineConfig(document: try YAMLDocument(text: """
      pipeline: [s]
      s:
        pipe_step: {type: SearchPipeStep}
        search_algorithm: {type: \(type), policy: \(policy)}
        search_space: \(space)
        model: {model_desc: {modules: [b], b: {type: MLP, hidden: [4]}}}
      """, file: "pba.yml"), taskFolder: "/tmp/task-pba-transformers")
    return try SearchAlgorithmFactory.make(step: "s", section: c.steps[0].section, seed: 1, config: c)
  }

  func message(_ space: String, type: String = "PBAHpo", policy: String = "{config_count: 2}") -> String {
    do { _ = try made(space, type: type, policy: policy); return "no error" } catch { return "\(error)" }
  }

  func testListedOpsAreTheOpsSearched() throws {
    let m = try made("{type: SearchSpace, transformers: [{Rotate: true}, {Translate_X: true}, {Invert: false}, {Shear_Y: true}]}")
    let pba = try XCTUnwrap(m.algorithm as? PBA)
    XCTAssertEqual(pba.policyExplore.ops, ["Rotate", "TranslateX", "ShearY"])
    // A sampled config sets exactly those ops' policy keys.
    let ops = Set(try XCTUnwrap(m.algorithm.ask()).config.keys.map { $0.split(separator: ".")[3] })
    XCTAssertEqual(ops, ["Rotate", "TranslateX", "ShearY"])
    // The mapping form and jointly searched hyperparameters.
    let joint = try XCTUnwrap(try made("""
      {transformers: {Cutout: true, Color: true}, hyperparameters: [{key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.001, 0.1]}]}
      """).algorithm as? PBA)
    XCTAssertEqual(joint.policyExplore.ops, ["Color", "Cutout"])
    XCTAssertEqual(joint.explore.space.keys, ["trainer.optimizer.params.lr"])
  }

  func testUnknownOpsAndMisplacedListsAreNamed() {
    XCTAssertTrue(message("{transformers: [{Rotat: true}]}").contains(
      "s.search_space.transformers.Rotat: unknown PBA op 'Rotat' (did you mean 'Rotate'?)"), message("{transformers: [{Rotat: true}]}"))
    XCTAssertTrue(message("{transformers: [{Mixup: true}]}").contains("unknown PBA op 'Mixup'; PBA searches"))
    XCTAssertTrue(message("{transformers: [{Rotate: yes please}]}").contains("transformers.Rotate: expected true or false"))
    XCTAssertTrue(message("{transformers: [{Rotate: false}]}").contains("no op is switched on"))
    XCTAssertTrue(message("{transformers: [{Rotate: true}]}", type: "RandomSearch", policy: "{}").contains(
      "s.search_space.transformers: only PBAHpo searches augmentation ops"))
    XCTAssertTrue(message("{transformers: [{Rotate: true}]}", policy: "{ops: [Rotate]}").contains("give the ops once"))
  }
}
