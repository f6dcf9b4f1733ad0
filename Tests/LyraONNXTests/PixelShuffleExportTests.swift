import Foundation
import LyraBase
import LyraNN
import LyraONNX
import LyraTensor
import XCTest

/// PixelShuffle exports as ONNX DepthToSpace (CRD), passes onnx::checker, and the
/// imported graph computes what the native module does; the file holds the op by name.
final class PixelShuffleExportTests: FolderTestCase {
  func testSubPixelConvRoundTrip() throws {
    let g = Generator(seed: 5)
    let model = Sequential([Conv2d(3, 12, 3, padding: 1, generator: g), PixelShuffle(2), Conv2d(3, 3, 3, padding: 1, generator: g)])
    model.eval()
    let path = dir.appendingPathComponent("espcn.onnx").path
    try ONNXExporter.export(model, inputShape: [1, 3, 5, 6], to: path)
    try ONNXChecker.check(path: path, full: true)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    XCTAssertNotNil(bytes.range(of: Data("DepthToSpace".utf8)))
    XCTAssertNotNil(bytes.range(of: Data("CRD".utf8)))
    let imported = try ONNXModel(path: path)
    let x = Tensor.randn([2, 3, 5, 6], generator: g)
    let native = try Tensor.noGrad { try model(x) }
    let onnx = try imported(x)
    XCTAssertEqual(onnx.shape, [2, 3, 10, 12])
    XCTAssertLessThanOrEqual(onnx.sub(native).abs().max().item(), 1e-4)
  }

  func testPixelShuffleRefusesBadChannels() {
    XCTAssertThrowsError(try PixelShuffle(2)(Tensor.zeros([1, 6, 2, 2]))) { XCTAssertTrue("\($0)".contains("multiple of 4")) }
  }
}
