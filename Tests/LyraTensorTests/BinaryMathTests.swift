import XCTest
import Foundation
@testable import LyraTensor

/// The BinaryMath table against naive Double references, broadcasting, and
/// finite-difference gradients for both inputs; lerp likewise.
final class BinaryMathTests: XCTestCase {
  static let reference: [String: (Double, Double) -> Double] = [
    "atan2": Foundation.atan2,
    "fmod": Foundation.fmod,
    "remainder": { a, b in a - b * (a / b).rounded(.down) },
    "maximum": { a, b in a.isNaN || b.isNaN ? .nan : (a > b ? a : b) },
    "minimum": { a, b in a.isNaN || b.isNaN ? .nan : (a < b ? a : b) },
  ]
  static let values: [Float] = [-7.5, -5, -3, -1, -0.25, 0, 0.25, 1, 3, 5, 7.5, .nan]

  func testTableAndReferenceNameTheSameOps() {
    XCTAssertEqual(Set(BinaryMath.all.map(\.name)), Set(Self.reference.keys))
  }

  /// Every pair of the values via broadcasting [n, 1] against [n]; within 1e-6
  /// relative (1e-6 absolute near 0), NaN where the reference is NaN.
  func testValuesMatchTheReferenceOnAllPairs() {
    let n = Self.values.count
    let a = Tensor(Self.values, shape: [n, 1]), b = Tensor(Self.values, shape: [n])
    for op in BinaryMath.all {
      let got = a.apply(op, b)
      XCTAssertEqual(got.shape, [n, n])
      let v = got.toArray()
      for i in 0..<n { for j in 0..<n {
        let want = Self.reference[op.name]!(Double(Self.values[i]), Double(Self.values[j]))
        let g = v[i * n + j], what = "\(op.name)(\(Self.values[i]), \(Self.values[j])) = \(g), want \(want)"
        if want.isNaN { XCTAssertTrue(g.isNaN, what); continue }
        XCTAssertEqual(Double(g), want, accuracy: Swift.max(1e-6, 1e-6 * Swift.abs(want)), what)
      } }
    }
  }

  func testRemainderTakesTheDivisorsSignAndFmodTheDividends() {
    let a = Tensor([-5, 5, -5, 5], shape: [4]), b = Tensor([3, 3, -3, -3], shape: [4])
    XCTAssertEqual(a.apply(BinaryMath.named("remainder")!, b).toArray(), [1, 2, -2, -1])
    XCTAssertEqual(a.apply(BinaryMath.named("fmod")!, b).toArray(), [-2, 2, -2, 2])
  }

  /// Central differences (eps 1e-3, loss in Double, rtol 1e-2 / atol 2e-3) for both
  /// inputs, b broadcast from [3] to [2, 3]; points away from ties and from the jumps
  /// of fmod/remainder (a / b far from an integer).
  func testGradientsMatchFiniteDifferencesWithBroadcasting() {
    for op in BinaryMath.all {
      let a = Tensor([-2.3, 1.7, 0.45, 3.1, -0.8, 2.6], shape: [2, 3]).requiresGrad_()
      let b = Tensor([0.9, -1.3, 1.15], shape: [3]).requiresGrad_()
      if let problem = gradMismatch([a, b], { $0[0].apply(op, $0[1]) }) { XCTFail("\(op.name): \(problem)") }
    }
  }

  func testTiesSplitTheGradientOfMaximumAndMinimum() {
    for name in ["maximum", "minimum"] {
      let a = Tensor([2, 1], shape: [2]).requiresGrad_(), b = Tensor([2, 1], shape: [2]).requiresGrad_()
      a.apply(BinaryMath.named(name)!, b).sum().backward()
      XCTAssertEqual(a.grad?.toArray(), [0.5, 0.5], name)
      XCTAssertEqual(b.grad?.toArray(), [0.5, 0.5], name)
    }
  }

  func testLerpMatchesNaiveAndDifferentiatesAllThree() {
    let a = Tensor([-1, 0.5, 2, 4], shape: [2, 2]).requiresGrad_()
    let b = Tensor([3, -2], shape: [2]).requiresGrad_()
    let w = Tensor([0.25, 0.8], shape: [2, 1]).requiresGrad_()
    let got = a.lerp(b, w).toArray()
    let av: [Float] = [-1, 0.5, 2, 4], bv: [Float] = [3, -2], wv: [Float] = [0.25, 0.8]
    for i in 0..<2 { for j in 0..<2 {
      XCTAssertEqual(got[i * 2 + j], av[i * 2 + j] + wv[i] * (bv[j] - av[i * 2 + j]), accuracy: 1e-6)
    } }
    gradCheck([a, b, w]) { $0[0].lerp($0[1], $0[2]) }
  }
}
