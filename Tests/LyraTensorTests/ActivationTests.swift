import XCTest
import Foundation
@testable import LyraTensor

final class ActivationTests: XCTestCase {
  /// Values spread over [-7, 7] that avoid the kinks at 0, ±3 and 6 by a margin wider than eps.
  func input() -> Tensor {
    let v = (0..<105).map { i -> Float in
      var x = Float(i) / 104 * 14 - 7 + 0.0123
      for k: Float in [0, 3, -3, 6] where Swift.abs(x - k) < 0.01 { x += 0.02 }
      return x
    }
    return Tensor(v, shape: [3, 5, 7]).requiresGrad_()
  }

  func check(_ name: String, _ f: (Tensor) -> Tensor, _ ref: (Double) -> Double) {
    let x = input()
    let y = f(x).toArray()
    for (xi, yi) in zip(x.toArray(), y) {
      XCTAssertEqual(Double(yi), ref(Double(xi)), accuracy: 1e-5 * Swift.max(1, Swift.abs(ref(Double(xi)))), "\(name)(\(xi))")
    }
    gradCheck([x]) { f($0[0]) }
  }

  func testRelu() { check("relu", { $0.relu() }) { Swift.max($0, 0) } }
  func testRelu6() { check("relu6", { $0.relu6() }) { Swift.min(Swift.max($0, 0), 6) } }
  func testLeakyRelu() { check("leaky_relu", { $0.leakyRelu(0.1) }) { $0 > 0 ? $0 : 0.1 * $0 } }
  func testSigmoid() { check("sigmoid", { $0.sigmoid() }) { 1 / (1 + Foundation.exp(-$0)) } }
  func testTanh() { check("tanh", { $0.tanh() }) { Foundation.tanh($0) } }
  func testGelu() { check("gelu", { $0.gelu() }) { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) } }
  func testSilu() { check("silu", { $0.silu() }) { $0 / (1 + Foundation.exp(-$0)) } }
  func testHardswish() { check("hardswish", { $0.hardswish() }) { $0 * Swift.min(Swift.max($0 + 3, 0), 6) / 6 } }
  func testSoftplus() { check("softplus", { $0.softplus() }) { Foundation.log(1 + Foundation.exp($0)) } }

  func testSigmoidIsStableForLargeInputs() {
    let y = Tensor([-200, 200]).sigmoid().toArray()
    XCTAssertEqual(y, [0, 1])
  }
}
