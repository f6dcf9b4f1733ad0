import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraNets

final class EfficientNetTests: XCTestCase {
  /// timm's efficientnet_b0 (built once: 5.3M weights take seconds in a debug build).
  static let b0 = try? NetTest.build(#"{"type": "EfficientNet", "model_name": "efficientnet_b0", "num_classes": 1000}"#)

  /// Hand count of the first block (depthwise-separable, 32 → 16, SE 32 → 8 → 32):
  /// conv_dw 32·9 + BN 64 + se (32·8 + 8) + (8·32 + 32) + conv_pw 32·16 + BN 32 = 1,448.
  /// The second (MBConv 6×, 16 → 24, k3, SE from 16·0.25 = 4): conv_pw 16·96 + BN 192,
  /// conv_dw 96·9 + BN 192, se 96·4 + 4 + 4·96 + 96, conv_pwl 96·24 + BN 48 = 6,004.
  func testBlockHandCounts() throws {
    let m = try XCTUnwrap(Self.b0)
    XCTAssertEqual(m.module(named: "blocks.0.0")?.parameterCount, 1_448)
    XCTAssertEqual(m.module(named: "blocks.1.0")?.parameterCount, 6_004)
    XCTAssertEqual((m.module(named: "blocks.1.0.se") as? SqueezeExcite)?.reduced, 4)
    let residual = m.modules(ofType: MBConvBlock.self).filter { $0.module.residual }.map(\.name)
    XCTAssertEqual(residual, ["blocks.1.1", "blocks.2.1", "blocks.3.1", "blocks.3.2", "blocks.4.1", "blocks.4.2",
                              "blocks.5.1", "blocks.5.2", "blocks.5.3"])
  }

  /// timm's `efficientnet_b0` / `efficientnet_b4` (ImageNet strides, 3 channels, 1000
  /// classes) have 5,288,548 and 19,341,616 parameters; the same blocks here give the same.
  func testTimmParameterCounts() throws {
    let b0 = try XCTUnwrap(Self.b0)
    XCTAssertEqual(b0.parameterCount, 5_288_548)
    XCTAssertEqual(b0.modules(ofType: MBConvBlock.self).count, 16)
    let b4 = try NetTest.build(#"{"type": "EfficientNet", "model_name": "efficientnet_b4", "num_classes": 1000}"#)
    XCTAssertEqual(b4.parameterCount, 19_341_616)
    XCTAssertEqual(b4.modules(ofType: MBConvBlock.self).count, 32, "repeats ⌈r·1.8⌉: 2, 4, 4, 6, 6, 8, 2")
    XCTAssertEqual((b4.module(named: "conv_stem") as? Conv2d)?.outChannels, 48)
    XCTAssertEqual((b4.module(named: "classifier") as? Linear)?.inFeatures, 1792)
  }

  func testForwardShapesSmallAndImageNetStrides() throws {
    let gray = try NetTest.build(#"{"type": "EfficientNet", "in_channels": 1, "image_size": 28, "drop": 0.2, "drop_path": 0.2}"#)
    XCTAssertEqual(try ModuleTracer.trace(gray, input: NetTest.input([1, 1, 28, 28])).first { $0.name == "conv_head" }?.output, [1, 1280, 4, 4])
    XCTAssertEqual(try gray(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
    XCTAssertEqual(EfficientNet.stages.map { EfficientNet.repeats($0.4, 1.1) }, [2, 3, 3, 4, 4, 5, 2], "b1: ⌈r·1.1⌉")
    let b0 = try XCTUnwrap(Self.b0)
    XCTAssertTrue(b0.modules(ofType: DropPath.self).isEmpty, "no drop_path key: no drop path")
    XCTAssertEqual((b0.module(named: "conv_stem") as? Conv2d)?.stride.h, 2, "no image size: timm's strides")
    // drop path rates grow with the block index: i/n · drop_path
    let rates = gray.modules(ofType: DropPath.self).map(\.module.p)
    XCTAssertEqual(rates.count, 9)
    XCTAssertEqual(rates, rates.sorted())
    XCTAssertEqual(Double(try XCTUnwrap(rates.last)), 0.2 * 14 / 16, accuracy: 1e-6)
    try NetTest.assertFiniteGradients(gray, input: [2, 1, 28, 28], classes: 10)
  }

  func testSqueezeExciteGradientMatchesFiniteDifferences() throws {
    let se = SqueezeExcite(4, reduced: 2)
    let problem = try NetGradCheck.mismatch(se, NetTest.input([2, 4, 3, 3], seed: 5), eps: 1e-3, rtol: 2e-2, atol: 1e-3) {}
    XCTAssertNil(problem)
  }

  func testMBConvGradientMatchesFiniteDifferences() throws {
    let b = MBConvBlock(2, 2, kernel: 3, stride: 1, expansion: 2, seRatio: 0.25, dropPath: 0, norm: .init(eps: 1e-5, momentum: 0.1))
    b.eval()
    let problem = try NetGradCheck.mismatch(b, NetTest.input([1, 2, 4, 4], seed: 6), eps: 1e-3, rtol: 2e-2, atol: 1e-3) {}
    XCTAssertNil(problem)
  }

  /// Drop path keeps or zeroes whole samples, scaling the kept by 1/(1 − p).
  func testDropPathDropsWholeSamples() throws {
    let d = DropPath(0.5, generator: Generator(seed: 3))
    d.train()
    let x = Tensor.ones([16, 2, 2, 2])
    let y = try d(x).toArray()
    let per = (0..<16).map { Set(y[($0 * 8)..<($0 * 8 + 8)]) }
    XCTAssertTrue(per.allSatisfy { $0 == [0] || $0 == [2] }, "\(per)")
    XCTAssertTrue(per.contains([0]) && per.contains([2]))
    d.eval()
    XCTAssertEqual(try d(x).toArray(), x.toArray())
  }

  func testBatchNormSettingsAndBadKeys() throws {
    let tf = try NetTest.build(#"{"type": "EfficientNet", "bn_tf": true, "bn_momentum": null, "bn_eps": null, "image_size": 32}"#)
    XCTAssertEqual((tf.module(named: "bn1") as? BatchNorm2d)?.eps, 1e-3)
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"type": "EfficientNet", "model_name": "efficientnet_b9"}"#) }
      .contains("model_name: 'efficientnet_b9' is not one of"))
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"type": "EfficientNet", "gp": "max"}"#) }.contains("gp: only 'avg'"))
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"type": "EfficientNet", "pretrained": true}"#) }.contains("pretrained_model_file"))
  }
}
