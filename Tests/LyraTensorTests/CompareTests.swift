import XCTest
import LyraBase
@testable import LyraTensor

final class CompareTests: XCTestCase {
  func testComparisonsBroadcast() {
    let a = Tensor([1, 2, 3], shape: [3, 1]), b = Tensor([2, 2, 1, 3], shape: [1, 4])
    let (ref, _) = naiveBroadcast(a.toArray(), [3, 1], b.toArray(), [1, 4]) { $0 < $1 ? 1 : 0 }
    XCTAssertEqual(a.lt(b).toArray(), ref)
    XCTAssertEqual(a.eq(b).shape, [3, 4])
    XCTAssertEqual(Tensor([1, 2, 3]).ge(2).toArray(), [0, 1, 1])
    XCTAssertEqual(Tensor([1, 2, 3]).ne(2).toArray(), [1, 0, 1])
    XCTAssertEqual(Tensor([1, 2, 3]).le(2).toArray(), [1, 1, 0])
    XCTAssertEqual(Tensor([1, 2, 3]).gt(2).toArray(), [0, 0, 1])
    XCTAssertEqual(Tensor([1, 2, 3]).eq(2).toArray(), [0, 1, 0])
    XCTAssertFalse(param([3]).gt(0).requiresGrad)
  }

  func testWhere() {
    let a = param([3, 1], seed: 1), b = param([1, 4], seed: 2)
    let cond = Tensor([1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0], shape: [3, 4])
    let y = Tensor.where(cond, a, b)
    let av = a.toArray(), bv = b.toArray(), cv = cond.toArray()
    XCTAssertEqual(y.toArray(), (0..<12).map { cv[$0] != 0 ? av[$0 / 4] : bv[$0 % 4] })
    gradCheck([a, b]) { Tensor.where(cond, $0[0], $0[1]) }
  }

  func testDropout() {
    let x = Tensor.ones([10_000]).requiresGrad_()
    let y = x.dropout(0.3, generator: Generator(seed: 1))
    let yv = y.toArray()
    XCTAssertTrue(yv.allSatisfy { $0 == 0 || Swift.abs($0 - 1 / 0.7) < 1e-5 })
    XCTAssertEqual(Float(yv.filter { $0 == 0 }.count) / 10_000, 0.3, accuracy: 0.02)
    y.sum().backward()
    XCTAssertEqual(x.grad!.toArray(), yv)
    XCTAssertEqual(x.dropout(0.3, training: false).toArray(), x.toArray())
    XCTAssertEqual(x.dropout(0.3, generator: Generator(seed: 4)).toArray(), x.dropout(0.3, generator: Generator(seed: 4)).toArray())
    let p = param([3, 5], seed: 3)
    gradCheck([p]) { $0[0].dropout(0.5, generator: Generator(seed: 9)) }
  }
}
