import Foundation
import LyraBase
import LyraNN
import LyraONNX
import LyraTensor
import XCTest

/// Quant-EA's quantised layers export as float layers with the weights they compute with,
/// and input fake-quantisation as Div/Round/Add/Clip/Sub/Mul: the file reproduces the
/// quantised network.
final class QuantizedExportTests: XCTestCase {
  func testQuantizedCNNRoundTrip() throws {
    let float = ReferenceModels.cnn(generator: Generator(seed: 31))
    let model = try Quantization.apply(float, bits: [4, 6, 8, 3], activationBits: [nil, 8, 4, 32])
    let g = Generator(seed: 32)
    model.train()
    _ = try Tensor.noGrad { try model(Tensor.randn([8, 1, 28, 28], generator: g)) }  // calibrates the activation ranges
    model.eval()
    let proto = try ONNXExporter.build(model, inputShape: [1, 1, 28, 28])
    let graph = try proto.graph()
    XCTAssertEqual(graph.nodes.filter { $0.opType == "Round" }.count, 2)
    let x = Tensor.randn([4, 1, 28, 28], generator: g)
    let want = try Tensor.noGrad { try model(x) }
    // Unfolded: the same operators in the same order as the native layers, so quantisation
    // buckets cannot flip on a last-bit difference.
    let diff = try ONNXModel(graph: graph, foldBatchNorms: false)(x).sub(want).abs().max().item()
    print("ONNX round trip quantised cnn: max |onnx - native| = \(diff)")
    XCTAssertLessThanOrEqual(diff, 1e-4)
    // And the weights really are the quantised ones, not the float shadow weights.
    let floatOut = try Tensor.noGrad { try float.eval()(x) }
    XCTAssertGreaterThan(want.sub(floatOut).abs().max().item(), 1e-3)
  }

  func testUncalibratedActivationRangeIsRefused() throws {
    let model = try Quantization.apply(ReferenceModels.mlp(generator: Generator(seed: 33)), bits: [8, 8, 8], activationBits: [8, nil, nil])
    XCTAssertThrowsError(try ONNXExporter.build(model.eval(), inputShape: [1, 1, 28, 28])) { error in
      XCTAssertTrue("\(error)".contains("QuantLinear") && "\(error)".contains("calibrated"), "\(error)")
    }
  }
}
