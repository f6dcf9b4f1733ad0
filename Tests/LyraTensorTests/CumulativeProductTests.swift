import XCTest
import LyraBase
@testable import LyraTensor

/// cumsum, cumprod and prod against naive loops over coordinates, their gradients against
/// finite differences, and the exact gradients of products holding zeros.
final class CumulativeProductTests: XCTestCase {
  /// Naive running fold of `x` (shape `s`) along `d`.
  func naiveScan(_ x: [Float], _ s: [Int], _ d: Int, _ f: (Double, Double) -> Double, _ start: Double) -> [Float] {
    (0..<x.count).map { i in
      var c = coords(i, s)
      let k = c[d]
      var acc = start
      for j in 0...k { c[d] = j; acc = f(acc, Double(x[flat(c, s)])) }
      return Float(acc)
    }
  }

  func testCumsumAndCumprodMatchNaiveAlongEveryDim() {
    let s = [2, 3, 4]
    let x = param(s, seed: 3).detach()
    let v = x.toArray()
    for d in 0..<3 {
      assertClose(x.cumsum(d).toArray(), naiveScan(v, s, d, +, 0))
      assertClose(x.cumprod(d).toArray(), naiveScan(v, s, d, *, 1))
      assertClose(x.cumsum(d - 3).toArray(), naiveScan(v, s, d, +, 0))  // negative dims
    }
    // A non-contiguous input reads its own values, not the storage order.
    let t = x.transpose(0, 2)
    let tv = t.contiguous().toArray()
    assertClose(t.cumsum(1).toArray(), naiveScan(tv, t.shape, 1, +, 0))
  }

  func testCumulativeGradientsMatchFiniteDifferences() {
    for d in 0..<3 {
      gradCheck([param([2, 3, 4], seed: 5)]) { $0[0].cumsum(d) }
      gradCheck([param([2, 3, 4], seed: 6, scale: 0.8, shift: 0.3)]) { $0[0].cumprod(d) }
    }
  }

  /// With zeros in the line: x = [2, 0, 3, 0.5] and L = Σ cumprod(x) = 2 + 0 + 0 + 0, so
  /// dL/dx = [1, 2 + 2*3 + 2*3*0.5, 0, 0] = [1, 11, 0, 0] (the zero's gradient is the one a
  /// division by x would lose).
  func testCumprodGradientWithZerosIsExact() {
    let x = Tensor([2, 0, 3, 0.5]).requiresGrad_()
    x.cumprod(0).sum().backward()
    XCTAssertEqual(x.grad!.toArray(), [1, 11, 0, 0])
    let y = Tensor([0, 4, 0, 5]).requiresGrad_()
    y.cumprod(0).sum().backward()
    XCTAssertEqual(y.grad!.toArray(), [5, 0, 0, 0])  // 1 + y1 + y1*y2 + y1*y2*y3
    gradCheck([Tensor([1.5, 0, -2, 0, 0.7], shape: [5]).requiresGrad_()]) { $0[0].cumprod(0) }
  }

  func testProdMatchesNaiveAndHandlesEmpty() {
    let s = [3, 4]
    let x = param(s, seed: 8).detach()
    let v = x.toArray()
    XCTAssertEqual(Double(x.prod().item()), v.reduce(1.0) { $0 * Double($1) }, accuracy: 1e-6 * Swift.abs(Double(x.prod().item())) + 1e-12)
    for d in 0..<2 {
      let want = (0..<Shape.count(x.prod(d, keepdim: true).shape)).map { i -> Float in
        var c = coords(i, d == 0 ? [1, 4] : [3, 1])
        var p = 1.0
        for j in 0..<s[d] { c[d] = j; p *= Double(v[flat(c, s)]) }
        return Float(p)
      }
      assertClose(x.prod(d).toArray(), want)
      XCTAssertEqual(x.prod(d, keepdim: true).shape, d == 0 ? [1, 4] : [3, 1])
    }
    XCTAssertEqual(Tensor.zeros([0]).prod().item(), 1)
    XCTAssertEqual(Tensor.zeros([2, 0]).prod(1).toArray(), [1, 1])
    XCTAssertEqual(Tensor(Float(7)).prod(0).shape, [])
  }

  /// One zero: its gradient is the product of the others, the rest get 0; two zeros: all 0.
  func testProdGradientWithZerosIsExact() {
    let x = Tensor([2, 0, 3]).requiresGrad_()
    x.prod().backward()
    XCTAssertEqual(x.grad!.toArray(), [0, 6, 0])
    let y = Tensor([0, 5, 0]).requiresGrad_()
    y.prod().backward()
    XCTAssertEqual(y.grad!.toArray(), [0, 0, 0])
    let z = Tensor([[1, 0], [2, 3]], shape: [2, 2]).requiresGrad_()
    z.prod(1).sum().backward()
    XCTAssertEqual(z.grad!.toArray(), [0, 1, 3, 2])
  }

  func testProdGradientsMatchFiniteDifferences() {
    gradCheck([param([3, 4], seed: 9, scale: 0.7, shift: 0.2)]) { $0[0].prod() }
    for d in 0..<2 { gradCheck([param([3, 4], seed: 10)]) { $0[0].prod(d, keepdim: d == 1) } }
  }
}

extension Tensor {
  convenience init(_ rows: [[Float]], shape: [Int]) { self.init(rows.flatMap { $0 }, shape: shape) }
}
