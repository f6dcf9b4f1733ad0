import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraNets

final class FmdNetworkTests: XCTestCase {
  static let tiny = #"{"type": "FmdNetwork", "depth": 8, "in_channels": 1, "num_classes": 10, "args": {"drop_prob": 0.1, "alpha": 5, "block_size": 3}}"#

  /// Hand count, depth 8 (one block a stage), 1 input channel: stem 1·16·9 = 144;
  /// layer1 BN 32 + conv 2304 + BN 32 + conv 2304 = 4,672; layer2 BN 32 + 16·32·9 + BN 64
  /// + 32·32·9 + shortcut 16·32 = 14,432; layer3 BN 64 + 32·64·9 + BN 128 + 64·64·9 + 32·64
  /// = 57,536; final BN 128; fc 64·10 + 10 = 650. Total 77,562.
  func testParameterCountMatchesHandCount() throws {
    let m = try NetTest.build(Self.tiny)
    XCTAssertEqual(m.parameterCount, 77_562)
    XCTAssertNil(m.module(named: "layer1.block1.downsample"), "same width and stride: identity shortcut")
    XCTAssertNotNil(m.module(named: "layer2.block1.downsample"))
    XCTAssertEqual(m.modules(ofType: FeatureMapDistortion.self).map(\.name), ["layer3.block1.fmd1", "layer3.block1.fmd2"])
  }

  /// depth 56 is nine blocks a stage; the distortion units follow VEGA's last stage only.
  func testExampleDepthAndForwardShapes() throws {
    let m = try NetTest.build(#"{"type": "FmdNetwork", "depth": 20, "num_classes": 10, "args": {"drop_prob": 0.03, "alpha": 5, "block_size": 6}}"#)
    XCTAssertEqual(m.modules(ofType: PreActBlock.self).count, 9)
    XCTAssertEqual(m.modules(ofType: FeatureMapDistortion.self).count, 6)
    m.train()
    XCTAssertEqual(try m(NetTest.input([2, 3, 32, 32])).shape, [2, 10])
    let gray = try NetTest.build(Self.tiny)
    gray.train()
    XCTAssertEqual(try gray(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
    try NetTest.assertFiniteGradients(gray, input: [2, 1, 28, 28], classes: 10)
  }

  /// Each unit's noise scale comes from the next non-shortcut convolution (VEGA's convloc).
  func testNoiseScalesWireToTheFollowingConvolution() throws {
    let m = try NetTest.build(#"{"type": "FmdNetwork", "depth": 14, "args": {"drop_prob": 0.1, "alpha": 1, "block_size": 2}}"#)
    func unit(_ n: String) throws -> FeatureMapDistortion { try XCTUnwrap(m.module(named: n) as? FeatureMapDistortion) }
    XCTAssertTrue(try unit("layer3.block1.fmd1").next === m.module(named: "layer3.block1.conv2"))
    XCTAssertTrue(try unit("layer3.block1.fmd2").next === m.module(named: "layer3.block2.conv1"))
    XCTAssertNil(try unit("layer3.block2.fmd2").next, "the last unit has no convolution after it")
  }

  /// Evaluation is the identity; at drop rate 0 training is too (mean(M) = 1, no noise).
  func testIdentityInEvaluationAndAtRateZero() throws {
    let x = NetTest.input([2, 3, 6, 6])
    let f = FeatureMapDistortion(dropProb: 0.5, blockSize: 3, alpha: 5, rampSteps: 1)
    f.eval()
    XCTAssertEqual(try f(x).toArray(), x.toArray())
    let zero = FeatureMapDistortion(dropProb: 0, blockSize: 3, alpha: 5, rampSteps: 1)
    zero.train()
    XCTAssertEqual(try zero(x).toArray(), x.toArray())
  }

  /// Without noise (α = 0) the kept values are x / mean(M) and the dropped ones are 0,
  /// and every dropped position lies in a fully dropped 3×3 block.
  func testDroppedPositionsFormBlocksAndKeptOnesAreRescaled() throws {
    let f = FeatureMapDistortion(dropProb: 0.3, blockSize: 3, alpha: 0, rampSteps: 1, generator: Generator(seed: 4))
    f.train()
    let x = Tensor.rand([1, 4, 10, 10], generator: Generator(seed: 2)) + 1 // all positive: a 0 is a drop
    let y = try f(x).toArray(), xv = x.toArray()
    let dropped = y.map { $0 == 0 }
    let kept = dropped.filter { !$0 }.count
    XCTAssertGreaterThan(kept, 0)
    XCTAssertLessThan(kept, y.count, "a rate of 0.3 drops something in 400 positions")
    let scale = Float(y.count) / Float(kept)
    for i in 0..<y.count where !dropped[i] { XCTAssertEqual(y[i], xv[i] * scale, accuracy: 1e-5) }
    for m in 0..<4 {
      for i in 0..<10 {
        for j in 0..<10 where dropped[(m * 10 + i) * 10 + j] {
          let inBlock = (max(0, i - 2)...min(7, i)).contains { r in
            (max(0, j - 2)...min(7, j)).contains { c in
              (0..<3).allSatisfy { a in (0..<3).allSatisfy { b in dropped[(m * 10 + r + a) * 10 + c + b] } }
            }
          }
          XCTAssertTrue(inBlock, "map \(m) (\(i), \(j)) dropped outside a 3×3 block")
        }
      }
    }
  }

  /// Noise fills exactly the dropped positions, scaled by α·σ(x)·w_c: zero weights after
  /// the unit (w_c = 0) leave zeros there, any other weights do not.
  func testNoiseFollowsTheNextConvolutionsWeights() throws {
    let x = Tensor.rand([1, 2, 8, 8], generator: Generator(seed: 3)) + 1
    func run(weight: Float) throws -> [Float] {
      let conv = Conv2d(2, 3, 3, padding: 1, bias: false)
      conv.weight.data.update(repeating: weight, count: conv.weight.count)
      let f = FeatureMapDistortion(dropProb: 0.4, blockSize: 2, alpha: 5, rampSteps: 1, generator: Generator(seed: 5))
      f.next = conv
      f.train()
      return try f(x).toArray()
    }
    let quiet = try run(weight: 0), noisy = try run(weight: 1)
    let dropped = quiet.indices.filter { quiet[$0] == 0 }
    XCTAssertFalse(dropped.isEmpty)
    XCTAssertTrue(dropped.allSatisfy { noisy[$0] != 0 }, "dropped positions carry noise")
    let kept = quiet.indices.filter { quiet[$0] != 0 }
    XCTAssertEqual(kept.map { noisy[$0] }, kept.map { quiet[$0] }, "kept positions carry no noise")
  }

  func testGradientMatchesFiniteDifferences() throws {
    let g = Generator(seed: 7)
    let f = FeatureMapDistortion(dropProb: 0.3, blockSize: 2, alpha: 0, rampSteps: 1, generator: g)
    f.train()
    let problem = try NetGradCheck.mismatch(f, NetTest.input([1, 2, 5, 5])) { g.manualSeed(7) }
    XCTAssertNil(problem)
  }

  func testDropRateRampsLinearly() throws {
    let f = FeatureMapDistortion(dropProb: 0.4, blockSize: 1, alpha: 0, rampSteps: 5)
    f.train()
    var seen: [Double] = []
    for _ in 0..<6 {
      seen.append(f.currentDropProb)
      _ = try f(NetTest.input([1, 1, 3, 3]))
    }
    XCTAssertEqual(seen.map { ($0 * 1000).rounded() / 1000 }, [0, 0.1, 0.2, 0.3, 0.4, 0.4])
  }

  func testBadKeysAreNamed() {
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"type": "FmdNetwork", "depth": 57, "args": {}}"#) }.contains("depth: must be 6n + 2"))
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"type": "FmdNetwork", "depth": 20, "args": {"drop_prb": 0.1}}"#) }
      .contains("args: unknown key 'drop_prb' (did you mean 'drop_prob'?)"))
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"type": "FmdNetwork", "depth": 20}"#) }.contains("args: expected"))
  }
}
