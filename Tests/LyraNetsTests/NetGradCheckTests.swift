import LyraBase
import LyraNN
import LyraTensor
import XCTest

final class NetGradCheckTests: XCTestCase {
  /// The checker must catch a wrong gradient: value x², tape gradient 3x, is rejected;
  /// the right one (value and gradient of x²) passes.
  func testTheCheckerRejectsAWrongGradient() throws {
    final class Square: Module {
      let wrong: Bool
      init(wrong: Bool) { self.wrong = wrong; super.init() }
      override func forward(_ x: Tensor) throws -> Tensor {
        let v = x.detach().mul(x.detach())
        return wrong ? v + (x.mul(x.detach()).mul(3) - v.mul(3)) : x.mul(x)
      }
    }
    let x = NetTest.input([2, 3])
    XCTAssertNotNil(try NetGradCheck.mismatch(Square(wrong: true), x) {})
    XCTAssertNil(try NetGradCheck.mismatch(Square(wrong: false), x) {})
  }
}
