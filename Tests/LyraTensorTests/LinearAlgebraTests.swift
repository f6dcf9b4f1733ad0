import XCTest
@testable import LyraTensor

/// diag/trace/tril/triu/addmm/mv/outer against naive loops, and the LAPACK ops by the
/// identities they must satisfy (A·A⁻¹ = I, A·X = B, U·S·Vᵀ = A, Q·R = A, A·v = λv, L·Lᵀ = A),
/// det against a cofactor expansion; gradients by finite differences.
final class LinearAlgebraTests: XCTestCase {
  /// A well-conditioned n × n matrix: random plus n on the diagonal.
  func wellConditioned(_ n: Int, seed: UInt64) -> Tensor {
    let a = param([n, n], seed: seed).detach().contiguousCopy()
    for i in 0..<n { a.data[i * n + i] += Float(n) }
    return a.requiresGrad_()
  }

  func naiveMatmul(_ a: [Float], _ b: [Float], _ m: Int, _ k: Int, _ n: Int) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { for p in 0..<k { c[i * n + j] += a[i * k + p] * b[p * n + j] } } }
    return c
  }

  func naiveDet(_ a: [Double], _ n: Int) -> Double {
    if n == 1 { return a[0] }
    var d = 0.0
    for j in 0..<n {
      var minor: [Double] = []
      for r in 1..<n { for c in 0..<n where c != j { minor.append(a[r * n + c]) } }
      d += (j % 2 == 0 ? 1 : -1) * a[j] * naiveDet(minor, n - 1)
    }
    return d
  }

  func testDiagTraceTrilTriu() {
    let m = param([3, 4], seed: 1)
    let v = m.toArray()
    XCTAssertEqual(m.diag().toArray(), [v[0], v[5], v[10]])
    XCTAssertEqual(m.diag(1).toArray(), [v[1], v[6], v[11]])
    XCTAssertEqual(m.diag(-1).toArray(), [v[4], v[9]])
    XCTAssertEqual(m.diag(9).shape, [0])
    let d = Tensor([1, 2]).diag(1)
    XCTAssertEqual(d.shape, [3, 3])
    XCTAssertEqual(d.toArray(), [0, 1, 0, 0, 0, 2, 0, 0, 0])
    XCTAssertEqual(m.diag().diag().toArray(), [v[0], 0, 0, 0, v[5], 0, 0, 0, v[10]])
    let sq = param([3, 3], seed: 2)
    XCTAssertEqual(sq.trace().item(), sq.toArray()[0] + sq.toArray()[4] + sq.toArray()[8], accuracy: 1e-6)
    for k in -2...2 {
      let lo = m.tril(k).toArray(), up = m.triu(k).toArray()
      for i in 0..<3 { for j in 0..<4 {
        XCTAssertEqual(lo[i * 4 + j], j - i <= k ? v[i * 4 + j] : 0)
        XCTAssertEqual(up[i * 4 + j], j - i >= k ? v[i * 4 + j] : 0)
      } }
    }
    XCTAssertEqual(Tensor([.infinity, 1, 2, 3], shape: [2, 2]).tril().toArray(), [.infinity, 0, 2, 3])
    gradCheck([m]) { $0[0].diag(1) }
    gradCheck([Tensor([0.5, -1, 2]).requiresGrad_()]) { $0[0].diag(-1) }
    gradCheck([sq]) { $0[0].trace() }
    gradCheck([m]) { $0[0].tril(1) }
    gradCheck([m]) { $0[0].triu(-1) }
  }

  func testAddmmMvOuterBmm() {
    let c = param([2, 3], seed: 3), a = param([2, 4], seed: 4), b = param([4, 3], seed: 5)
    let ab = naiveMatmul(a.toArray(), b.toArray(), 2, 4, 3)
    assertClose(c.addmm(a, b, beta: 0.5, alpha: 2).toArray(), zip(c.toArray(), ab).map { 0.5 * $0 + 2 * $1 }, tol: 1e-5)
    gradCheck([c, a, b]) { $0[0].addmm($0[1], $0[2], beta: 0.5, alpha: 2) }
    let vec = param([4], seed: 6)
    assertClose(a.mv(vec).toArray(), naiveMatmul(a.toArray(), vec.toArray(), 2, 4, 1), tol: 1e-5)
    gradCheck([a, vec]) { $0[0].mv($0[1]) }
    let p = param([3], seed: 7)
    XCTAssertEqual(p.outer(vec).toArray(), p.toArray().flatMap { x in vec.toArray().map { x * $0 } })
    gradCheck([p, vec]) { $0[0].outer($0[1]) }
    let ba = param([2, 2, 3], seed: 8), bb = param([2, 3, 2], seed: 9)
    let bo = ba.bmm(bb).toArray(), av = ba.toArray(), bv = bb.toArray()
    for k in 0..<2 {
      assertClose(Array(bo[(k * 4)..<(k * 4 + 4)]), naiveMatmul(Array(av[(k * 6)..<(k * 6 + 6)]), Array(bv[(k * 6)..<(k * 6 + 6)]), 2, 3, 2), tol: 1e-5)
    }
  }

  func testInverseSolveDetAndTheirGradients() throws {
    let a = wellConditioned(4, seed: 11)
    let inv = try a.inverse()
    let eye = Tensor.eye(4).toArray()
    assertClose(naiveMatmul(a.toArray(), inv.toArray(), 4, 4, 4), eye, tol: 1e-5)
    let b = param([4, 2], seed: 12)
    let x = try Tensor.solve(a, b)
    assertClose(naiveMatmul(a.toArray(), x.toArray(), 4, 4, 2), b.toArray(), tol: 1e-4)
    let bv = param([4], seed: 13)
    assertClose(naiveMatmul(a.toArray(), try Tensor.solve(a, bv).toArray(), 4, 4, 1), bv.toArray(), tol: 1e-4)
    let d = try a.det().item()
    XCTAssertEqual(Double(d), naiveDet(a.toArray().map(Double.init), 4), accuracy: 1e-4 * Double(abs(d)))
    gradCheck([a]) { try! $0[0].inverse() }
    gradCheck([a, b]) { try! Tensor.solve($0[0], $0[1]) }
    gradCheck([a, bv]) { try! Tensor.solve($0[0], $0[1]) }
    let small = wellConditioned(3, seed: 14)
    gradCheck([small], rtol: 2e-2) { try! $0[0].det() }
  }

  /// A batch [2, 2, n, n] is each matrix (each system, for solve) on its own; gradients flow through it.
  func testInverseAndDetOfABatch() throws {
    let mats = (0..<4).map { wellConditioned(3, seed: UInt64(30 + $0)).detach() }
    let batch = Tensor.stack(mats).reshape([2, 2, 3, 3])
    let inv = try batch.inverse(), det = try batch.det()
    XCTAssertEqual(inv.shape, [2, 2, 3, 3])
    XCTAssertEqual(det.shape, [2, 2])
    for (k, m) in mats.enumerated() {
      XCTAssertEqual(inv.reshape([4, 3, 3]).select(0, k).toArray(), try m.inverse().toArray())
      XCTAssertEqual(det.reshape([4]).toArray()[k], try m.det().item())
    }
    XCTAssertEqual(try Tensor.zeros([0, 2, 2]).det().shape, [0])
    let rhs = param([2, 2, 3, 2], seed: 40).detach()
    let x = try Tensor.solve(batch, rhs)
    XCTAssertEqual(x.shape, [2, 2, 3, 2])
    for k in 0..<4 {
      XCTAssertEqual(x.reshape([4, 3, 2]).select(0, k).toArray(), try Tensor.solve(mats[k], rhs.reshape([4, 3, 2]).select(0, k)).toArray())
    }
    XCTAssertThrowsError(try Tensor.solve(batch, Tensor.zeros([3, 2]))) { XCTAssertTrue("\($0)".contains("same batch"), "\($0)") }
    gradCheck([batch.contiguousCopy().requiresGrad_(), rhs.contiguousCopy().requiresGrad_()]) { try! Tensor.solve($0[0], $0[1]) }
    gradCheck([batch.contiguousCopy().requiresGrad_()]) { try! $0[0].det() }
    gradCheck([batch.contiguousCopy().requiresGrad_()]) { try! $0[0].inverse() }
  }

  func testSingularNonSquareAndNaNInputsThrow() {
    let singular = Tensor([1, 2, 2, 4], shape: [2, 2])
    XCTAssertThrowsError(try singular.inverse()) { XCTAssertTrue("\($0)".contains("singular"), "\($0)") }
    XCTAssertThrowsError(try Tensor.solve(singular, Tensor([1, 1]))) { XCTAssertTrue("\($0)".contains("singular"), "\($0)") }
    XCTAssertEqual(try singular.det().item(), 0)
    XCTAssertThrowsError(try Tensor.zeros([2, 3]).inverse()) { XCTAssertTrue("\($0)".contains("square"), "\($0)") }
    XCTAssertThrowsError(try Tensor([1, .nan, 0, 1], shape: [2, 2]).svd()) { XCTAssertTrue("\($0)".contains("NaN"), "\($0)") }
    XCTAssertThrowsError(try Tensor([1, 2, 2, 1], shape: [2, 2]).cholesky()) { XCTAssertTrue("\($0)".contains("positive definite"), "\($0)") }
    // The gradient of det at a singular matrix is its cofactor matrix [[4, -2], [-2, 1]].
    let s = Tensor([1, 2, 2, 4], shape: [2, 2]).requiresGrad_()
    try! s.det().backward()
    XCTAssertEqual(s.grad?.toArray(), [4, -2, -2, 1])
  }

  func testDecompositionsReconstructTheirInput() throws {
    let a = param([4, 3], seed: 21).detach()
    for full in [true, false] {
      let (u, s, vh) = try a.svd(fullMatrices: full)
      XCTAssertEqual(u.shape, full ? [4, 4] : [4, 3])
      XCTAssertEqual(vh.shape, [3, 3])
      let sv = s.toArray()
      XCTAssertEqual(sv, sv.sorted(by: >))
      let us = u.narrow(1, 0, 3).mul(s).contiguous()
      assertClose(naiveMatmul(us.toArray(), vh.toArray(), 4, 3, 3), a.toArray(), tol: 1e-4)
    }
    let (q, r) = try a.qr()
    XCTAssertEqual(q.shape, [4, 3])
    XCTAssertEqual(r.shape, [3, 3])
    assertClose(naiveMatmul(q.toArray(), r.toArray(), 4, 3, 3), a.toArray(), tol: 1e-4)
    assertClose(naiveMatmul(q.t().contiguous().toArray(), q.toArray(), 3, 4, 3), Tensor.eye(3).toArray(), tol: 1e-5)
    XCTAssertEqual(r.tril(-1).abs().sum().item(), 0)
    let sym = a.t().matmul(a).add(Tensor.eye(3))  // symmetric positive definite
    let (w, v) = try sym.eigh()
    let wv = w.toArray()
    XCTAssertEqual(wv, wv.sorted())
    let sv = sym.toArray(), vv = v.toArray()
    for j in 0..<3 {
      let col = (0..<3).map { vv[$0 * 3 + j] }
      assertClose(naiveMatmul(sv, col, 3, 3, 1), col.map { $0 * wv[j] }, tol: 1e-4)
    }
    let l = try sym.cholesky()
    XCTAssertEqual(l.triu(1).abs().sum().item(), 0)
    assertClose(naiveMatmul(l.toArray(), l.t().contiguous().toArray(), 3, 3, 3), sv, tol: 1e-4)
    // A general matrix with real eigenvalues 2 and 3, and a rotation with ±i.
    let g = Tensor([4, 1, -2, 1], shape: [2, 2])
    let (re, im, vecs) = try g.eig()
    XCTAssertEqual(Set(re.toArray().map { ($0 * 1000).rounded() / 1000 }), [2, 3])
    XCTAssertEqual(im.toArray(), [0, 0])
    let gv = vecs.toArray()
    for j in 0..<2 {
      let col = [gv[j], gv[2 + j]]
      assertClose(naiveMatmul(g.toArray(), col, 2, 2, 1), col.map { $0 * re.toArray()[j] }, tol: 1e-4)
    }
    let (rr, ri, _) = try Tensor([0, -1, 1, 0], shape: [2, 2]).eig()
    assertClose(rr.toArray(), [0, 0], tol: 1e-6)
    XCTAssertEqual(ri.toArray().map { abs($0) }, [1, 1])
  }
}
