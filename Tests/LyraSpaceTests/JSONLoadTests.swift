import XCTest
import LyraBase
@testable import LyraSpace

/// The VEGA paper's §4.1 example, reconstructed from its description: one space that
/// searches trainer hyperparameters jointly with an augmentation policy (two op slots,
/// each an op name with a probability and a magnitude), in VEGA's old type names.
let jointHPOAugmentJSON = """
  {"search_space": {
    "hyperparameters": [
      {"key": "dataset.batch_size", "type": "INT_CAT", "range": [64, 128, 256]},
      {"key": "trainer.optimizer.type", "type": "STRING", "range": ["SGD", "Adam"]},
      {"key": "trainer.optimizer.params.lr", "type": "FLOAT_EXP", "range": [0.0001, 0.1]},
      {"key": "trainer.optimizer.params.momentum", "type": "FLOAT", "range": [0.8, 0.99]},
      {"key": "trainer.optimizer.params.weight_decay", "type": "FLOAT_CAT", "range": [0.0001, 0.0005, 0.001]},
      {"key": "dataset.transforms.num_ops", "type": "INT", "range": [1, 2]},
      {"key": "dataset.transforms.op1.type", "type": "CATEGORY",
       "range": ["Rotate", "ShearX", "TranslateY", "Color", "Contrast", "Cutout"]},
      {"key": "dataset.transforms.op1.prob", "type": "FLOAT", "range": [0.0, 1.0], "slice": 11},
      {"key": "dataset.transforms.op1.magnitude", "type": "INT", "range": [0, 9]},
      {"key": "dataset.transforms.op2.type", "type": "CATEGORY",
       "range": ["Rotate", "ShearX", "TranslateY", "Color", "Contrast", "Cutout"]},
      {"key": "dataset.transforms.op2.prob", "type": "FLOAT", "range": [0.0, 1.0], "slice": 11},
      {"key": "dataset.transforms.op2.magnitude", "type": "INT", "range": [0, 9]},
      {"key": "dataset.transforms.flip", "type": "BOOL", "range": [true, false]}
    ],
    "condition": [
      {"key": "c1", "child": "trainer.optimizer.params.momentum", "parent": "trainer.optimizer.type", "type": "EQUAL", "range": ["SGD"]},
      {"key": "c2", "child": "dataset.transforms.op2.type", "parent": "dataset.transforms.num_ops", "type": "IN", "range": [2, 2]},
      {"key": "c3", "child": "dataset.transforms.op2.prob", "parent": "dataset.transforms.op2.type", "type": "NOT_EQUAL", "range": ["Cutout"]},
      {"key": "c4", "child": "dataset.transforms.op2.magnitude", "parent": "dataset.transforms.op2.type", "type": "IN",
       "range": ["Rotate", "ShearX", "TranslateY", "Color", "Contrast"]},
      {"key": "c5", "child": "dataset.transforms.op1.magnitude", "parent": "dataset.transforms.op1.type", "type": "NOT_EQUAL", "range": ["Cutout"]}
    ],
    "forbidden": [{"dataset.transforms.op1.type": "Cutout", "dataset.transforms.op2.type": "Cutout"}]
  }}
  """

final class JSONLoadTests: XCTestCase {
  func testASHAExampleLoads() throws {
    let s = try SearchSpace(jsonText: ashaJSON)
    XCTAssertEqual(s.keys, ["dataset.batch_size", "trainer.optimizer.params.lr", "trainer.optimizer.type", "trainer.optimizer.params.momentum"])
    XCTAssertEqual(s.parameters.map(\.type), [.category, .floatExp, .category, .float])
    XCTAssertEqual(s["dataset.batch_size"]!.choices, [8, 16, 32, 64, 128, 256])
    XCTAssertEqual(s.dimension, 4)
    XCTAssertEqual(s.conditions.count, 1)
    XCTAssertEqual(s.conditions[0].parent, "trainer.optimizer.type")
  }

  func testPaperJointExampleLoadsAndSamples() throws {
    let s = try SearchSpace(jsonText: jointHPOAugmentJSON)
    XCTAssertEqual(s.keys.count, 13)
    XCTAssertEqual(s["dataset.batch_size"]!.type, .category, "INT_CAT is CATEGORY")
    XCTAssertEqual(s["trainer.optimizer.type"]!.type, .category, "STRING is CATEGORY")
    XCTAssertEqual(s["trainer.optimizer.params.weight_decay"]!.type, .category, "FLOAT_CAT is CATEGORY")
    XCTAssertEqual(s["dataset.transforms.op1.prob"]!.slice, 11)
    let g = Generator(seed: 12)
    var twoOps = 0
    for _ in 0..<3000 {
      let c = s.sample(g)
      XCTAssertNoThrow(try s.validate(c))
      XCTAssertEqual(c["trainer.optimizer.params.momentum"] != nil, c["trainer.optimizer.type"] == "SGD")
      let two = c["dataset.transforms.num_ops"] == 2
      XCTAssertEqual(c["dataset.transforms.op2.type"] != nil, two)
      XCTAssertEqual(c["dataset.transforms.op2.prob"] != nil, two && c["dataset.transforms.op2.type"] != "Cutout")
      XCTAssertEqual(c["dataset.transforms.op2.magnitude"] != nil, two && c["dataset.transforms.op2.type"] != "Cutout")
      XCTAssertFalse(c["dataset.transforms.op1.type"] == "Cutout" && c["dataset.transforms.op2.type"] == "Cutout")
      if two { twoOps += 1 }
    }
    XCTAssertEqual(Double(twoOps) / 3000, 0.5, accuracy: 0.05)
  }

  func testUnknownTopLevelField() {
    assertSpaceError(["hyperparamters", "did you mean 'hyperparameters'"]) { _ = try SearchSpace(jsonText: #"{"hyperparamters": []}"#) }
  }
}
