import XCTest
@testable import LyraTensor

final class ReductionTests: XCTestCase {
  /// Naive reduction of `a` (shape `s`) along `d` with `f` over each line.
  func naive(_ a: [Float], _ s: [Int], _ d: Int, _ f: ([Float]) -> Float) -> [Float] {
    var os = s
    os.remove(at: d)
    return (0..<Shape.count(os)).map { i in
      var c = coords(i, os)
      c.insert(0, at: d)
      return f((0..<s[d]).map { k in c[d] = k; return a[flat(c, s)] })
    }
  }

  func testSumMeanAlongEveryAxis() {
    let s = [3, 5, 7]
    let a = param(s, seed: 1)
    for d in 0..<3 {
      assertClose(a.sum(d).toArray(), naive(a.toArray(), s, d) { $0.reduce(0, +) }, tol: 1e-5)
      assertClose(a.mean(d).toArray(), naive(a.toArray(), s, d) { $0.reduce(0, +) / Float($0.count) }, tol: 1e-5)
      var ks = s
      ks[d] = 1
      XCTAssertEqual(a.sum(d, keepdim: true).shape, ks)
      gradCheck([a]) { $0[0].sum(d) }
      gradCheck([a]) { $0[0].mean(d, keepdim: true) }
    }
    XCTAssertEqual(a.sum().item(), a.toArray().reduce(0, +), accuracy: 1e-4)
    XCTAssertEqual(a.sum([0, 2]).shape, [5])
    gradCheck([a]) { $0[0].sum() }
    gradCheck([a]) { $0[0].mean() }
    gradCheck([a]) { $0[0].mean([0, 2], keepdim: true) }
  }

  func testVarStd() {
    let s = [3, 5, 7]
    let a = param(s, seed: 2)
    func variance(_ v: [Float], _ unbiased: Bool) -> Float {
      let m = v.reduce(0, +) / Float(v.count)
      return v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Float(v.count - (unbiased ? 1 : 0))
    }
    for d in 0..<3 {
      assertClose(a.variance(d).toArray(), naive(a.toArray(), s, d) { variance($0, true) }, tol: 1e-4)
      assertClose(a.std(d, unbiased: false).toArray(), naive(a.toArray(), s, d) { variance($0, false).squareRoot() }, tol: 1e-4)
      gradCheck([a]) { $0[0].variance(d) }
      gradCheck([a]) { $0[0].std(d, keepdim: true) }
    }
    XCTAssertEqual(a.variance().item(), variance(a.toArray(), true), accuracy: 1e-4)
    gradCheck([a]) { $0[0].std() }
  }

  func testMaxMinArgmax() {
    let s = [3, 5, 7]
    let a = param(s, seed: 3)
    for d in 0..<3 {
      let (v, i) = a.max(d)
      assertClose(v.toArray(), naive(a.toArray(), s, d) { $0.max()! })
      XCTAssertEqual(i.dtype, .int32)
      XCTAssertEqual(i.toArray(), naive(a.toArray(), s, d) { Float($0.firstIndex(of: $0.max()!)!) })
      XCTAssertEqual(a.argmin(d).toArray(), naive(a.toArray(), s, d) { Float($0.firstIndex(of: $0.min()!)!) })
      assertClose(a.min(d, keepdim: true).values.toArray(), naive(a.toArray(), s, d) { $0.min()! })
      gradCheck([a]) { $0[0].max(d).values }
      gradCheck([a]) { $0[0].min(d, keepdim: true).values }
    }
    XCTAssertEqual(a.max().item(), a.toArray().max()!)
    XCTAssertEqual(a.argmax().item(), Float(a.toArray().firstIndex(of: a.toArray().max()!)!))
  }

  func testSumTo() {
    let g = Tensor.ones([2, 3, 4])
    XCTAssertEqual(g.sumTo([3, 1]).toArray(), [8, 8, 8])
    XCTAssertEqual(g.sumTo([4]).toArray(), [6, 6, 6, 6])
    XCTAssertEqual(g.sumTo([]).item(), 24)
  }

  func testLargeAxisSums() {
    let a = Tensor.randn([300, 500])
    let av = a.toArray()
    let s0 = a.sum(0).toArray(), s1 = a.sum(1).toArray()
    for j in stride(from: 0, to: 500, by: 37) {
      var r: Float = 0
      for i in 0..<300 { r += av[i * 500 + j] }
      XCTAssertEqual(s0[j], r, accuracy: 1e-3)
    }
    for i in stride(from: 0, to: 300, by: 29) {
      XCTAssertEqual(s1[i], av[(i * 500)..<(i * 500 + 500)].reduce(0, +), accuracy: 1e-3)
    }
  }
}
