import Foundation
import LyraBase
import LyraNets
import LyraNN
import LyraONNX
import LyraTensor
import XCTest

/// Networks LyraNets builds (Network / Cell / Operator wrappers and residual blocks, whose
/// wiring the exporter infers and verifies) through export → checker → import.
final class NetworkExportTests: XCTestCase {
  func roundTrip(_ json: String, inputShape: [Int], file: StaticString = #filePath, line: UInt = #line) throws -> Float {
    let model = try NetworkRegistry.build(try JSON.parse(Data(json.utf8)))
    model.eval()
    let proto = try ONNXExporter.build(model, inputShape: inputShape)
    let imported = try ONNXModel(data: try proto.serialized())
    let x = Tensor.randn([2] + inputShape.dropFirst(), generator: Generator(seed: 3))
    let want = try Tensor.noGrad { try model(x) }
    let diff = try imported(x).sub(want).abs().max().item()
    print("ONNX round trip \(json): max |onnx - native| = \(diff)")
    XCTAssertLessThanOrEqual(diff, 1e-4, file: file, line: line)
    return diff
  }

  func testResNet() throws {
    _ = try roundTrip(#"{"type": "ResNet", "depth": 20, "base_channel": 8, "in_channels": 1}"#, inputShape: [1, 1, 28, 28])
    _ = try roundTrip(#"{"type": "ResNet", "depth": 50, "base_channel": 4, "small_input": false}"#, inputShape: [1, 3, 64, 64])
  }

  func testMobileNetV2() throws {
    _ = try roundTrip(#"{"type": "MobileNetV2", "width_mult": 0.25, "in_channels": 1}"#, inputShape: [1, 1, 28, 28])
  }

  func testComposite() throws {
    _ = try roundTrip(#"{"modules": ["backbone", "head"], "backbone": {"type": "ResNetGeneral", "depth": 18, "base_channel": 4, "in_channels": 1}, "head": {"type": "Sequential", "modules": [{"type": "AdaptiveAvgPool2d"}, {"type": "Flatten"}, {"type": "Linear", "in_features": 32, "out_features": 3}]}}"#,
                      inputShape: [1, 1, 16, 16])
  }

  /// DNet's blocks describe their add/concat links as data (GraphDescribed): exported and
  /// checked, including projections across strides and concat-widened layers.
  func testDNet() throws {
    _ = try roundTrip(#"{"type": "DNet", "encoding": "01120-c01a13_8_1", "in_channels": 1}"#, inputShape: [1, 1, 28, 28])
    _ = try roundTrip(#"{"type": "DNet", "encoding": "01120-c02_8_-1", "in_channels": 1, "small_input": true}"#, inputShape: [1, 1, 28, 28])
    _ = try roundTrip(#"{"type": "DNet", "encoding": "425-a01_16_2-2-121", "in_channels": 1, "small_input": true}"#, inputShape: [1, 1, 28, 28])
    _ = try roundTrip(#"{"type": "DNet", "encoding": "031-*01120-c01_8_1-2", "in_channels": 3}"#, inputShape: [1, 3, 32, 32])
  }
}
