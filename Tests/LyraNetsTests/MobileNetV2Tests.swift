import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraNets

final class MobileNetV2Tests: XCTestCase {
  /// torchvision's `mobilenet_v2()` (ImageNet strides, 3 channels, 1000 classes) has
  /// 3,504,872 parameters; the same blocks here must give the same count.
  func testImageNetModelMatchesTorchvisionCount() throws {
    let m = try NetTest.build(#"{"type": "MobileNetV2", "small_input": false, "num_class": 1000}"#)
    XCTAssertEqual(m.parameterCount, 3_504_872)
    XCTAssertEqual(m.modules(ofType: InvertedResidualBlock.self).count, 17)
  }

  /// A hand count for a narrow model is easier on one block: the first stage's block
  /// (expansion 1, 32 → 16 at width 1) is depthwise 32·9 + 64 then project 32·16 + 32 = 896.
  /// The second stage's first block (6×, 16 → 24): expand 16·96 + 192, depthwise 96·9 + 192,
  /// project 96·24 + 48 = 5,136.
  func testBlockStructureAndResiduals() throws {
    let m = try NetTest.build(#"{"type": "MobileNetV2", "in_channels": 1}"#)
    XCTAssertEqual(m.module(named: "stage1.block1")?.parameterCount, 896)
    XCTAssertNil(m.module(named: "stage1.block1.expand"), "expansion 1 has no expand conv")
    XCTAssertEqual(m.module(named: "stage2.block1")?.parameterCount, 5_136)
    let blocks = m.modules(ofType: InvertedResidualBlock.self)
    XCTAssertEqual(blocks.filter { $0.module.residual }.map(\.name),
                   ["stage2.block2", "stage3.block2", "stage3.block3", "stage4.block2", "stage4.block3", "stage4.block4",
                    "stage5.block2", "stage5.block3", "stage6.block2", "stage6.block3"])
    XCTAssertEqual((m.module(named: "stage4.block1.depthwise") as? Operator)?.convolutions[0].groups, 32 * 6)
  }

  func testForwardShapesOnSmallInputs() throws {
    let gray = try NetTest.build(#"{"type": "MobileNetV2", "in_channels": 1, "width_mult": 0.25}"#)
    XCTAssertEqual(try gray(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
    let color = try NetTest.build(#"{"type": "MobileNetV2", "width_mult": 0.5, "n_class": 100, "dropout": 0}"#)
    XCTAssertEqual(try color(NetTest.input([2, 3, 32, 32])).shape, [2, 100])
    XCTAssertNil(color.module(named: "dropout"))
    // width 0.5: stem 16, stages 8, 16, 16, 32, 48, 80, 160; the last conv stays 1280
    XCTAssertEqual((color.module(named: "stem.conv1") as? Operator)?.outChannels, 16)
    XCTAssertEqual((color.module(named: "stage6.block1.project") as? Operator)?.outChannels, 80)
    XCTAssertEqual((color.module(named: "head") as? Linear)?.inFeatures, 1280)
    // small input: strides 1 in the stem and the 24-channel stage, so 32 → 16 → 8 → 4 over
    // stages 3, 4 and 6, and 28 → 14 → 7 → 4
    XCTAssertEqual(try ModuleTracer.trace(color, input: NetTest.input([1, 3, 32, 32])).first { $0.name == "conv_last" }?.output, [1, 1280, 4, 4])
    XCTAssertEqual(try ModuleTracer.trace(gray, input: NetTest.input([1, 1, 28, 28])).first { $0.name == "conv_last" }?.output, [1, 1280, 4, 4])
    let imagenet = try NetTest.build(#"{"type": "MobileNetV2", "small_input": false, "width_mult": 0.25}"#)
    XCTAssertEqual(try ModuleTracer.trace(imagenet, input: NetTest.input([1, 3, 64, 64])).first { $0.name == "conv_last" }?.output, [1, 1280, 2, 2])
  }

  func testBackwardGivesFiniteGradients() throws {
    let m = try NetTest.build(#"{"type": "MobileNetV2", "in_channels": 1, "width_mult": 0.25, "dropout": 0}"#)
    try NetTest.assertFiniteGradients(m, input: [2, 1, 28, 28], classes: 10)
  }

  func testBadKeysAreNamed() {
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"type": "MobileNetV2", "width_mul": 1}"#) }
      .contains("unknown key 'width_mul' (did you mean 'width_mult'?)"))
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"type": "MobileNetV2", "width_mult": 0}"#) }.contains("width_mult: must be in"))
  }
}
