import LyraBase
import LyraKernels
import LyraTensor
import XCTest
@testable import LyraNN

/// Quantised layers on integer kernels in evaluation: the same outputs as their fake-quantised
/// float evaluation (on every ISA path), the gate that decides when integers run, and prepared
/// weights that follow every change of the float weights.
final class IntegerInferenceTests: XCTestCase {
  /// The reference CNN with 8-bit weights and inputs except the last layer (4-bit weights),
  /// calibrated by a few training-mode batches.
  func calibratedCNN() throws -> (Module, Tensor) {
    let model = try Quantization.apply(ReferenceModels.cnn(generator: Generator(seed: 4)), bits: [8, 8, 8, 4],
                                       activationBits: [8, 8, 8, 8])
    let g = Generator(seed: 9)
    model.train()
    for _ in 0..<3 { _ = try Tensor.noGrad { try model(Tensor.randn([8, 1, 28, 28], generator: g)) } }
    model.eval()
    return (model, Tensor.randn([6, 1, 28, 28], generator: g))
  }

  func evaluate(_ model: Module, _ x: Tensor, integer: Bool) throws -> [Float] {
    let saved = IntegerInference.enabled
    IntegerInference.enabled = integer
    defer { IntegerInference.enabled = saved }
    return try Tensor.noGrad { try model(x) }.toArray()
  }

  func testIntegerEvaluationMatchesFakeQuantisedOnEveryPath() throws {
    let (model, x) = try calibratedCNN()
    let fake = try evaluate(model, x, integer: false)
    let scale = fake.map(abs).max()!
    XCTAssertGreaterThan(scale, 0)
    let saved = KernelISA.active
    defer { KernelISA.force(saved) }
    let savedFusion = Sequential.fusion
    defer { Sequential.fusion = savedFusion }
    for isa in KernelISA.available { for fusion in [true, false] {
      KernelISA.force(isa)
      Sequential.fusion = fusion // BN folded into the integer epilogue and ReLU fused, or each module alone
      let ints = try evaluate(model, x, integer: true)
      XCTAssertEqual(ints.count, fake.count)
      let worst = zip(ints, fake).map { abs($0 - $1) }.max()!
      // A product that lands on a rounding boundary of the next layer's input grid moves one
      // step there; far below the output's own quantisation step.
      XCTAssertLessThan(worst, 2e-3 * scale, "\(isa): integer vs fake-quantised evaluation")
      // Same predictions.
      for r in 0..<6 {
        let a = ints[(r * 10)..<(r * 10 + 10)], b = fake[(r * 10)..<(r * 10 + 10)]
        XCTAssertEqual(a.firstIndex(of: a.max()!), b.firstIndex(of: b.max()!), "\(isa) row \(r)")
      }
    } }
  }

  func testGateRunsIntegersOnlyInCalibratedNoGradEvaluation() throws {
    let conv = QuantConv2d(Conv2d(2, 3, 3, generator: Generator(seed: 1)), bits: 8, activationBits: 8)
    conv.eval()
    XCTAssertNil(Tensor.noGrad { IntegerInference.grid(conv) }, "an uncalibrated range uses the batch's own range: float path")
    conv.activationRange!.data[0] = -1
    conv.activationRange!.data[1] = 3
    let grid = Tensor.noGrad { IntegerInference.grid(conv) }
    XCTAssertEqual(grid?.scale ?? 0, 4 / 255, accuracy: 1e-9)
    XCTAssertEqual(grid?.zeroPoint, 64)
    XCTAssertNil(IntegerInference.grid(conv), "recording gradients: the fake-quantised path keeps its gradients")
    conv.train()
    XCTAssertNil(Tensor.noGrad { IntegerInference.grid(conv) }, "training")
    conv.eval()
    IntegerInference.enabled = false
    XCTAssertNil(Tensor.noGrad { IntegerInference.grid(conv) }, "switched off")
    IntegerInference.enabled = true
    let weightsOnly = QuantConv2d(Conv2d(2, 3, 3, generator: Generator(seed: 1)), bits: 8)
    weightsOnly.eval()
    XCTAssertNil(Tensor.noGrad { IntegerInference.grid(weightsOnly) }, "float inputs: float products")
  }

  func testPreparedWeightsFollowWeightAndBiasChanges() throws {
    let lin = QuantLinear(Linear(7, 5, generator: Generator(seed: 2)), bits: 8, activationBits: 8)
    lin.activationRange!.data[0] = -2
    lin.activationRange!.data[1] = 2
    lin.eval()
    let x = Tensor.randn([4, 7], generator: Generator(seed: 3))
    func both() throws -> ([Float], [Float]) { (try evaluate(lin, x, integer: true), try evaluate(lin, x, integer: false)) }
    let (i0, f0) = try both()
    assertNear(i0, f0)
    lin.weight.data[3] += 0.5            // a write no version number would see
    lin.bias!.data[1] -= 1
    let (i1, f1) = try both()
    assertNear(i1, f1)
    XCTAssertNotEqual(i1, i0, "the integer path must see the new weights")
    lin.activationRange!.data[1] = 4     // a new input grid
    let (i2, f2) = try both()
    assertNear(i2, f2)
    XCTAssertNotEqual(i2, i1)
  }

  func assertNear(_ a: [Float], _ b: [Float], file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (u, v) in zip(a, b) { XCTAssertEqual(u, v, accuracy: 1e-4 * max(1, abs(v)), file: file, line: line) }
  }
}
