import XCTest
@testable import LyraTensor

final class JoinTests: XCTestCase {
  func testCat() {
    let a = param([2, 3], seed: 1), b = param([2, 4], seed: 2)
    let c = Tensor.cat([a, b], dim: 1)
    XCTAssertEqual(c.shape, [2, 7])
    let av = a.toArray(), bv = b.toArray()
    XCTAssertEqual(c.toArray(), Array(av[0..<3] + bv[0..<4] + av[3..<6] + bv[4..<8]))
    XCTAssertEqual(Tensor.cat([a, a], dim: 0).toArray(), av + av)
    gradCheck([a, b]) { Tensor.cat([$0[0], $0[1], $0[0]], dim: -1) }
  }

  func testStackAndSplit() {
    let a = param([3, 5], seed: 3), b = param([3, 5], seed: 4)
    let s = Tensor.stack([a, b], dim: 1)
    XCTAssertEqual(s.shape, [3, 2, 5])
    XCTAssertEqual(s.select(1, 1).toArray(), b.toArray())
    gradCheck([a, b]) { Tensor.stack([$0[0], $0[1]], dim: 0) }
    let parts = a.split(2, dim: 1)
    XCTAssertEqual(parts.map { $0.shape }, [[3, 2], [3, 2], [3, 1]])
    XCTAssertTrue(parts.allSatisfy { $0.storage === a.storage })
    XCTAssertEqual(Tensor.cat(parts, dim: 1).toArray(), a.toArray())
    XCTAssertEqual(a.split(sizes: [1, 4], dim: 1).map { $0.shape }, [[3, 1], [3, 4]])
    XCTAssertEqual(a.chunk(2, dim: 0).map { $0.shape }, [[2, 5], [1, 5]])
    gradCheck([a]) { $0[0].split(2, dim: 1)[1] * 3 }
  }

  func testPad() {
    let a = param([2, 3, 4], seed: 5)
    let p = a.pad([1, 2, 0, 1], value: -9)
    XCTAssertEqual(p.shape, [2, 4, 7])
    let pv = p.toArray(), av = a.toArray()
    for i in 0..<pv.count {
      let c = coords(i, [2, 4, 7])
      let inside = c[1] < 3 && c[2] >= 1 && c[2] < 5
      XCTAssertEqual(pv[i], inside ? av[flat([c[0], c[1], c[2] - 1], [2, 3, 4])] : -9)
    }
    gradCheck([a]) { $0[0].pad([1, 2, 0, 1]) }
  }
}
