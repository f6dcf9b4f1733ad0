import XCTest
@testable import LyraTensor

final class IndexingTests: XCTestCase {
  func testIndexSelect() {
    let a = param([3, 5, 7], seed: 1)
    let idx = Tensor(indices: [4, 0, 4, 2])
    let s = a.indexSelect(1, idx)
    XCTAssertEqual(s.shape, [3, 4, 7])
    let av = a.toArray(), sv = s.toArray(), iv = idx.toIntArray()
    for i in 0..<sv.count {
      let c = coords(i, [3, 4, 7])
      XCTAssertEqual(sv[i], av[flat([c[0], iv[c[1]], c[2]], [3, 5, 7])])
    }
    gradCheck([a]) { $0[0].indexSelect(1, idx) }
    gradCheck([a]) { $0[0].indexSelect(2, Tensor(indices: [6, 6, 1])) }
  }

  func testGather() {
    let a = param([3, 5, 4], seed: 2)
    let idx = Tensor(indices: (0..<(3 * 2 * 4)).map { ($0 * 7) % 5 }, shape: [3, 2, 4])
    let g = a.gather(1, idx)
    XCTAssertEqual(g.shape, [3, 2, 4])
    let av = a.toArray(), gv = g.toArray(), iv = idx.toIntArray()
    for i in 0..<gv.count {
      let c = coords(i, [3, 2, 4])
      XCTAssertEqual(gv[i], av[flat([c[0], iv[i], c[2]], [3, 5, 4])])
    }
    gradCheck([a]) { $0[0].gather(1, idx) }
    // Gather from a non-contiguous view.
    gradCheck([a]) { $0[0].transpose(0, 2).gather(2, Tensor(indices: Array(repeating: 2, count: 4 * 5 * 2), shape: [4, 5, 2])) }
  }

  func testEmbedding() {
    let w = param([10, 4], seed: 3)
    let ids = Tensor(indices: [1, 9, 1, 0, 3, 3], shape: [2, 3])
    let e = Tensor.embedding(w, ids)
    XCTAssertEqual(e.shape, [2, 3, 4])
    let wv = w.toArray()
    XCTAssertEqual(Array(e.toArray()[4..<8]), Array(wv[36..<40]))
    gradCheck([w]) { Tensor.embedding($0[0], ids) }
    // Repeated ids accumulate: row 3 appears twice.
    let w2 = param([10, 4], seed: 4)
    Tensor.embedding(w2, ids).sum().backward()
    XCTAssertEqual(Array(w2.grad!.toArray()[12..<16]), [2, 2, 2, 2])
    XCTAssertEqual(Array(w2.grad!.toArray()[8..<12]), [0, 0, 0, 0])
  }
}
