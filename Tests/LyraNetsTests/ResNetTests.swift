import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraNets

final class ResNetTests: XCTestCase {
  /// ResNet-18, small input, 1 input channel, 10 classes (bias-free convs, BN = 2 per channel):
  /// stem 1·64·9 + 128 = 704;
  /// stage1: 2 × (2·64·64·9 + 2·128) = 147,968;
  /// stage2: (64·128·9 + 256 + 128·128·9 + 256 + 64·128 + 256) + (2·128·128·9 + 512) = 230,144 + 295,424 = 525,568;
  /// stage3: (128·256·9 + 512 + 256·256·9 + 512 + 128·256 + 512) + (2·256·256·9 + 1024) = 919,040 + 1,180,672 = 2,099,712;
  /// stage4: (256·512·9 + 1024 + 512·512·9 + 1024 + 256·512 + 1024) + (2·512·512·9 + 2048) = 3,673,088 + 4,720,640 = 8,393,728;
  /// head 512·10 + 10 = 5,130. Total 11,172,810.
  func testResNet18SmallInputParameterCount() throws {
    let m = try NetTest.build(#"{"type": "ResNet", "depth": 18, "in_channels": 1, "num_class": 10}"#)
    XCTAssertEqual(m.parameterCount, 11_172_810)
    XCTAssertEqual(m.modules(under: "backbone.stage1").first { $0.name == "backbone.stage1" }?.module.children.count, 2)
  }

  /// The torchvision ImageNet models (7×7 stem + max-pool, 3 channels, 1000 classes):
  /// 11,689,512 (R18) and 25,557,032 (R50). The R18 body equals the one
  /// above (11,172,810 − 704 − 5,130 = 11,166,976) plus a 3·64·49 + 128 = 9,536 stem and a
  /// 512·1000 + 1000 = 513,000 head.
  func testImageNetResNetsMatchTorchvisionCounts() throws {
    for (depth, count) in [(18, 11_689_512), (50, 25_557_032)] {
      let m = try NetTest.build(#"{"type": "ResNet", "depth": \#(depth), "small_input": false, "num_class": 1000}"#)
      XCTAssertEqual(m.parameterCount, count, "ResNet-\(depth)")
    }
  }

  /// CIFAR ResNet-20 (3 stages × 3 basic blocks, 16/32/64 channels, projection shortcuts):
  /// stem 3·16·9 + 32 = 464; stage1 3 × (2·16·16·9 + 64) = 14,016;
  /// stage2 (16·32·9 + 64 + 32·32·9 + 64 + 16·32 + 64) + 2 × (2·32·32·9 + 128) = 14,528 + 37,120 = 51,648;
  /// stage3 (32·64·9 + 128 + 64·64·9 + 128 + 32·64 + 128) + 2 × (2·64·64·9 + 256) = 57,728 + 147,968 = 205,696;
  /// head 64·10 + 10 = 650. Total 272,474.
  func testResNet20IsTheCifarNetwork() throws {
    let m = try NetTest.build(#"{"type": "ResNet", "depth": 20}"#)
    XCTAssertEqual(m.parameterCount, 272_474)
    XCTAssertEqual(m.modules(ofType: Cell.self).map(\.name), ["backbone.stem", "backbone.stage1", "backbone.stage2", "backbone.stage3"])
    XCTAssertEqual(try m(NetTest.input([2, 3, 32, 32])).shape, [2, 10])
  }

  func testForwardShapesOnFashionAndCifarSizedInputs() throws {
    let fashion = try NetTest.build(#"{"type": "ResNet", "depth": 18, "base_channel": 8, "in_channels": 1}"#)
    XCTAssertEqual(try fashion(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
    let cifar = try NetTest.build(#"{"type": "ResNet", "depth": 50, "base_channel": 4, "n_class": 7}"#)
    XCTAssertEqual(try cifar(NetTest.input([2, 3, 32, 32])).shape, [2, 7])
    XCTAssertEqual((cifar.module(named: "head") as? Linear)?.inFeatures, 4 * 8 * 4, "bottleneck output = inner width × 4")
    let large = try NetTest.build(#"{"type": "ResNetGeneral", "depth": 18, "base_channel": 8, "small_input": false}"#)
    XCTAssertTrue(large.module(named: "stem.pool") is MaxPool2d)
    // 64 → 32 (7×7 s2) → 16 (max-pool) → 16, 8, 4, 2 over the four stages
    XCTAssertEqual(try large(NetTest.input([1, 3, 64, 64])).shape, [1, 64, 2, 2])
  }

  /// Counts place the 1s at the first standard transitions (blocks 2 and 4 of R18), so
  /// `doublechannel: 2, downsample: 2` gives three stages of widths 8, 16, 32.
  func testDoublechannelAndDownsampleAsCounts() throws {
    let m = try NetTest.build(#"{"type": "ResNet", "depth": 18, "base_channel": 8, "in_channels": 1, "doublechannel": 2, "downsample": 2}"#)
    XCTAssertEqual(m.modules(ofType: Cell.self).map(\.name).dropFirst(), ["backbone.stage1", "backbone.stage2", "backbone.stage3"])
    XCTAssertEqual(m.modules(under: "backbone.stage3").filter { $0.module is ResidualBlock }.count, 4)
    XCTAssertEqual((m.module(named: "head") as? Linear)?.inFeatures, 32)
    XCTAssertEqual(try m(NetTest.input([1, 1, 28, 28])).shape, [1, 10])
    let standard = try NetTest.build(#"{"type": "ResNet", "depth": 18, "base_channel": 8, "in_channels": 1}"#)
    let counted = try NetTest.build(#"{"type": "ResNet", "depth": 18, "base_channel": 8, "in_channels": 1, "doublechannel": 3, "downsample": 3}"#)
    let listed = try NetTest.build(#"{"type": "ResNet", "depth": 18, "base_channel": 8, "in_channels": 1,"#
                                   + #" "doublechannel": [0,0,1,0,1,0,1,0], "downsample": [0,0,1,0,1,0,1,0]}"#)
    XCTAssertEqual(NetTest.fingerprint(counted), NetTest.fingerprint(standard))
    XCTAssertEqual(NetTest.fingerprint(listed), NetTest.fingerprint(standard))
  }

  /// Doubling at block 0 without any downsampling, base 8, 1 channel in, 10 classes:
  /// stem 1·8·9 + 16 = 88; block 0: 8·16·9 + 32 + 16·16·9 + 32 + shortcut 8·16 + 32 = 3,680;
  /// blocks 1–7: 7 × (2·16·16·9 + 64) = 32,704; head 16·10 + 10 = 170. Total 36,642.
  func testDoublechannelAndDownsampleAsLists() throws {
    let m = try NetTest.build(#"{"type": "ResNet", "depth": 18, "base_channel": 8, "in_channels": 1,"#
                              + #" "doublechannel": [1,0,0,0,0,0,0,0], "downsample": [0,0,0,0,0,0,0,0]}"#)
    XCTAssertEqual(m.parameterCount, 36_642)
    XCTAssertEqual(m.modules(ofType: Cell.self).count, 2, "stem and one stage: no block is strided")
    XCTAssertNotNil(m.module(named: "backbone.stage1.block1.shortcut"))
    XCTAssertNil(m.module(named: "backbone.stage1.block2.shortcut"))
    XCTAssertEqual(try m(NetTest.input([1, 1, 12, 12])).shape, [1, 10])
  }

  /// `cell.inchannels` (MultiPositionArray) names the doubling blocks: the same network
  /// as the matching doublechannel list.
  func testCellInchannelsIsDoublechannelByPosition() throws {
    let byPosition = try NetTest.build(#"{"type": "ResNet", "depth": 34, "base_channel": 4, "cell": {"inchannels": [3, 7, 13]}}"#)
    let standard = try NetTest.build(#"{"type": "ResNet", "depth": 34, "base_channel": 4}"#)
    XCTAssertEqual(NetTest.fingerprint(byPosition), NetTest.fingerprint(standard))
    let early = try NetTest.build(#"{"type": "ResNet", "depth": 18, "base_channel": 8, "in_channels": 1, "cell": {"inchannels": [0]}, "downsample": 0}"#)
    XCTAssertEqual(early.parameterCount, 36_642)
  }

  /// `convs.inchannels` sets the width every conv after the stem reads: conv k reads entry
  /// k and writes entry k+1, the stem writes entry 0, and an extra last entry is the output.
  func testConvsInchannelsOverridesWidthsConvByConv() throws {
    let widths = [8, 12, 8, 6, 8, 16, 16, 20, 24, 24, 32, 32, 32, 48, 64, 40, 64]
    let m = try NetTest.build(#"{"type": "ResNet", "depth": 18, "base_channel": 8, "in_channels": 1, "convs": {"inchannels": \#(widths)}}"#)
    let convs = m.modules(ofType: Operator.self, under: "backbone").filter { !$0.name.hasSuffix("shortcut") }
    XCTAssertEqual(convs.count, 17, "stem conv + 16 block convs")
    XCTAssertEqual(convs.map(\.module.outChannels), widths)
    XCTAssertEqual(convs.dropFirst().map(\.module.inChannels), Array(widths.dropLast()))
    // a projection appears exactly where a block's input and output widths differ (or it is strided)
    let projected = m.modules(ofType: Operator.self).filter { $0.name.hasSuffix("shortcut") }.map(\.name)
    XCTAssertEqual(projected, ["backbone.stage2.block1.shortcut", "backbone.stage2.block2.shortcut", "backbone.stage3.block1.shortcut",
                               "backbone.stage4.block1.shortcut"])
    XCTAssertEqual((m.module(named: "head") as? Linear)?.inFeatures, 64)
    XCTAssertEqual(try m(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
    // without the extra entry the last conv keeps the width the doubling rule gives (8·2³ = 64)
    let short = try NetTest.build(#"{"type": "ResNet", "depth": 18, "base_channel": 8, "convs": {"inchannels": \#(Array(widths.dropLast()))}}"#)
    XCTAssertEqual((short.module(named: "backbone.stage4.block2.conv2") as? Operator)?.outChannels, 64)
  }

  func testGradientsAreFiniteForBasicAndBottleneckBlocks() throws {
    try NetTest.assertFiniteGradients(try NetTest.build(#"{"type": "ResNet", "depth": 18, "base_channel": 4, "in_channels": 1}"#),
                                      input: [2, 1, 28, 28], classes: 10)
    try NetTest.assertFiniteGradients(try NetTest.build(#"{"type": "ResNet", "depth": 50, "base_channel": 4}"#),
                                      input: [2, 3, 32, 32], classes: 10)
  }

  func testBadDescriptionsNameTheKey() {
    func error(_ text: String) -> String { NetTest.errorText { try NetTest.build(text) } }
    XCTAssertTrue(error(#"{"type": "ResNet", "depth": 19}"#).contains("depth: must be one of 18, 20, 34, 50, 101, 152, got 19"))
    XCTAssertTrue(error(#"{"type": "ResNet", "doublechannel": [0,1]}"#).contains("doublechannel: expected 8 entries for depth 18 (one per block), got 2"))
    XCTAssertTrue(error(#"{"type": "ResNet", "depth": 34, "downsample": 4}"#).contains("downsample: a count must be 0…3"))
    XCTAssertTrue(error(#"{"type": "ResNet", "downsample": [0,0,2,0,1,0,1,0]}"#).contains("downsample[3]: expected 0 or 1, got 2"))
    XCTAssertTrue(error(#"{"type": "ResNet", "doublechannel": 3, "cell": {"inchannels": [2]}}"#).contains("not both"))
    XCTAssertTrue(error(#"{"type": "ResNet", "cell": {"inchannels": [8]}}"#).contains("position 8 is past the 8 blocks"))
    XCTAssertTrue(error(#"{"type": "ResNet", "cell": {"inchanels": [2]}}"#).contains("unknown key 'inchanels' (did you mean 'inchannels'?)"))
    XCTAssertTrue(error(#"{"type": "ResNet", "convs": {"inchannels": [64, 64]}}"#).contains("expected 16 widths for depth 18"))
    XCTAssertTrue(error(#"{"type": "ResNet", "convs": {"inchannels": [64, 0]}}"#).contains("convs.inchannels[2]: expected an integer in 1…1048576, got 0"))
    XCTAssertTrue(error(#"{"type": "ResNet", "num_class": 10, "n_class": 10}"#).contains("not both"))
    XCTAssertTrue(error(#"{"type": "ResNet", "depht": 18, "base_channel": 4}"#).contains("unknown key 'depht' (did you mean 'depth'?)"))
    XCTAssertTrue(error(#"{"type": "ResNet", "doublechannel": [1,1,1,1,1,1,1,1]}"#).contains("maxParameters"))
  }
}
