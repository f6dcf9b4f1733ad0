import XCTest
import LyraBase
@testable import LyraTensor

/// sort, argsort, topk, kthvalue, median, mode and unique against naive references built
/// with Swift's own sorting, planted ties and NaNs, and gradients through the values.
final class SortingTests: XCTestCase {
  /// The lines of `x` (shape `s`) along `d`, each as (flat positions, values).
  func naiveLines(_ x: [Float], _ s: [Int], _ d: Int) -> [[(Int, Float)]] {
    var out: [[(Int, Float)]] = []
    for i in 0..<x.count where coords(i, s)[d] == 0 {
      var c = coords(i, s)
      out.append((0..<s[d]).map { j in c[d] = j; return (j, x[flat(c, s)]) })
    }
    return out
  }

  func testSortMatchesNaiveAlongEveryDim() {
    let s = [3, 4, 5]
    let x = param(s, seed: 21).detach()
    for d in 0..<3 {
      for desc in [false, true] {
        let (values, indices) = x.sort(d, descending: desc)
        let got = naiveLines(values.toArray(), s, d), gotIdx = naiveLines(indices.toArray(), s, d)
        for (k, line) in naiveLines(x.toArray(), s, d).enumerated() {
          let want = line.sorted { desc ? $0.1 > $1.1 : $0.1 < $1.1 }
          XCTAssertEqual(got[k].map(\.1), want.map(\.1), "dim \(d) desc \(desc)")
          XCTAssertEqual(gotIdx[k].map { Int($0.1) }, want.map(\.0), "dim \(d) desc \(desc)")
        }
      }
    }
    XCTAssertEqual(x.argsort(1).toArray(), x.sort(1).indices.toArray())
  }

  /// Equal values keep their order in both directions; NaN sorts above everything.
  func testSortIsStableAndPutsNaNLast() {
    let x = Tensor([2, 1, 2, .nan, 1, 2])
    XCTAssertEqual(x.sort(0).indices.toIntArray(), [1, 4, 0, 2, 5, 3])
    XCTAssertEqual(x.sort(0, descending: true).indices.toIntArray(), [3, 0, 2, 5, 1, 4])
    XCTAssertTrue(x.sort(0).values.toArray()[5].isNaN)
  }

  func testSortValuesGradientGoesToTheSourcePositions() {
    gradCheck([param([3, 5], seed: 22)]) { $0[0].sort(1).values }
    gradCheck([param([3, 5], seed: 23)]) { $0[0].sort(0, descending: true).values }
    let x = Tensor([3, 1, 2]).requiresGrad_()
    x.sort(0).values.mul(Tensor([1, 10, 100])).sum().backward()
    XCTAssertEqual(x.grad!.toArray(), [100, 1, 10])
  }

  func testTopkIsTheSortedPrefix() {
    let x = param([4, 6], seed: 24).detach()
    for largest in [true, false] {
      let (v, i) = x.topk(3, dim: 1, largest: largest)
      let sorted = x.sort(1, descending: largest)
      XCTAssertEqual(v.toArray(), sorted.values.narrow(1, 0, 3).contiguous().toArray())
      XCTAssertEqual(i.toArray(), sorted.indices.narrow(1, 0, 3).contiguous().toArray())
    }
    XCTAssertEqual(x.topk(0, dim: 0).values.shape, [0, 6])
    gradCheck([param([4, 6], seed: 25)]) { $0[0].topk(2, dim: 0).values }
  }

  func testKthvalueMedianAndTheirIndices() {
    let s = [3, 7]
    let x = param(s, seed: 26).detach()
    let lines = naiveLines(x.toArray(), s, 1)
    for k in 1...7 {
      let (v, i) = x.kthvalue(k, dim: 1)
      for (r, line) in lines.enumerated() {
        let want = line.sorted { $0.1 < $1.1 }[k - 1]
        XCTAssertEqual(v.toArray()[r], want.1)
        XCTAssertEqual(i.toIntArray()[r], want.0)
      }
    }
    // The lower median: of 4 values the 2nd smallest, never the mean of the middle two.
    let even = Tensor([4, 1, 3, 2])
    XCTAssertEqual(even.median().item(), 2)
    XCTAssertEqual(even.median(0).indices.item(), 3)
    XCTAssertEqual(x.median(1).values.toArray(), x.kthvalue(4, dim: 1).values.toArray())
    XCTAssertEqual(x.median(1, keepdim: true).values.shape, [3, 1])
    // NaN anywhere makes the median NaN, at the first NaN's position.
    let withNaN = Tensor([1, .nan, 2, .nan, 3])
    XCTAssertTrue(withNaN.median().item().isNaN)
    XCTAssertEqual(withNaN.median(0).indices.item(), 1)
    gradCheck([param([3, 7], seed: 27)]) { $0[0].median(1).values }
    // Values spread 0.1 apart so that the eps of the finite differences never reorders them.
    let spread = Tensor((0..<15).map { Float(($0 * 7) % 15) * 0.1 }, shape: [3, 5]).requiresGrad_()
    gradCheck([spread]) { $0[0].median() }
    gradCheck([param([3, 7], seed: 29)]) { $0[0].kthvalue(2, dim: 0).values }
  }

  /// The most frequent value; the smallest of equally frequent ones; the last occurrence.
  func testModeAgainstNaiveCounts() {
    let x = Tensor([[1, 3, 3, 2, 2], [5, 4, 4, 5, 1], [7, 8, 9, 6, 0]], shape: [3, 5])
    let (v, i) = x.mode(1)
    XCTAssertEqual(v.toArray(), [2, 4, 0])
    XCTAssertEqual(i.toIntArray(), [4, 2, 4])
    let g = Generator(seed: 5)
    let r = Tensor((0..<60).map { _ in Float(g.int(below: 4)) }, shape: [6, 10])
    let (rv, ri) = r.mode(1)
    for row in 0..<6 {
      let line = Array(r.toArray()[row * 10 ..< row * 10 + 10])
      var counts: [Float: Int] = [:]
      for e in line { counts[e, default: 0] += 1 }
      let best = counts.values.max()!
      let want = counts.filter { $0.value == best }.keys.min()!
      XCTAssertEqual(rv.toArray()[row], want)
      XCTAssertEqual(ri.toIntArray()[row], line.lastIndex(of: want)!)
    }
    // The gradient goes to the chosen position (finite differences would break the tie).
    let t = Tensor([1, 2, 2, 3]).requiresGrad_()
    t.mode(0).values.mul(5).backward()
    XCTAssertEqual(t.grad!.toArray(), [0, 0, 5, 0])
  }

  func testUniqueAgainstNaive() {
    let g = Generator(seed: 6)
    let x = Tensor((0..<24).map { _ in Float(g.int(below: 6)) - 2 }, shape: [4, 6])
    let (values, inverse, counts) = x.unique()
    let v = x.toArray()
    XCTAssertEqual(values.toArray(), Array(Set(v)).sorted())
    XCTAssertEqual(inverse.shape, [4, 6])
    XCTAssertEqual(inverse.toIntArray().map { values.toArray()[$0] }, v)
    XCTAssertEqual(counts.toIntArray(), values.toArray().map { u in v.filter { $0 == u }.count })
    let nan = Tensor([.nan, 1, .nan]).unique()
    XCTAssertEqual(nan.values.count, 3)
    XCTAssertEqual(Tensor.zeros([0]).unique().values.shape, [0])
  }

  func testZeroDimensionalInputs() {
    let s = Tensor(Float(4))
    XCTAssertEqual(s.sort().values.item(), 4)
    XCTAssertEqual(s.sort().indices.shape, [])
    XCTAssertEqual(s.kthvalue(1, dim: 0).values.shape, [])
    XCTAssertEqual(s.mode().indices.item(), 0)
    XCTAssertEqual(s.median().item(), 4)
  }
}
