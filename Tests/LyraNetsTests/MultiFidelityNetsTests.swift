import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraNets

/// The networks of VEGA's multi-fidelity NAS examples: MobileNetV2 with per-stage
/// `layer_N: {channels, repetitions}` (nas/mfasc) and SimpleCnnMFKD (nas/mfkd).
final class MultiFidelityNetsTests: XCTestCase {
  func testMobileNetV2LayerKeysReplaceAStagesWidthAndBlockCount() throws {
    let m = try NetTest.build(#"{"type": "MobileNetV2", "in_channels": 1, "layer_0": {"channels": 24, "repetitions": 2}, "layer_3": {"repetitions": 1}, "layer_6": {"channels": 640}}"#)
    let blocks = m.modules(ofType: InvertedResidualBlock.self).map(\.name)
    // Stage 1 now has 2 blocks, stage 4 one (the table: 1 and 4).
    XCTAssertEqual(blocks.filter { $0.hasPrefix("stage1.") }, ["stage1.block1", "stage1.block2"])
    XCTAssertEqual(blocks.filter { $0.hasPrefix("stage4.") }, ["stage4.block1"])
    XCTAssertEqual(blocks.count, 17 + 1 - 3)
    XCTAssertEqual((m.module(named: "stage1.block1.project") as? Operator)?.outChannels, 24)
    XCTAssertEqual((m.module(named: "stage7.block1.project") as? Operator)?.outChannels, 640)
    // Untouched stages keep the table's width.
    XCTAssertEqual((m.module(named: "stage2.block1.project") as? Operator)?.outChannels, 24)
    XCTAssertEqual(try m(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
    // width_mult scales the given channels as the table's (24 · 0.5 = 12 → 16, a multiple of 8).
    let half = try NetTest.build(#"{"type": "MobileNetV2", "width_mult": 0.5, "layer_0": {"channels": 24}}"#)
    XCTAssertEqual((half.module(named: "stage1.block1.project") as? Operator)?.outChannels, 16)
  }

  func testMobileNetV2LayerKeysAreChecked() {
    func message(_ text: String) -> String {
      do { _ = try NetTest.build(text); return "built" } catch { return "\(error)" }
    }
    XCTAssertTrue(message(#"{"type": "MobileNetV2", "width_mult": 0.25, "layer_0": {"repetition": 2}}"#).contains("unknown key 'repetition' (did you mean 'repetitions'?)"))
    XCTAssertTrue(message(#"{"type": "MobileNetV2", "width_mult": 0.25, "layer_2": {"repetitions": 0}}"#).contains("layer_2.repetitions: must be at least 1"))
    XCTAssertTrue(message(#"{"type": "MobileNetV2", "width_mult": 0.25, "layer_1": 32}"#).contains("layer_1: expected {channels, repetitions}"))
    XCTAssertTrue(message(#"{"type": "MobileNetV2", "width_mult": 0.25, "layer_7": {"channels": 8}}"#).contains("unknown key 'layer_7'"))
  }

  static let mfkd = #"""
    {"type": "SimpleCnnMFKD",
     "conv_layer_0": {"kernel_size": 5, "bn": true, "relu": true, "filters": 8},
     "conv_layer_1": {"kernel_size": 1, "bn": false, "relu": true, "filters": 16},
     "conv_layer_2": {"kernel_size": 3, "bn": true, "relu": false, "filters": 32},
     "fully_connect": {"output_unit": 20}}
    """#

  func testSimpleCnnMFKDBuildsWhatItsDescriptionSays() throws {
    // VEGA's fixed input: 3×32×32 → 4×4 after three poolings; 32·16 = 512 features.
    let m = try NetTest.build(MultiFidelityNetsTests.mfkd)
    let convs = m.modules(ofType: Conv2d.self).map(\.module)
    XCTAssertEqual(convs.map(\.outChannels), [8, 16, 32])
    XCTAssertEqual(convs.map(\.kernel.h), [5, 1, 3])
    XCTAssertEqual(m.modules(ofType: BatchNorm2d.self).count, 2)
    XCTAssertEqual(m.modules(ofType: ReLU.self).count, 2 + 1, "two stages with relu, and the hidden layer's")
    XCTAssertEqual(m.modules(ofType: MaxPool2d.self).count, 3)
    XCTAssertEqual(m.modules(ofType: Linear.self).map { [$0.module.inFeatures, $0.module.outFeatures] }, [[512, 20], [20, 10]])
    XCTAssertEqual(try m(NetTest.input([2, 3, 32, 32])).shape, [2, 10])
    // Fashion-MNIST's 1×28×28 from the data: 28 → 14 → 7 → 3.
    let (gray, desc) = try NetworkRegistry.buildDescribed(try NetTest.json(MultiFidelityNetsTests.mfkd), input: [1, 28, 28])
    XCTAssertEqual(gray.modules(ofType: Linear.self).first?.module.inFeatures, 32 * 3 * 3)
    XCTAssertEqual(try gray(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
    XCTAssertEqual(try NetworkRegistry.build(desc).parameterCount, gray.parameterCount, "the completed description rebuilds it")
    try NetTest.assertFiniteGradients(gray, input: [2, 1, 28, 28], classes: 10)
  }

  func testSimpleCnnMFKDRefusesBadParts() {
    func message(_ edit: (String) -> String) -> String {
      do { _ = try NetTest.build(edit(MultiFidelityNetsTests.mfkd)); return "built" } catch { return "\(error)" }
    }
    XCTAssertTrue(message { $0.replacingOccurrences(of: #""conv_layer_2""#, with: #""conv_layer_3""#) }.contains("missing 'conv_layer_2'"))
    XCTAssertTrue(message { $0.replacingOccurrences(of: #""filters": 16"#, with: #""filter": 16"#) }.contains("conv_layer_1: missing 'filters'"))
    XCTAssertTrue(message { $0.replacingOccurrences(of: #""output_unit": 20"#, with: #""output_unit": 0"#) }.contains("output_unit: must be at least 1"))
    // 4 → 4 → pool 2 → 2 → pool 1: the third stage has nothing left to pool.
    XCTAssertTrue(message { $0.replacingOccurrences(of: #""type": "SimpleCnnMFKD","#, with: #""type": "SimpleCnnMFKD", "image_size": 4,"#) }
      .contains("conv_layer_2.kernel_size: a 3×3 kernel and the poolings before it leave no 2×2 window"))
  }
}
