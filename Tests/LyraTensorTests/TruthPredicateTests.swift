import XCTest
import LyraBase
@testable import LyraTensor

/// all / any / nonzero against naive loops (NaN counts as non-zero), the element tests,
/// and allclose / equal at their boundaries.
final class TruthPredicateTests: XCTestCase {
  func testAllAndAnyAlongEveryDimMatchNaive() {
    let g = Generator(seed: 31)
    let s = [3, 4, 2]
    let v = (0..<24).map { _ in g.int(below: 3) == 0 ? Float(0) : Float(g.int(below: 5)) + 1 }
    let x = Tensor(v, shape: s)
    XCTAssertEqual(x.all().item(), v.allSatisfy { $0 != 0 } ? 1 : 0)
    XCTAssertEqual(x.any().item(), v.contains { $0 != 0 } ? 1 : 0)
    for d in 0..<3 {
      var reduced = s
      reduced.remove(at: d)
      let all = x.all(d).toArray(), any = x.any(d, keepdim: true).toArray()
      XCTAssertEqual(x.any(d, keepdim: true).shape, s.enumerated().map { $0.offset == d ? 1 : $0.element })
      for i in 0..<Shape.count(reduced) {
        var c = coords(i, reduced)
        c.insert(0, at: d)
        let line = (0..<s[d]).map { j -> Float in c[d] = j; return v[flat(c, s)] }
        XCTAssertEqual(all[i], line.allSatisfy { $0 != 0 } ? 1 : 0)
        XCTAssertEqual(any[i], line.contains { $0 != 0 } ? 1 : 0)
      }
    }
  }

  func testAllAnyEdgeCases() {
    XCTAssertEqual(Tensor([.nan, 1]).all().item(), 1)  // NaN is non-zero
    XCTAssertEqual(Tensor([0, -0.0]).any().item(), 0)
    XCTAssertEqual(Tensor.zeros([0]).all().item(), 1)
    XCTAssertEqual(Tensor.zeros([0]).any().item(), 0)
    XCTAssertEqual(Tensor.zeros([2, 0]).all(1).toArray(), [1, 1])
    XCTAssertEqual(Tensor.zeros([2, 0]).any(1).toArray(), [0, 0])
    // No gradient, even from a tensor that requires one.
    XCTAssertFalse(param([3]).all().requiresGrad)
  }

  func testNonzeroListsPositionsInRowMajorOrder() {
    let x = Tensor([0, 2, 0, .nan, 0, 5], shape: [2, 3])
    let nz = x.nonzero()
    XCTAssertEqual(nz.shape, [3, 2])
    XCTAssertEqual(nz.toIntArray(), [0, 1, 1, 0, 1, 2])
    XCTAssertEqual(Tensor.zeros([2, 2]).nonzero().shape, [0, 2])
    XCTAssertEqual(Tensor(Float(3)).nonzero().shape, [1, 0])
    XCTAssertEqual(Tensor(indices: [0, 4, 0]).nonzero().toIntArray(), [1])
  }

  func testElementTests() {
    let x = Tensor([.nan, .infinity, -.infinity, 0, 1])
    XCTAssertEqual(x.isnan().toArray(), [1, 0, 0, 0, 0])
    XCTAssertEqual(x.isinf().toArray(), [0, 1, 1, 0, 0])
    XCTAssertEqual(x.isfinite().toArray(), [0, 0, 0, 1, 1])
  }

  /// |a - b| <= atol + rtol |b|: just inside passes, just outside fails.
  func testAllcloseBoundaries() {
    let a = Tensor([1, 100])
    XCTAssertTrue(a.allclose(Tensor([1, 100])))
    XCTAssertTrue(a.allclose(Tensor([1.05, 100]), rtol: 0, atol: 0.06))
    XCTAssertFalse(a.allclose(Tensor([1.05, 100]), rtol: 0, atol: 0.04))
    XCTAssertTrue(a.allclose(Tensor([1, 101]), rtol: 0.011, atol: 0))
    XCTAssertFalse(a.allclose(Tensor([1, 102]), rtol: 0.011, atol: 0))
    XCTAssertFalse(Tensor([.nan]).allclose(Tensor([.nan])))
    XCTAssertTrue(Tensor([.infinity]).allclose(Tensor([.infinity])))
    XCTAssertFalse(Tensor([.infinity]).allclose(Tensor([-.infinity])))
    XCTAssertTrue(Tensor([[2, 2], [2, 2]], shape: [2, 2]).allclose(Tensor(Float(2))))  // broadcasting
  }

  func testEqualNeedsShapeAndValues() {
    let a = Tensor([1, 2, 3, 4], shape: [2, 2])
    XCTAssertTrue(a.equal(Tensor([1, 2, 3, 4], shape: [2, 2])))
    XCTAssertFalse(a.equal(Tensor([1, 2, 3, 4])))
    XCTAssertFalse(a.equal(Tensor([1, 2, 3, 5], shape: [2, 2])))
    XCTAssertFalse(Tensor([.nan]).equal(Tensor([.nan])))
    XCTAssertTrue(a.equal(a.t().t()))
  }
}
