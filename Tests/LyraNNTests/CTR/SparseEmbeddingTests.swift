import LyraBase
@testable import LyraNN
import LyraTensor
import XCTest

/// Sparse embedding updates against the dense reference: the same table through
/// `Tensor.embedding` (a dense gradient) and dense Adam.
final class SparseEmbeddingTests: XCTestCase {
  private func pair(_ rows: Int, _ dim: Int) throws -> (SparseEmbedding, Tensor) {
    let s = try SparseEmbedding(rows, dim, std: 0.5, generator: Generator(seed: 3))
    let dense = Tensor(s.weight.toArray(), shape: [rows, dim]).requiresGrad_()
    return (s, dense)
  }

  /// A loss that weighs every output element differently, so a wrong row or a missed
  /// repeat shows in the gradient.
  private func loss(_ out: Tensor) -> Tensor {
    let w = Tensor((0..<out.count).map { Float($0 % 7) - 3 }, shape: out.shape)
    return out.mul(out).mul(w).sum()
  }

  func testSparseGradientEqualsDenseOnTouchedRows() throws {
    let (s, dense) = try pair(10, 3)
    let ids = [[1, 4, 4], [7, 1, 0]]  // row 4 and row 1 twice: gradients must sum
    let x = Tensor(indices: ids.flatMap { $0 }, shape: [2, 3])
    loss(try s(x)).backward()
    loss(Tensor.embedding(dense, x)).backward()
    let (rows, g) = s.takeGradient()
    XCTAssertEqual(rows, [0, 1, 4, 7])
    let dg = dense.grad!.toArray()
    for (k, r) in rows.enumerated() {
      for d in 0..<3 { XCTAssertEqual(g[k * 3 + d], dg[r * 3 + d], accuracy: 1e-5, "row \(r)") }
    }
    for r in 0..<10 where !rows.contains(r) { XCTAssertEqual(Array(dg[r * 3 ..< r * 3 + 3]), [0, 0, 0]) }
    XCTAssertNil(s.weight.grad, "the table itself gets no dense gradient")
  }

  /// Lazy Adam equals dense Adam on rows touched at every step, and leaves rows the later
  /// batch did not touch exactly where they were (dense Adam's momentum moves them).
  func testLazyAdamMatchesAdamOnTouchedRowsAndFreezesOthers() throws {
    let (s, dense) = try pair(6, 2)
    let lazy = LazyAdam([s], lr: 0.1), adam = Adam([dense], lr: 0.1)
    let batches = [[0, 2, 3], [0, 2, 2]]
    var afterFirst: [Float] = []
    for b in batches {
      let x = Tensor(indices: b, shape: [b.count])
      loss(try s(x)).backward()
      lazy.step()
      adam.zeroGrad()
      loss(Tensor.embedding(dense, x)).backward()
      adam.step()
      if afterFirst.isEmpty { afterFirst = s.weight.toArray() }
    }
    let sw = s.weight.toArray(), dw = dense.toArray()
    for r in [0, 2] { for d in 0..<2 { XCTAssertEqual(sw[r * 2 + d], dw[r * 2 + d], accuracy: 1e-5, "row \(r) touched at every step") } }
    XCTAssertEqual(Array(sw[6..<8]), Array(afterFirst[6..<8]), "row 3 untouched at step 2 keeps its value")
    XCTAssertNotEqual(Array(dw[6..<8]), Array(afterFirst[6..<8]), "dense Adam moves it (so the test can tell the two apart)")
    XCTAssertEqual(Array(sw[2..<4]), Array(afterFirst[2..<4]))
  }

  func testOutOfRangeAndFractionalIndicesThrow() throws {
    let s = try SparseEmbedding(4, 2)
    XCTAssertThrowsError(try s(Tensor(indices: [4], shape: [1])))
    XCTAssertThrowsError(try s(Tensor([1.5], shape: [1])))
    XCTAssertThrowsError(try SparseEmbedding(0, 2))
  }
}

/// GRDA against its update written out by hand, and the FM layer against the naive sum.
final class GRDAAndFMTests: XCTestCase {
  func testGRDAMatchesHandComputedSteps() throws {
    let w = Tensor([0.3, -0.05], shape: [2]).requiresGrad_()
    let opt = try GRDA([w], lr: 0.5, c: 0.2, mu: 0.6)
    let grads: [[Float]] = [[0.1, -0.02], [-0.2, 0.1]]
    var a: [Double] = [0.3, -0.05]
    for (n, g) in grads.enumerated() {
      w.grad = Tensor(g, shape: [2])
      opt.step()
      let lam = 0.2 * pow(0.5, 1.1) * pow(Double(n + 1), 0.6)
      for i in 0..<2 {
        a[i] -= 0.5 * Double(g[i])
        let expect = a[i].sign == .minus ? -max(abs(a[i]) - lam, 0) : max(abs(a[i]) - lam, 0)
        XCTAssertEqual(Double(w.toArray()[i]), expect, accuracy: 1e-6, "step \(n + 1), weight \(i)")
      }
    }
    XCTAssertEqual(w.toArray()[1], 0, "a weight within the threshold is exactly 0")
    XCTAssertThrowsError(try GRDA([w], lr: 0.1, c: 0, mu: 1.5))
  }

  func testGRDAStateRoundTrips() throws {
    let w = Tensor([0.3, -0.05], shape: [2]).requiresGrad_()
    let a = try GRDA([w], lr: 0.5, c: 0.2, mu: 0.6)
    w.grad = Tensor([0.1, 0.1], shape: [2])
    a.step()
    let w2 = Tensor(w.toArray(), shape: [2]).requiresGrad_()
    let b = try GRDA([w2], lr: 0.5, c: 0.2, mu: 0.6)
    try b.loadStateDict(a.stateDict())
    w.grad = Tensor([-0.3, 0.2], shape: [2])
    w2.grad = Tensor([-0.3, 0.2], shape: [2])
    a.step()
    b.step()
    XCTAssertEqual(w.toArray(), w2.toArray())
  }

  func testFMEqualsNaivePairSumAndItsGradient() throws {
    let g = Generator(seed: 9)
    let n = 2, f = 4, d = 3
    let v = (0..<n * f * d).map { _ in Float(g.normal()) }
    let x = Tensor(v, shape: [n, f, d]).requiresGrad_()
    let out = try FactorizationMachine()(x)
    XCTAssertEqual(out.shape, [n, 1])
    for s in 0..<n {
      var naive: Float = 0
      for i in 0..<f { for j in (i + 1)..<f { for k in 0..<d { naive += v[(s * f + i) * d + k] * v[(s * f + j) * d + k] } } }
      XCTAssertEqual(out.toArray()[s], naive, accuracy: 1e-4)
    }
    // d/de_ik of Σ_{i<j}⟨e_i, e_j⟩ is Σ_{j≠i} e_jk.
    out.sum().backward()
    let gr = x.grad!.toArray()
    for s in 0..<n { for i in 0..<f { for k in 0..<d {
      var expect: Float = 0
      for j in 0..<f where j != i { expect += v[(s * f + j) * d + k] }
      XCTAssertEqual(gr[(s * f + i) * d + k], expect, accuracy: 1e-4)
    } } }
    XCTAssertThrowsError(try FactorizationMachine()(Tensor([1, 2], shape: [2])))
  }
}
