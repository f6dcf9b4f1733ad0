import XCTest
@testable import LyraTensor

final class ViewTests: XCTestCase {
  func testViewsShareStorage() {
    let a = Tensor.arange(24).reshape([2, 3, 4])
    let views = [a.view([6, 4]), a.permute([2, 0, 1]), a.transpose(0, 2), a.narrow(1, 1, 2), a.slice(2, 0, 4, step: 2),
                 a.select(0, 1), a.unsqueeze(1), a.reshape([-1]), a.flatten(1)]
    for v in views { XCTAssertTrue(v.storage === a.storage) }
    a.select(1, 2).fill_(-1)
    XCTAssertEqual(a.view([6, 4]).toArray()[8..<12], [-1, -1, -1, -1])
    XCTAssertEqual(a.transpose(0, 2).toArray().filter { $0 == -1 }.count, 8)
    XCTAssertTrue(Tensor.ones([1, 3]).expand([4, 3]).storage.count >= 3)
  }

  func testPermuteMatchesNaive() {
    let a = param([3, 5, 7], seed: 1)
    let p = a.permute([2, 0, 1])
    XCTAssertEqual(p.shape, [7, 3, 5])
    let av = a.toArray(), pv = p.toArray()
    for i in 0..<pv.count {
      let c = coords(i, [7, 3, 5])
      XCTAssertEqual(pv[i], av[flat([c[1], c[2], c[0]], [3, 5, 7])])
    }
    XCTAssertFalse(p.isContiguous)
    XCTAssertTrue(p.contiguous().isContiguous)
    XCTAssertEqual(p.contiguous().toArray(), pv)
    gradCheck([a]) { $0[0].permute([2, 0, 1]).mul(Tensor.arange(5)) }
    gradCheck([a]) { $0[0].transpose(0, 2).contiguous().view([7, 15]) }
  }

  func testSliceWithStep() {
    let a = param([3, 5, 7], seed: 2)
    let s = a.slice(2, 1, 6, step: 2)
    XCTAssertEqual(s.shape, [3, 5, 3])
    let av = a.toArray(), sv = s.toArray()
    for i in 0..<sv.count {
      let c = coords(i, [3, 5, 3])
      XCTAssertEqual(sv[i], av[flat([c[0], c[1], 1 + 2 * c[2]], [3, 5, 7])])
    }
    XCTAssertEqual(a.slice(1, -2).shape, [3, 2, 7])
    gradCheck([a]) { $0[0].slice(2, 1, 6, step: 2) }
    gradCheck([a]) { $0[0].narrow(1, 2, 3).select(2, -1) }
  }

  func testExpandSqueezeUnsqueeze() {
    let b = param([3, 1], seed: 3)
    let e = b.expand([2, 3, 4])
    XCTAssertEqual(e.shape, [2, 3, 4])
    XCTAssertEqual(e.strides[0], 0)
    let bv = b.toArray()
    XCTAssertEqual(e.toArray(), (0..<24).map { bv[($0 / 4) % 3] })
    gradCheck([b]) { $0[0].expand([2, 3, 4]) }
    let c = param([1, 3, 1, 2], seed: 4)
    XCTAssertEqual(c.squeeze().shape, [3, 2])
    XCTAssertEqual(c.squeeze(2).shape, [1, 3, 2])
    XCTAssertEqual(c.squeeze(1).shape, [1, 3, 1, 2])
    XCTAssertEqual(c.unsqueeze(-1).shape, [1, 3, 1, 2, 1])
    XCTAssertEqual(c.unsqueeze(0).shape, [1, 1, 3, 1, 2])
    gradCheck([c]) { $0[0].squeeze().unsqueeze(0).t_like() }
  }

  func testReshapeOfNonContiguousCopies() {
    let a = Tensor.arange(6).reshape([2, 3])
    let r = a.t().reshape([6])
    XCTAssertEqual(r.toArray(), [0, 3, 1, 4, 2, 5])
    XCTAssertFalse(r.storage === a.storage)
    XCTAssertEqual(a.flatten().shape, [6])
    XCTAssertEqual(Tensor.zeros([2, 3, 4]).view([4, -1]).shape, [4, 6])
    let p = param([2, 3], seed: 5)
    gradCheck([p]) { $0[0].t().reshape([3, 2]) * Tensor.arange(2) }
  }

  func testClone() {
    let a = param([2, 2], seed: 6)
    let c = a.clone()
    XCTAssertFalse(c.storage === a.storage)
    XCTAssertEqual(c.toArray(), a.toArray())
    gradCheck([a]) { $0[0].clone() }
  }
}

extension Tensor {
  /// A transposed view of a 3-d test tensor's last two dims.
  func t_like() -> Tensor { transpose(-1, -2) }
}
