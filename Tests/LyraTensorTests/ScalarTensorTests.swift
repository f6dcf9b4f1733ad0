import XCTest
@testable import LyraTensor

/// 0-d tensors in the ops that treat a scalar as one line of one element (PyTorch accepts
/// dim 0 / -1 there): before, `axisSplit` read `shape[0]` of an empty shape and softmax,
/// argmax, max and sum along a dimension of a scalar crashed.
final class ScalarTensorTests: XCTestCase {
  func testSoftmaxOfAScalarIsOneAndLogSoftmaxZero() {
    for v: Float in [3, -1e30, 0] {
      let s = Tensor(v)
      XCTAssertEqual(s.softmax(0).shape, [])
      XCTAssertEqual(s.softmax(-1).item(), 1)
      XCTAssertEqual(s.logSoftmax(0).item(), 0)
    }
  }

  func testReductionsAlongTheScalarsOnlyDimension() {
    let s = Tensor(Float(-2.5))
    XCTAssertEqual(s.sum(0).shape, [])
    XCTAssertEqual(s.sum(0, keepdim: true).shape, [])
    XCTAssertEqual(s.sum(0).item(), -2.5)
    XCTAssertEqual(s.mean(-1).item(), -2.5)
    let m = s.max(0)
    XCTAssertEqual(m.values.item(), -2.5)
    XCTAssertEqual(m.indices.shape, [])
    XCTAssertEqual(m.indices.toIntArray(), [0])
    XCTAssertEqual(s.argmax(0).toIntArray(), [0])
    XCTAssertEqual(s.argmin().toIntArray(), [0])
    XCTAssertEqual(s.squeeze(0).shape, [])
  }

  func testGradientsThroughScalarReductions() {
    let s = Tensor(Float(0.7))
    s.requiresGrad_(true)
    gradCheck([s]) { $0[0].sum(0).mul(3) }
    gradCheck([s]) { $0[0].softmax(0).add($0[0].logSoftmax(0)) }
    gradCheck([s]) { $0[0].max(0).values.mul($0[0]) }
  }
}
