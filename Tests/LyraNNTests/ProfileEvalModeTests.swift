import XCTest
import LyraTensor
@testable import LyraNN

/// Profiling (a quota's `model_valid`, `lyra profile`) traces in eval mode: a BatchNorm over
/// 1×1 maps refuses a training batch of one, which failed every DNet sample on 28×28 images.
final class ProfileEvalModeTests: XCTestCase {
  func testABatchNormOverOnePixelProfilesAndTheModeIsKept() throws {
    let model = Sequential([Conv2d(2, 3, kernel: Window2d(3)), BatchNorm2d(3)])
    XCTAssertTrue(model.training)
    let p = try Profile(model, inputShape: [1, 2, 3, 3])
    XCTAssertEqual(p.parameters, 63) // conv 2·3·9 + 3, batch norm 3 + 3
    XCTAssertTrue(model.training)
    model.eval()
    _ = try Profile(model, inputShape: [1, 2, 3, 3])
    XCTAssertFalse(model.training)
  }
}
