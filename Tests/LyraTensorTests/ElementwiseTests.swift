import XCTest
import Foundation
@testable import LyraTensor

final class ElementwiseTests: XCTestCase {
  let shapes: [([Int], [Int])] = [([3, 5, 7], [3, 5, 7]), ([3, 1], [1, 4]), ([3, 5, 7], [5, 1]), ([2, 3, 4], [4]), ([4], [])]

  func checkBinary(_ name: String, _ op: (Tensor, Tensor) -> Tensor, _ ref: (Float, Float) -> Float, positiveB: Bool = false) {
    for (sa, sb) in shapes {
      let a = param(sa, seed: 3)
      let b = positiveB ? param(sb, seed: 4, scale: 0.3, shift: 2) : param(sb, seed: 4)
      let y = op(a, b)
      let (r, rs) = naiveBroadcast(a.toArray(), sa, b.toArray(), sb, ref)
      XCTAssertEqual(y.shape, rs, name)
      assertClose(y.toArray(), r)
      gradCheck([a, b]) { op($0[0], $0[1]) }
    }
  }

  func testAdd() { checkBinary("add", { $0 + $1 }, +) }
  func testSub() { checkBinary("sub", { $0 - $1 }, -) }
  func testMul() { checkBinary("mul", { $0 * $1 }, *) }
  func testDiv() { checkBinary("div", { $0 / $1 }, /, positiveB: true) }
  func testAddAlpha() { checkBinary("add alpha", { $0.add($1, alpha: -2.5) }, { $0 - 2.5 * $1 }) }
  func testPowTensor() {
    checkBinary("pow", { $0.abs().add(0.5).pow($1) }, { powf(Swift.abs($0) + 0.5, $1) })
  }

  func testScalarOps() {
    let a = param([3, 5, 7], seed: 5, scale: 0.5, shift: 2)
    let v = a.toArray()
    assertClose((a + 2).toArray(), v.map { $0 + 2 })
    assertClose((a - 2).toArray(), v.map { $0 - 2 })
    assertClose((a * 3).toArray(), v.map { $0 * 3 })
    assertClose((a / 4).toArray(), v.map { $0 / 4 })
    assertClose((2 - a).toArray(), v.map { 2 - $0 })
    assertClose((2 / a).toArray(), v.map { 2 / $0 })
    assertClose((-a).toArray(), v.map { -$0 })
    assertClose(a.pow(3).toArray(), v.map { $0 * $0 * $0 }, tol: 1e-4)
    assertClose(a.pow(0.5).toArray(), v.map { $0.squareRoot() })
    gradCheck([a]) { ($0[0] * 3 + 1) - 2 }
    gradCheck([a]) { 2 / $0[0] }
    gradCheck([a]) { 2 - $0[0] }
    gradCheck([a]) { $0[0].pow(3) }
    gradCheck([a]) { $0[0].pow(-1.5) }
    gradCheck([a]) { $0[0].square() }
  }

  func testUnaryMath() {
    let a = param([3, 5, 7], seed: 6)
    let pos = param([3, 5, 7], seed: 7, scale: 0.3, shift: 2)
    assertClose(a.exp().toArray(), a.toArray().map { Foundation.exp($0) })
    assertClose(pos.log().toArray(), pos.toArray().map { Foundation.log($0) })
    assertClose(pos.sqrt().toArray(), pos.toArray().map { $0.squareRoot() })
    assertClose(a.abs().toArray(), a.toArray().map { Swift.abs($0) })
    assertClose(a.clamp(min: -0.5, max: 0.7).toArray(), a.toArray().map { Swift.min(Swift.max($0, -0.5), 0.7) })
    assertClose(a.sign().toArray(), a.toArray().map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })
    gradCheck([a]) { $0[0].exp() }
    gradCheck([pos]) { $0[0].log() }
    gradCheck([pos]) { $0[0].sqrt() }
    gradCheck([a]) { $0[0].abs() }
    gradCheck([a]) { $0[0].neg() }
    gradCheck([a]) { $0[0].clamp(min: -0.5, max: 0.7) }
  }

  func testNonContiguousInputs() {
    let a = param([5, 7], seed: 8)
    let b = param([7, 5], seed: 9)
    let y = a + b.t()
    let av = a.toArray(), bv = b.toArray()
    var ref = [Float](repeating: 0, count: 35)
    for i in 0..<5 { for j in 0..<7 { ref[i * 7 + j] = av[i * 7 + j] + bv[j * 5 + i] } }
    assertClose(y.toArray(), ref)
    assertClose(b.t().exp().toArray(), b.t().contiguous().toArray().map { Foundation.exp($0) })
    gradCheck([a, b]) { $0[0] * $0[1].t() }
  }

  func testInPlace() {
    let a = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    a.add_(Tensor([10, 20, 30]))
    XCTAssertEqual(a.toArray(), [11, 22, 33, 14, 25, 36])
    a.mul_(2).sub_(1)
    XCTAssertEqual(a.toArray(), [21, 43, 65, 27, 49, 71])
    a.add_(Tensor.ones([2, 3]), alpha: -1)
    XCTAssertEqual(a.toArray(), [20, 42, 64, 26, 48, 70])
    // In place through a transposed view writes the right elements.
    a.t().select(0, 1).fill_(0)
    XCTAssertEqual(a.toArray(), [20, 0, 64, 26, 0, 70])
  }

  func testLargeParallelMatchesSerial() {
    let n = 300_000
    let a = Tensor.randn([n]), b = Tensor.randn([n])
    let y = (a * b + 1).toArray()
    let av = a.toArray(), bv = b.toArray()
    for i in stride(from: 0, to: n, by: 997) { XCTAssertEqual(y[i], av[i] * bv[i] + 1, accuracy: 1e-5) }
    let big = Tensor.randn([600, 700])
    let s = big.sum().item()
    let ref = big.toArray().reduce(0.0) { $0 + Double($1) }
    XCTAssertEqual(Double(s), ref, accuracy: 1e-2)
  }
}
