import Foundation
import XCTest
import LyraBase
import LyraData
@testable import LyraPipeline

/// Augmentation from a dataset section (the §4.1 joint space samples `dataset.transforms.*`),
/// and the trainer merge that drops a base component's params when a sample switches its type.
final class DatasetTransformsTests: XCTestCase {
  func json(_ text: String) throws -> JSON { try YAMLDocument(text: text).value }

  func testListFormWithVEGANames() throws {
    let steps = try DatasetTransforms.parse(try json("[{type: Rotate, prob: 0.5, magnitude: 4}, RandomHorizontalFlip, ToTensor, {type: Cutout}]"), path: "d")
    XCTAssertEqual(steps.map(\.name), ["Rotate", "Flip", "Cutout"])
    XCTAssertEqual(steps.map(\.probability), [0.5, 0.5, 1])
    XCTAssertEqual(steps.map(\.magnitude), [4, 5, 5])
  }

  func testPolicyFormTakesTheFirstNumOpsSlotsThenFlip() throws {
    let p = try json("{num_ops: 1, op1: {type: Color, prob: 0.3, magnitude: 7}, op2: {type: Rotate}, flip: true}")
    let steps = try DatasetTransforms.parse(p, path: "d")
    XCTAssertEqual(steps.map(\.name), ["Color", "Flip"])
    XCTAssertEqual(steps[0].probability, 0.3)
    XCTAssertEqual(steps[0].magnitude, 7)
    let two = try DatasetTransforms.parse(try json("{num_ops: 2, op1: {type: Cutout}, op2: {type: Rotate, magnitude: 2}, flip: false}"), path: "d")
    XCTAssertEqual(two.map(\.name), ["Cutout", "Rotate"])
  }

  func testBadTransformsNameTheKey() {
    XCTAssertThrowsError(try DatasetTransforms.parse(try json("[{type: Rotat}]"), path: "hpo.dataset.train.transforms")) {
      XCTAssertTrue("\($0)".contains("hpo.dataset.train.transforms[0].type: unknown transform 'Rotat' (did you mean 'Rotate'?)"), "\($0)")
    }
    XCTAssertThrowsError(try DatasetTransforms.parse(try json("{op1: {type: Rotate, magnitude: 12}}"), path: "t")) {
      XCTAssertTrue("\($0)".contains("t.op1.magnitude: must be in [0, 10]"), "\($0)")
    }
    XCTAssertThrowsError(try DatasetTransforms.parse(try json("{op1: {type: Rotate}, flips: true}"), path: "t")) {
      XCTAssertTrue("\($0)".contains("t.flips: unknown key"), "\($0)")
    }
  }

  func testTrainSplitIsAugmentedOnRawPixelsThenNormalised() throws {
    let section = DatasetSection.self
    let ds = try section.init(json: try json("""
      {type: FashionMnist, common: {batch_size: 16, shuffle: false, max_samples: 16,
       transforms: [{type: Invert, prob: 1}]}}
      """))
    let plain = try section.init(json: try json("{type: FashionMnist, common: {batch_size: 16, shuffle: false, max_samples: 16}}"))
    let a = try XCTUnwrap(ds.loader(.train).makeIterator().next())
    let b = try XCTUnwrap(plain.loader(.train).makeIterator().next())
    // Invert maps pixel p to 255 - p before normalising: x' = (1 - p/255 - m)/s = (1 - 2m)/s - x.
    let m: Float = 0.2860, s: Float = 0.3530
    for i in stride(from: 0, to: a.data.count, by: 97) {
      XCTAssertEqual(a.data[i], (1 - 2 * m) / s - b.data[i], accuracy: 1e-4)
    }
    // Validation data is never augmented.
    let va = try XCTUnwrap(ds.loader(.test).makeIterator().next())
    let vb = try XCTUnwrap(plain.loader(.test).makeIterator().next())
    XCTAssertEqual(va.data, vb.data)
  }

  func testASampledOptimizerTypeDropsTheBaseParams() throws {
    let base = try json("{epochs: 2, optimizer: {type: SGD, params: {lr: 0.05, momentum: 0.9}}}")
    let merged = TrialTraining.trainerSection(base, try json("{optimizer: {type: Adam, params: {lr: 0.001}}}"))
    XCTAssertEqual(merged["optimizer"]?["type"]?.string, "Adam")
    XCTAssertEqual(merged["optimizer"]?["params"]?.object?.keys.sorted(), ["lr"])
    XCTAssertEqual(merged["epochs"]?.int, 2)
    // Same type: params merge as before.
    let same = TrialTraining.trainerSection(base, try json("{optimizer: {type: SGD, params: {lr: 0.1}}}"))
    XCTAssertEqual(same["optimizer"]?["params"]?["momentum"]?.double, 0.9)
    XCTAssertEqual(same["optimizer"]?["params"]?["lr"]?.double, 0.1)
    XCTAssertNoThrow(try TrainerConfig(json: merged))
  }
}
