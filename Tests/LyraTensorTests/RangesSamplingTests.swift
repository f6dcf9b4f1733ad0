import XCTest
import Foundation
import LyraBase
@testable import LyraTensor

/// range, logspace, meshgrid against planted values; bernoulli and multinomial with a fixed
/// seed against bounds that a wrong probability or a broken draw would fail.
final class RangesSamplingTests: XCTestCase {
  func testRangeIncludesItsEnd() {
    XCTAssertEqual(Tensor.range(1, 3).toArray(), [1, 2, 3])
    XCTAssertEqual(Tensor.range(5, 1, -2).toArray(), [5, 3, 1])
    XCTAssertEqual(Tensor.range(0, 1, 0.1).count, 11)
    XCTAssertEqual(Double(Tensor.range(0, 1, 0.1).toArray()[10]), 1, accuracy: 1e-6)
    XCTAssertEqual(Tensor.range(0, 0.95, 0.1).count, 10)
    XCTAssertEqual(Tensor.range(2, 1).count, 0)
  }

  func testLogspace() {
    assertClose(Tensor.logspace(0, 3, 4).toArray(), [1, 10, 100, 1000])
    assertClose(Tensor.logspace(1, 3, 3, base: 2).toArray(), [2, 4, 8])
  }

  func testMeshgridBothIndexings() {
    let a = Tensor([1, 2]), b = Tensor([10, 20, 30])
    let ij = Tensor.meshgrid([a, b])
    XCTAssertEqual(ij[0].shape, [2, 3])
    XCTAssertEqual(ij[0].toArray(), [1, 1, 1, 2, 2, 2])
    XCTAssertEqual(ij[1].toArray(), [10, 20, 30, 10, 20, 30])
    let xy = Tensor.meshgrid([a, b], xy: true)
    XCTAssertEqual(xy[0].shape, [3, 2])
    XCTAssertEqual(xy[0].toArray(), [1, 2, 1, 2, 1, 2])
    XCTAssertEqual(xy[1].toArray(), [10, 10, 20, 20, 30, 30])
    let three = Tensor.meshgrid([a, b, Tensor([7, 8, 9, 10])])
    XCTAssertEqual(three[2].shape, [2, 3, 4])
    // Gradients sum back over the repeated axes.
    let p = Tensor([1, 2]).requiresGrad_(), q = Tensor([3, 4, 5]).requiresGrad_()
    let g = Tensor.meshgrid([p, q])
    g[0].add(g[1]).sum().backward()
    XCTAssertEqual(p.grad!.toArray(), [3, 3])
    XCTAssertEqual(q.grad!.toArray(), [2, 2, 2])
  }

  /// 20000 draws at p = 0.2 have a standard error of 0.003: the mean must land within
  /// 0.02; p = 0 and p = 1 are exact, and the same seed repeats the same draws.
  func testBernoulliFromProbabilities() {
    let g = Generator(seed: 41)
    let p = Tensor([0, 0.2, 1], shape: [1, 3]).expand([20000, 3])
    let draws = p.bernoulli(generator: g)
    let means = draws.mean(0).toArray()
    XCTAssertEqual(means[0], 0)
    XCTAssertEqual(means[1], 0.2, accuracy: 0.02)
    XCTAssertEqual(means[2], 1)
    XCTAssertTrue(draws.toArray().allSatisfy { $0 == 0 || $0 == 1 })
    XCTAssertEqual(p.bernoulli(generator: Generator(seed: 7)).toArray(), p.bernoulli(generator: Generator(seed: 7)).toArray())
    // In place with broadcast probabilities.
    let x = Tensor.zeros([4000, 2]).bernoulli_(Tensor([0.9, 0.1]), generator: g)
    let m = x.mean(0).toArray()
    XCTAssertEqual(m[0], 0.9, accuracy: 0.03)
    XCTAssertEqual(m[1], 0.1, accuracy: 0.03)
  }

  /// With replacement the frequencies follow the weights (within 0.02 over 20000 draws, a
  /// standard error under 0.004) and a zero weight is never drawn; without replacement
  /// every row holds distinct categories of positive weight.
  func testMultinomial() {
    let g = Generator(seed: 43)
    let w = Tensor([1, 0, 3, 6])
    let draws = w.multinomial(20000, replacement: true, generator: g).toIntArray()
    XCTAssertEqual(draws.filter { $0 == 1 }.count, 0)
    for (c, want) in [(0, 0.1), (2, 0.3), (3, 0.6)] {
      XCTAssertEqual(Double(draws.filter { $0 == c }.count) / 20000, want, accuracy: 0.02, "category \(c)")
    }
    let rows = Tensor([1, 1, 0, 1, 5, 0, 0, 2, 3, 0, 1, 1], shape: [3, 4])
    for _ in 0..<50 {
      let r = rows.multinomial(2, generator: g)
      XCTAssertEqual(r.shape, [3, 2])
      let v = r.toIntArray()
      for row in 0..<3 {
        XCTAssertNotEqual(v[row * 2], v[row * 2 + 1])
        for c in v[row * 2 ... row * 2 + 1] { XCTAssertGreaterThan(rows.toArray()[row * 4 + c], 0) }
      }
    }
    // Drawing every positive category without replacement gives a permutation of them; the
    // heaviest comes first most often (6 of 10 times in expectation, here over 2000 runs).
    var firstHeavy = 0
    for _ in 0..<2000 {
      let r = w.multinomial(3, generator: g).toIntArray()
      XCTAssertEqual(Set(r), [0, 2, 3])
      if r[0] == 3 { firstHeavy += 1 }
    }
    XCTAssertEqual(Double(firstHeavy) / 2000, 0.6, accuracy: 0.05)
  }
}
