import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraNets

final class GhostNetNasTests: XCTestCase {
  /// Hand count, basic blocks, 4 → 4 channels, 3 blocks (cheap 2, raw 2): base and end
  /// 2·(4·4·9 + 8) = 304 each; reduce 4·2 = 8; one middle block 2·(2·2·9 + 4) = 80;
  /// merge 1×1 (4 + 2) → 2 = 12 + BN 4; cheap 4·2 + BN 4 = 12. Total 724.
  func testGhostModuleBasicHandCount() {
    let m = GhostModule(4, planes: 4, blocks: 3, stride: 1, bottleneck: false, cheapRatio: 0.5)
    XCTAssertEqual(m.parameterCount, 724)
  }

  /// Bottleneck (expansion 4), 8 → planes 2, 3 blocks (cheap 1, raw 1): base and end
  /// 8·2 + 4 + 2·2·9 + 4 + 2·8 + 16 = 92 each; reduce 8·4 = 32; middle 4 + 2 + 9 + 2 + 4 + 8
  /// = 29; merge (8 + 4)·4 + 8 = 56 (VEGA's raw·4·blocks = 12 inputs); cheap 8·4 + 8 = 40. 341.
  func testGhostModuleBottleneckHandCountAndVegaMergeWidth() throws {
    let m = GhostModule(8, planes: 2, blocks: 3, stride: 1, bottleneck: true, cheapRatio: 0.5)
    XCTAssertEqual(m.parameterCount, 341)
    let merge = try XCTUnwrap(m.module(named: "merge") as? Sequential)
    XCTAssertEqual(merge.modules(ofType: Conv2d.self).first?.module.inChannels, 1 * 4 * 3)
    let two = GhostModule(8, planes: 2, blocks: 2, stride: 2, bottleneck: true, cheapRatio: 0.5)
    XCTAssertEqual(two.parameterCount, 92 + (8 * 8 + 16) + 92, "two blocks: base (with its 8→8 strided 1×1 projection + BN) and end only")
  }

  func testNetworkShapesAndStem() throws {
    let basic = try NetTest.build(#"{"type": "GhostNetNas", "block": "BasicBlock", "stage1": 3, "stage2": 2, "stage3": 4, "stage4": 2, "base_channel": 4, "in_channels": 1}"#)
    XCTAssertEqual(try basic(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
    XCTAssertNil(basic.module(named: "stem.pool"), "small images: no max-pool")
    XCTAssertEqual((basic.module(named: "head") as? Linear)?.inFeatures, 32)
    let big = try NetTest.build(#"{"type": "GhostNetNas", "base_channel": 4, "num_classes": 20, "image_size": 96}"#)
    XCTAssertNotNil(big.module(named: "stem.pool"))
    XCTAssertEqual((big.module(named: "head") as? Linear)?.inFeatures, 128, "bottleneck: 8·4·4")
    XCTAssertEqual(try big(NetTest.input([2, 3, 96, 96])).shape, [2, 20])
    XCTAssertEqual(big.modules(ofType: GhostModule.self).count, 4)
    // blocks per stage: base + (n − 2) middle + end
    XCTAssertEqual(big.modules(ofType: ResidualBlock.self, under: "stage3").count, 6)
    try NetTest.assertFiniteGradients(basic, input: [2, 1, 28, 28], classes: 10)
  }

  func testGhostModuleGradientMatchesFiniteDifferences() throws {
    let m = GhostModule(2, planes: 2, blocks: 3, stride: 1, bottleneck: false, cheapRatio: 0.5)
    m.eval()
    let problem = try NetGradCheck.mismatch(m, NetTest.input([1, 2, 4, 4], seed: 3), eps: 1e-3, rtol: 2e-2, atol: 2e-3) {}
    XCTAssertNil(problem)
  }

  func testBadKeysAreNamed() {
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"type": "GhostNetNas", "block": "Bottleneckk"}"#) }
      .contains("did you mean 'Bottleneck'"))
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"type": "GhostNetNas", "stage5": 2, "base_channel": 4}"#) }.contains("unknown key 'stage5'"))
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"type": "GhostNetNas", "stage2": 0, "base_channel": 4}"#) }.contains("stage2: must be at least 1"))
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"type": "GhostNetNas", "cheap_ratio": 1, "base_channel": 4}"#) }.contains("cheap_ratio: must be below 1"))
  }
}
