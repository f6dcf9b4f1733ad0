import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraNets

/// VEGA's MobileNetV2Tiny: torchvision's MobileNetV2 feature layers 0–17 (what VEGA's
/// module keeps), as a backbone whose last 320-channel map a classification head takes.
final class MobileNetV2TinyTests: XCTestCase {
  /// torchvision's `mobilenet_v2()` has 3,504,872 parameters; without `features[18]` (the
  /// 1×1 conv 320 → 1280 and its batch norm: 409,600 + 2,560) and the classifier
  /// (1280·1000 + 1000) that leaves 1,811,712.
  func testFeatureLayersMatchTorchvisionCount() throws {
    let m = try NetTest.build(#"{"type": "MobileNetV2Tiny"}"#)
    XCTAssertEqual(m.parameterCount, 3_504_872 - 409_600 - 2_560 - 1_281_000)
    XCTAssertEqual(m.modules(ofType: InvertedResidualBlock.self).count, 17)
    // ImageNet strides, 32× in all: 64 → 2.
    XCTAssertEqual(try m(NetTest.input([2, 3, 64, 64])).shape, [2, 320, 2, 2])
  }

  func testUnderAHeadAndItsKeys() throws {
    let m = try NetTest.build(#"{"modules": ["backbone", "head"], "backbone": {"type": "MobileNetV2Tiny", "in_channels": 1, "width_mult": 0.5},"#
                              + #" "head": {"type": "LinearClassificationHead", "base_channel": 160, "num_classes": 10}}"#)
    XCTAssertEqual(try m(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
    XCTAssertThrowsError(try NetTest.build(#"{"type": "MobileNetV2Tiny", "load_path": "x.pth"}"#)) {
      XCTAssertTrue("\($0)".contains("pretrained_model_file"), "\($0)")
    }
    XCTAssertThrowsError(try NetTest.build(#"{"type": "MobileNetV2Tiny", "round_nearest": 0}"#))
    XCTAssertThrowsError(try NetTest.build(#"{"type": "MobileNetV2Tiny", "widht_mult": 2}"#))
  }
}
