import XCTest
@testable import LyraTensor

final class MatMulTests: XCTestCase {
  func naiveMM(_ a: [Float], _ b: [Float], _ m: Int, _ k: Int, _ n: Int) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { for p in 0..<k { c[i * n + j] += a[i * k + p] * b[p * n + j] } } }
    return c
  }

  func test2DAndTransposedViews() {
    let a = param([3, 5], seed: 1), b = param([5, 7], seed: 2)
    let ref = naiveMM(a.toArray(), b.toArray(), 3, 5, 7)
    assertClose(a.matmul(b).toArray(), ref, tol: 1e-5)
    // Transposed operands go to BLAS as CblasTrans views.
    let at = param([5, 3], seed: 3), bt = param([7, 5], seed: 4)
    assertClose(at.t().matmul(bt.t()).toArray(),
                naiveMM(at.t().contiguous().toArray(), bt.t().contiguous().toArray(), 3, 5, 7), tol: 1e-5)
    // A strided (sliced) operand falls back to a copy.
    let wide = param([3, 10], seed: 5)
    let sl = wide.slice(1, 0, 10, step: 2)
    assertClose(sl.matmul(b).toArray(), naiveMM(sl.contiguous().toArray(), b.toArray(), 3, 5, 7), tol: 1e-5)
    gradCheck([a, b]) { $0[0].matmul($0[1]) }
    gradCheck([at, bt]) { $0[0].t().matmul($0[1].t()) }
    gradCheck([wide, b]) { $0[0].slice(1, 0, 10, step: 2).matmul($0[1]) }
  }

  func testVectorCases() {
    let v = param([5], seed: 6), w = param([5], seed: 7), m = param([5, 3], seed: 8)
    XCTAssertEqual(v.matmul(w).item(), zip(v.toArray(), w.toArray()).map(*).reduce(0, +), accuracy: 1e-5)
    XCTAssertEqual(v.matmul(m).shape, [3])
    XCTAssertEqual(m.t().matmul(v).shape, [3])
    assertClose(v.matmul(m).toArray(), naiveMM(v.toArray(), m.toArray(), 1, 5, 3), tol: 1e-5)
    gradCheck([v, m]) { $0[0].matmul($0[1]) }
    gradCheck([v, m]) { $0[1].t().matmul($0[0]) }
  }

  func testBatched() {
    let a = param([4, 3, 5], seed: 9), b = param([4, 5, 2], seed: 10)
    let c = a.matmul(b)
    XCTAssertEqual(c.shape, [4, 3, 2])
    let av = a.toArray(), bv = b.toArray(), cv = c.toArray()
    for i in 0..<4 {
      assertClose(Array(cv[(i * 6)..<(i * 6 + 6)]), naiveMM(Array(av[(i * 15)..<(i * 15 + 15)]), Array(bv[(i * 10)..<(i * 10 + 10)]), 3, 5, 2), tol: 1e-5)
    }
    gradCheck([a, b]) { $0[0].bmm($0[1]) }
    // Broadcast batch: [2, 1, 3, 5] x [4, 5, 2] -> [2, 4, 3, 2]; and [4,3,5] x [5,2].
    let a4 = param([2, 1, 3, 5], seed: 11)
    XCTAssertEqual(a4.matmul(b).shape, [2, 4, 3, 2])
    let r = a4.matmul(b).select(0, 1).select(0, 2).toArray()
    let a4v = a4.select(0, 1).select(0, 0).contiguous().toArray()
    assertClose(r, naiveMM(a4v, Array(bv[20..<30]), 3, 5, 2), tol: 1e-5)
    gradCheck([a4, b]) { $0[0].matmul($0[1]) }
    let m2 = param([5, 2], seed: 12)
    assertClose(a.matmul(m2).select(0, 3).toArray(), naiveMM(Array(av[45..<60]), m2.toArray(), 3, 5, 2), tol: 1e-5)
    gradCheck([a, m2]) { $0[0].matmul($0[1]) }
    gradCheck([a, b]) { $0[0].transpose(1, 2).transpose(1, 2).matmul($0[1]) }
  }

  func testLinear() {
    let x = param([6, 5], seed: 13), w = param([3, 5], seed: 14), b = param([3], seed: 15)
    let y = Tensor.linear(x, w, b)
    let ref = naiveMM(x.toArray(), w.t().contiguous().toArray(), 6, 5, 3)
    let bv = b.toArray()
    assertClose(y.toArray(), ref.enumerated().map { $0.element + bv[$0.offset % 3] }, tol: 1e-5)
    gradCheck([x, w, b]) { Tensor.linear($0[0], $0[1], $0[2]) }
    gradCheck([x, w]) { Tensor.linear($0[0], $0[1]) }
    let x3 = param([2, 4, 5], seed: 16)
    XCTAssertEqual(Tensor.linear(x3, w, b).shape, [2, 4, 3])
    gradCheck([x3, w, b]) { Tensor.linear($0[0], $0[1], $0[2]) }
  }

  func testLargeGemm() {
    let a = Tensor.randn([128, 784]), b = Tensor.randn([784, 64])
    let c = a.matmul(b).toArray()
    let av = a.toArray(), bv = b.toArray()
    for (i, j) in [(0, 0), (127, 63), (50, 17)] {
      var s: Float = 0
      for p in 0..<784 { s += av[i * 784 + p] * bv[p * 64 + j] }
      XCTAssertEqual(c[i * 64 + j], s, accuracy: 1e-3)
    }
  }
}
