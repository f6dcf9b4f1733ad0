import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraNets

final class DNetTests: XCTestCase {
  /// VEGA's documented DNet example (encodings: docs/algorithms/pareto_ea.md#dnet-encodings): stem to 64, then 15 blocks whose widths follow the macro
  /// `12-1111-11211112-2`, so the classifier reads 1024 channels.
  func testReferenceEncodingWidthsPerBlock() throws {
    let plan = try DNetCode.parse("031-_64_12-1111-11211112-2").plan()
    XCTAssertEqual(plan.stemWidths, [32, 32, 64])
    XCTAssertEqual(plan.blocks.map(\.outChannels), [64, 128, 128, 128, 128, 128, 128, 128, 256, 256, 256, 256, 256, 512, 1024])
    XCTAssertEqual(plan.blocks.map(\.stride), [1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 2])
    XCTAssertEqual(plan.blocks.map(\.stage), [0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3])
    // `031-`: conv3 to 2× the block width, then conv1 back to 1×; the conv3 takes the stride
    let b = plan.blocks[2]
    XCTAssertEqual(b.layers.map(\.outChannels), [256, 128])
    XCTAssertEqual(b.layers.map(\.stride), [2, 1])
    XCTAssertEqual(b.links.count, 1)
    XCTAssertEqual(b.links[0].link, DNetCode.Link(.add, from: 0, to: 2))
    XCTAssertNotNil(b.links[0].projection, "stride 2: the residual is projected")
    XCTAssertNil(plan.blocks[3].links[0].projection)

    let net = try NetTest.build(#"{"type": "DNet", "encoding": "031-_64_12-1111-11211112-2", "n_class": 10}"#)
    let head = net.module(named: "head") as? Linear
    XCTAssertEqual(head?.inFeatures, 1024)
    XCTAssertEqual(head?.outFeatures, 10)
    XCTAssertEqual(net.modules(ofType: EncodedBlock.self).count, 15)
    XCTAssertEqual(net.modules(ofType: Cell.self).map(\.name), ["stem", "stage1", "stage2", "stage3", "stage4"])
    XCTAssertEqual((net.module(named: "stage3.block3.layer1") as? Operator)?.outChannels, 512, "the first 2× block: 128·2 then ·2")
    XCTAssertEqual(try net(NetTest.input([2, 3, 32, 32])).shape, [2, 10])
  }

  /// `031-_8_1-2`, 1 input channel, 10 classes:
  /// stem 1·4·9 + 8 = 44, 4·4·9 + 8 = 152, 4·8·9 + 16 = 304 → 500;
  /// block 1 (8 → 8): conv3 8→16: 1,152 + 32; conv1 16→8: 128 + 16 → 1,328;
  /// block 2 (8 → 16, stride 2): conv3 8→32: 2,304 + 64; conv1 32→16: 512 + 32;
  /// residual projection 8→16: 128 + 32 → 3,072; head 16·10 + 10 = 170. Total 5,070.
  func testSmallEncodingParameterCount() throws {
    let net = try NetTest.build(#"{"type": "DNet", "encoding": "031-_8_1-2", "in_channels": 1}"#)
    XCTAssertEqual(net.parameterCount, 5_070)
    XCTAssertEqual(try net(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
    XCTAssertEqual(net.modules(ofType: Operator.self).map(\.name),
                   ["stem.conv1", "stem.conv2", "stem.conv3", "stage1.block1.layer1", "stage1.block1.layer2",
                    "stage2.block1.layer1", "stage2.block1.layer2", "stage2.block1.shortcut"])
  }

  /// `01120-c01a13_8_1`: conv3 (½×), conv1 (1×), conv3 (1×); the input is concatenated
  /// into layer 1's output, layer 1 is added into layer 3. 1 channel in, 10 classes:
  /// stem 500; layer1 8→4: 288 + 8 = 296, widened to 12 by the concat (no stride change,
  /// no projection); layer2 12→8: 96 + 16 = 112; layer3 8→8: 576 + 16 = 592; link a13
  /// projects 12→8: 96 + 16 = 112; the residual 8→8 needs none. Block 1,112; head 90.
  /// Total 1,702.
  func testConcatAndAddSkips() throws {
    let plan = try DNetCode.parse("01120-c01a13_8_1").plan(inChannels: 1)
    XCTAssertEqual(plan.blocks[0].layers.map(\.inChannels), [8, 12, 8])
    XCTAssertEqual(plan.blocks[0].links.map(\.link.token), ["c01", "a13", "a03"])
    XCTAssertEqual(plan.blocks[0].links.map { $0.projection != nil }, [false, true, false])
    let net = try NetTest.build(#"{"type": "DNet", "encoding": "01120-c01a13_8_1", "in_channels": 1}"#)
    XCTAssertEqual(net.parameterCount, 1_702)
    XCTAssertNotNil(net.module(named: "stage1.block1.skip2"), "a13 is the second link applied")
    XCTAssertNil(net.module(named: "stage1.block1.shortcut"))
    XCTAssertEqual(try net(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
    try NetTest.assertFiniteGradients(net, input: [2, 1, 28, 28], classes: 10)
  }

  /// `01120-c02_8_-1`: one strided block. The concat from the block input into layer 2
  /// crosses the stride, so it goes through a 1×1 stride-2 conv 8→8 (64 + 16 = 80) and
  /// widens layer 2 to 16. Stem 500; layer1 8→4 s2: 296; layer2 4→8: 32 + 16 = 48;
  /// layer3 16→8: 1,152 + 16 = 1,168; residual 8→8 s2: 80. Head 90. Total 2,262.
  func testConcatAcrossTheStrideIsProjected() throws {
    let net = try NetTest.build(#"{"type": "DNet", "encoding": "01120-c02_8_-1", "in_channels": 1}"#)
    XCTAssertEqual(net.parameterCount, 2_262)
    XCTAssertEqual(net.modules(ofType: Cell.self).map(\.name), ["stem", "stage1"], "a leading '-' opens no empty stage")
    XCTAssertEqual(try net(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
    try NetTest.assertFiniteGradients(net, input: [2, 1, 28, 28], classes: 10)
  }

  /// `*`: one block code per stage. `031-*01120-c01_8_1-2`: stage 1 uses `031-`
  /// (8 → 8: 1,328), stage 2 `01120-c01` at 2× with stride 2: layer1 8→8 s2: 576 + 16;
  /// the concat of the input crosses the stride: 64 + 16; layer2 16→16: 256 + 32;
  /// layer3 16→16: 2,304 + 32; residual 8→16 s2: 128 + 32 → 3,456. Stem 500, head 170.
  /// Total 5,454.
  func testPerStageBlockCodes() throws {
    let code = try DNetCode.parse("031-*01120-c01_8_1-2")
    XCTAssertEqual(code.blocks.count, 2)
    XCTAssertEqual(code.blockCode(at: 0), code.blocks[0])
    XCTAssertEqual(code.blockCode(at: 1), code.blocks[1])
    let net = try NetTest.build(#"{"type": "DNet", "encoding": "031-*01120-c01_8_1-2", "in_channels": 1}"#)
    XCTAssertEqual(net.parameterCount, 5_454)
    XCTAssertEqual(net.modules(ofType: Operator.self, under: "stage2.block1").map(\.name),
                   ["stage2.block1.layer1", "stage2.block1.layer2", "stage2.block1.layer3", "stage2.block1.skip1", "stage2.block1.shortcut"])
    XCTAssertEqual(try net(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
  }

  /// All seven operators in one block, built and run (groups, depthwise, separable).
  func testEveryOperatorBuildsAndTrains() throws {
    // 64 in, every layer 1× wide: conv3, conv1, grp2, grp4, base1 (groups 64), base32, sep; c35 widens
    // layer 5 to 128, so base32 reads 128 channels (groups 4)
    let text = "0212223242526-a02c35"
    let net = try NetTest.build(#"{"type": "DNet", "encoding": "\#(text)_64_1-2", "in_channels": 1}"#)
    let ops = net.modules(ofType: Operator.self, under: "stage1.block1").filter { $0.name.contains("layer") }.map(\.module)
    XCTAssertEqual(ops.map { $0.convolutions[0].groups }, [1, 1, 2, 4, 64, 4, 64])
    XCTAssertEqual(ops[6].convolutions.count, 2, "conv3_sep = depthwise 3×3 + pointwise 1×1")
    try NetTest.assertFiniteGradients(net, input: [2, 1, 16, 16], classes: 10)
  }

  func testGroupsThatDoNotDivideNameTheLayer() {
    func error(_ s: String) -> String { NetTest.errorText { try NetTest.build(#"{"type": "DNet", "encoding": "\#(s)"}"#) } }
    XCTAssertTrue(error("401-_64_1").contains("stage 1, block 1 (macro position 1): layer 1 (conv3_base1): channels 64 -> 16 must divide by groups 64"))
    XCTAssertTrue(error("3_6_1").contains("layer 1 (conv3_grp4): channels 6 -> 6 must divide by groups 4"))
    XCTAssertTrue(error("531-_16_1").contains("layer 1 (conv3_base32) needs at least 32 input channels"))
    XCTAssertTrue(error("000_2_1").contains("layer 1 (conv3) would have 2·2^0/4 = 0 output channels"))
    XCTAssertTrue(error("031-_64_1-x").hasPrefix("model_desc(DNet).encoding: DNet encoding '031-_64_1-x': 'x' at position 11"))
  }

  func testGradientsAreFiniteForTheReferenceEncoding() throws {
    let net = try NetTest.build(#"{"type": "DNet", "encoding": "031-_16_12-1111-11211112-2", "in_channels": 1}"#)
    try NetTest.assertFiniteGradients(net, input: [2, 1, 28, 28], classes: 10)
  }
}
