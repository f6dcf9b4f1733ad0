import XCTest
import Foundation
import LyraBase
@testable import LyraTensor

/// norm, dist and logsumexp against naive Double references, with finite-difference
/// gradients and the edge cases (zero norm, overflow, lines of -inf).
final class NormLogSumExpTests: XCTestCase {
  func naiveNorm(_ v: [Float], _ p: Double) -> Double {
    let a = v.map { Swift.abs(Double($0)) }
    if p.isInfinite { return a.max() ?? 0 }
    if p == 0 { return Double(a.filter { $0 != 0 }.count) }
    return Foundation.pow(a.reduce(0) { $0 + Foundation.pow($1, p) }, 1 / p)
  }

  func testNormMatchesNaiveForEveryOrder() {
    let x = param([3, 5], seed: 11).detach()
    let v = x.toArray()
    for p in [2.0, 1, 3, 0.5, 0, .infinity] {
      XCTAssertEqual(Double(x.norm(Float(p)).item()), naiveNorm(v, p), accuracy: 1e-5 * naiveNorm(v, p), "p = \(p)")
      let rows = x.norm(Float(p), dim: 1).toArray()
      for r in 0..<3 { XCTAssertEqual(Double(rows[r]), naiveNorm(Array(v[r * 5 ..< r * 5 + 5]), p), accuracy: 1e-5 * naiveNorm(v, p), "p = \(p) row \(r)") }
      let cols = x.norm(Float(p), dim: 0, keepdim: true)
      XCTAssertEqual(cols.shape, [1, 5])
      for c in 0..<5 { XCTAssertEqual(Double(cols.toArray()[c]), naiveNorm([v[c], v[5 + c], v[10 + c]], p), accuracy: 1e-5 * naiveNorm(v, p)) }
    }
    XCTAssertEqual(Tensor.zeros([0]).norm().item(), 0)
  }

  func testNormGradientsMatchFiniteDifferences() {
    for p: Float in [2, 1, 3, .infinity] {
      gradCheck([param([3, 4], seed: 12)]) { $0[0].norm(p) }
      gradCheck([param([3, 4], seed: 13)]) { $0[0].norm(p, dim: 1) }
    }
  }

  /// At x = 0 the 2-norm's gradient is 0 (composing sqrt and sum would give NaN); the
  /// inf-norm shares its gradient among tied largest |x|.
  func testNormGradientAtZeroAndTies() {
    let z = Tensor.zeros([3]).requiresGrad_()
    z.norm().backward()
    XCTAssertEqual(z.grad!.toArray(), [0, 0, 0])
    let t = Tensor([3, -3, 1]).requiresGrad_()
    t.norm(.infinity).backward()
    XCTAssertEqual(t.grad!.toArray(), [0.5, -0.5, 0])
    // p = 0.5: a zero element gets 0, not 0 * inf = NaN; the others sign * (norm / |x|)^0.5, norm = 9.
    let h = Tensor([0, 4, -1]).requiresGrad_()
    h.norm(0.5).backward()
    XCTAssertEqual(h.grad!.toArray(), [0, 1.5, -3])
    gradCheck([param([2, 3], seed: 30, scale: 0.5, shift: 2)]) { $0[0].norm(0.5, dim: 1) }
  }

  func testDistIsTheNormOfTheDifference() {
    let a = param([2, 3], seed: 14).detach(), b = param([3], seed: 15).detach()
    let diff = zip(a.toArray(), b.toArray() + b.toArray()).map { $0 - $1 }
    for p in [2.0, 1, .infinity] { XCTAssertEqual(Double(a.dist(b, Float(p)).item()), naiveNorm(diff, p), accuracy: 1e-5) }
    gradCheck([param([2, 3], seed: 16), param([3], seed: 17)]) { $0[0].dist($0[1]) }
  }

  func testLogSumExpMatchesNaiveAndDoesNotOverflow() {
    let x = param([3, 4], seed: 18, scale: 2).detach()
    let v = x.toArray()
    let rows = x.logsumexp(1).toArray()
    for r in 0..<3 {
      let want = Foundation.log((0..<4).reduce(0.0) { $0 + Foundation.exp(Double(v[r * 4 + $1])) })
      XCTAssertEqual(Double(rows[r]), want, accuracy: 1e-5)
    }
    XCTAssertEqual(x.logsumexp(0, keepdim: true).shape, [1, 4])
    XCTAssertEqual(Double(Tensor([1000, 1000]).logsumexp(0).item()), 1000 + Foundation.log(2.0), accuracy: 1e-3)
    XCTAssertEqual(Double(Tensor([-1000, -1000]).logsumexp(0).item()), -1000 + Foundation.log(2.0), accuracy: 1e-3)
    XCTAssertEqual(Tensor([-.infinity, -.infinity]).logsumexp(0).item(), -.infinity)
    XCTAssertEqual(Tensor.zeros([2, 0]).logsumexp(1).toArray(), [-.infinity, -.infinity])
  }

  func testLogSumExpGradientIsSoftmax() {
    gradCheck([param([3, 4], seed: 19)]) { $0[0].logsumexp(1) }
    gradCheck([param([3, 4], seed: 20)]) { $0[0].logsumexp(0, keepdim: true) }
    let x = Tensor([-.infinity, -.infinity]).requiresGrad_()
    x.logsumexp(0).backward()
    XCTAssertEqual(x.grad!.toArray(), [0, 0])
  }
}
