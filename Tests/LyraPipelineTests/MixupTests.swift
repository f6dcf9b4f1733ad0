import XCTest
import LyraBase
import LyraTensor
@testable import LyraPipeline

/// VEGA's `trainer.mixup`: the Beta draws, the mixed batch and the mixed loss.
final class MixupTests: XCTestCase {
  func moments(_ draw: () -> Double, _ n: Int = 20000) -> (mean: Double, variance: Double) {
    let xs = (0..<n).map { _ in draw() }
    let m = xs.reduce(0, +) / Double(n)
    return (m, xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(n - 1))
  }

  /// Gamma(k) has mean and variance k; Beta(a, b) has mean a/(a+b) and variance
  /// ab / ((a+b)²(a+b+1)): 0.5 and 0.2083 for VEGA's Beta(0.1, 0.1).
  func testGammaAndBetaMoments() {
    let g = Generator(seed: 11)
    let gamma = moments { Mixup.gamma(3, g) }
    XCTAssertEqual(gamma.mean, 3, accuracy: 0.08)
    XCTAssertEqual(gamma.variance, 3, accuracy: 0.25)
    let small = moments { Mixup.gamma(0.5, g) }
    XCTAssertEqual(small.mean, 0.5, accuracy: 0.03)
    let beta = moments { Mixup.beta(0.1, 0.1, g) }
    XCTAssertEqual(beta.mean, 0.5, accuracy: 0.02)
    XCTAssertEqual(beta.variance, 0.01 / (0.04 * 1.2), accuracy: 0.01)
    let skewed = moments { Mixup.beta(2, 5, g) }
    XCTAssertEqual(skewed.mean, 2.0 / 7, accuracy: 0.01)
    XCTAssertEqual(skewed.variance, 10.0 / (49 * 8), accuracy: 0.003)
  }

  /// The model sees λ·x + (1 − λ)·x[π], and the loss is λ·L(y) + (1 − λ)·L(y[π]); the
  /// same (seed, epoch, step) draws the same λ and π.
  func testMixedBatchAndLossFollowTheDraw() throws {
    let x = Tensor([1, 2, 3, 4, 5, 6, 7, 8], shape: [4, 2])
    let y = Tensor(indices: [0, 1, 1, 0])
    let loss = try LossRegistry.make(ComponentSpec(type: "CrossEntropyLoss"))
    let m = Mixup()
    let (lambda, perm) = m.draw(seed: 5, epoch: 2, step: 7, batch: 4)
    XCTAssertEqual(perm.sorted(), [0, 1, 2, 3])
    XCTAssertTrue((0...1).contains(lambda))
    var seen: Tensor?
    let (out, mixed) = try m.loss(x: x, y: y, seed: 5, epoch: 2, step: 7, forward: { seen = $0; return $0 }, loss: loss)
    let input = try XCTUnwrap(seen).toArray(), xs = x.toArray()
    for r in 0..<4 { for c in 0..<2 {
      XCTAssertEqual(input[r * 2 + c], lambda * xs[r * 2 + c] + (1 - lambda) * xs[perm[r] * 2 + c], accuracy: 1e-5)
    } }
    let labels = y.toIntArray()
    let expected = lambda * (try loss(out, y).item()) + (1 - lambda) * (try loss(out, Tensor(indices: perm.map { labels[$0] })).item())
    XCTAssertEqual(mixed.item(), expected, accuracy: 1e-5)
    let again = m.draw(seed: 5, epoch: 2, step: 7, batch: 4)
    XCTAssertEqual(again.lambda, lambda)
    XCTAssertEqual(again.permutation, perm)
    XCTAssertNotEqual(m.draw(seed: 5, epoch: 2, step: 8, batch: 4).lambda, lambda)
  }

  func testTrainerConfigReadsMixup() throws {
    XCTAssertTrue(try TrainerConfig(json: .object(["mixup": .bool(true)])).mixup)
    XCTAssertFalse(try TrainerConfig(json: .object([:])).mixup)
    XCTAssertThrowsError(try TrainerConfig(json: .object(["mixup": .string("yes")]))) { XCTAssertTrue("\($0)".contains("mixup"), "\($0)") }
  }
}
