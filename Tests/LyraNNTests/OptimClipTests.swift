import Foundation
import XCTest
import LyraTensor
@testable import LyraNN

final class OptimClipTests: XCTestCase {
  func params() -> [Tensor] {
    let a = Tensor([3, -4]).requiresGrad_(), b = Tensor([0]).requiresGrad_(), c = Tensor([1]).requiresGrad_()
    a.grad = Tensor([3, -4]); b.grad = Tensor([12])   // c has no gradient
    return [a, b, c]
  }

  func testTwoNormClipsJointly() {
    let p = params()
    XCTAssertEqual(clipGradNorm(p, maxNorm: 6.5), 13, accuracy: 1e-9)
    let f = 6.5 / (13 + 1e-6)
    XCTAssertEqual(p[0].grad!.toArray().map(Double.init), [3 * f, -4 * f].map { Double(Float($0)) }, accuracy: 1e-6)
    XCTAssertEqual(Double(p[1].grad!.toArray()[0]), 12 * f, accuracy: 1e-5)
    XCTAssertNil(p[2].grad)
  }

  func testBelowMaxLeavesGradientsAlone() {
    let p = params()
    XCTAssertEqual(clipGradNorm(p, maxNorm: 100), 13, accuracy: 1e-9)
    XCTAssertEqual(p[0].grad!.toArray(), [3, -4])
    XCTAssertEqual(p[1].grad!.toArray(), [12])
  }

  func testOtherNorms() {
    XCTAssertEqual(clipGradNorm(params(), maxNorm: 100, normType: 1), 19, accuracy: 1e-9)
    XCTAssertEqual(clipGradNorm(params(), maxNorm: 100, normType: .infinity), 12, accuracy: 1e-9)
    XCTAssertEqual(clipGradNorm(params(), maxNorm: 100, normType: 3), pow(27 + 64 + 1728, 1.0 / 3), accuracy: 1e-9)
    let p = params()
    XCTAssertEqual(clipGradNorm(p, maxNorm: 6, normType: .infinity), 12, accuracy: 1e-9)
    XCTAssertEqual(Double(p[1].grad!.toArray()[0]), 6, accuracy: 1e-5)
    XCTAssertEqual(clipGradNorm([Tensor([1]).requiresGrad_()], maxNorm: 1), 0)
  }

  func testClipValue() {
    let p = params()
    clipGradValue(p, clipValue: 3.5)
    XCTAssertEqual(p[0].grad!.toArray(), [3, -3.5])
    XCTAssertEqual(p[1].grad!.toArray(), [3.5])
  }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
  XCTAssertEqual(a.count, b.count, file: file, line: line)
  for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
