import XCTest
import Foundation
@testable import LyraTensor

/// The UnaryMath table against naive Double references from Foundation, finite-difference
/// gradients, and the in-place form.
final class UnaryMathTests: XCTestCase {
  /// Each op's reference computed in Double (independent of the table's Float code).
  static let reference: [String: (Double) -> Double] = [
    "sin": Foundation.sin, "cos": Foundation.cos, "tan": Foundation.tan,
    "asin": Foundation.asin, "acos": Foundation.acos, "atan": Foundation.atan,
    "sinh": Foundation.sinh, "cosh": Foundation.cosh,
    "floor": Foundation.floor, "ceil": Foundation.ceil, "round": Foundation.rint, "trunc": Foundation.trunc,
    "reciprocal": { 1 / $0 }, "rsqrt": { 1 / Foundation.sqrt($0) },
    "log1p": Foundation.log1p, "expm1": Foundation.expm1, "log2": Foundation.log2, "log10": Foundation.log10,
  ]

  /// Negatives, zeros of both signs, halves (rounding ties), domain edges and non-finite values.
  static let grid: [Float] = [-.infinity, -100, -3, -2.5, -1.5, -1, -0.999, -0.5, -1e-6, -0.0, 0, 1e-6, 0.5, 0.999, 1,
                              1.5, 2.5, 3, 7.25, 100, .infinity, .nan]

  func testTableAndReferenceNameTheSameOps() {
    XCTAssertEqual(Set(UnaryMath.all.map(\.name)), Set(Self.reference.keys))
    XCTAssertEqual(UnaryMath.all.count, 18)
  }

  /// Values agree with the Double reference rounded to Float within 4 ulps (relative
  /// 5e-7 of the magnitude, absolute 1e-6 near 0); NaN where the reference is NaN;
  /// infinities and signed zeros match exactly.
  func testValuesMatchFoundationOnTheGrid() {
    let x = Tensor(Self.grid, shape: [Self.grid.count])
    for op in UnaryMath.all {
      let got = x.apply(op).toArray()
      for (i, v) in Self.grid.enumerated() {
        let want = Float(Self.reference[op.name]!(Double(v)))
        let g = got[i]
        if want.isNaN { XCTAssertTrue(g.isNaN, "\(op.name)(\(v)) = \(g), want NaN"); continue }
        if want.isInfinite || want == 0 { XCTAssertEqual(g, want, "\(op.name)(\(v))"); continue }
        XCTAssertEqual(Double(g), Double(want), accuracy: Swift.max(1e-6, 5e-7 * Double(Swift.abs(want))), "\(op.name)(\(v))")
      }
    }
  }

  func testRoundSendsHalvesToEven() {
    let r = Tensor([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5], shape: [6]).apply(UnaryMath.named("round")!).toArray()
    XCTAssertEqual(r, [-2, -2, -0, 0, 2, 2])
  }

  /// Inputs inside each op's domain and away from the steps of floor/ceil/round/trunc.
  static func domain(_ name: String) -> [Float] {
    switch name {
    case "asin", "acos": return [-0.8, -0.45, -0.1, 0.2, 0.55, 0.75]
    case "reciprocal", "rsqrt", "log1p", "log2", "log10": return [0.3, 0.45, 0.7, 1.2, 2.3, 3.7]
    case "tan": return [-1.1, -0.6, -0.2, 0.15, 0.7, 1.0]
    default: return [-2.3, -1.35, -0.2, 0.15, 0.8, 1.7]
    }
  }

  /// Tape gradients vs central differences (eps 1e-3 in Float, loss summed in Double;
  /// agreement within rtol 1e-2, atol 2e-3). The step functions must give exactly 0.
  func testGradientsMatchFiniteDifferences() {
    for op in UnaryMath.all {
      let v = Self.domain(op.name)
      let x = Tensor(v, shape: [2, 3]).requiresGrad_()
      if let problem = gradMismatch([x], { $0[0].apply(op) }) { XCTFail("\(op.name): \(problem)") }
    }
    for name in ["floor", "ceil", "round", "trunc"] {
      let x = Tensor(Self.domain(name), shape: [6]).requiresGrad_()
      let y = x.apply(UnaryMath.named(name)!)
      XCTAssertTrue(y.requiresGrad, "\(name) stays on the tape")
      y.backward(Tensor.ones([6]))
      XCTAssertEqual(x.grad?.toArray(), [Float](repeating: 0, count: 6), name)
    }
  }

  func testInPlaceWritesIntoTheSameStorageWithTheSameValues() {
    for op in UnaryMath.all {
      let v = Self.domain(op.name)
      let x = Tensor(v, shape: [3, 2])
      let want = x.apply(op).toArray()
      let data = x.data
      XCTAssertTrue(x.apply_(op) === x)
      XCTAssertTrue(x.data == data, "\(op.name)_ keeps the storage")
      XCTAssertEqual(x.toArray(), want, "\(op.name)_")
    }
  }
}
