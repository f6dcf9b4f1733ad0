import Foundation
import XCTest
import LyraBase
@testable import LyraPipeline

/// fANOVA on a random forest: planted problems, and the exact leaf sums checked against
/// a brute-force grid over the tree's prediction.
final class ImportanceTests: XCTestCase {
  /// Planted: y depends on x0 only (plus a little noise); x1 is noise. x0 must rank first
  /// by a wide margin, whichever column it is in.
  func testPlantedHyperparameterRanksFirst() {
    let rng = Generator(seed: 42)
    func u() -> Double { rng.nextDouble() }
    var x: [[Double]] = [], y: [Double] = []
    for _ in 0..<80 {
      let a = u(), b = u()
      x.append([a, b])
      y.append(sin(3 * a) * 4 + a * a + 0.05 * (u() - 0.5))
    }
    let imp = FANOVA.importance(RandomForest(x: x, y: y), features: 2)
    XCTAssertGreaterThan(imp[0], 0.7, "\(imp)")
    XCTAssertLessThan(imp[1], 0.1, "\(imp)")
    XCTAssertGreaterThan(imp[0], 8 * imp[1], "\(imp)")
    // Swapped columns: the ranking follows the variable, not the position.
    let swapped = FANOVA.importance(RandomForest(x: x.map { [$0[1], $0[0]] }, y: y), features: 2)
    XCTAssertGreaterThan(swapped[1], 8 * swapped[0], "\(swapped)")
  }

  /// Two relevant inputs of different strength and one irrelevant: ranked strong, weak, noise.
  func testRanksByStrength() {
    let rng = Generator(seed: 7)
    func u() -> Double { rng.nextDouble() }
    var x: [[Double]] = [], y: [Double] = []
    for _ in 0..<150 {
      let r = [u(), u(), u()]
      x.append(r)
      y.append(3 * r[2] + 1 * r[0])
    }
    let imp = FANOVA.importance(RandomForest(x: x, y: y), features: 3)
    XCTAssertGreaterThan(imp[2], imp[0], "\(imp)")
    XCTAssertGreaterThan(imp[0], imp[1], "\(imp)")
    XCTAssertLessThan(imp[1], 0.05, "\(imp)")
  }

  /// The leaf-sum variance decomposition equals the variance of the tree's prediction and
  /// of its one-variable marginals computed on a fine grid (midpoint rule).
  func testMainEffectsMatchABruteForceGrid() throws {
    let rng = Generator(seed: 3)
    func u() -> Double { rng.nextDouble() }
    let x = (0..<60).map { _ in [u(), u()] }
    let y = x.map { $0[0] * 2 + ($0[1] > 0.5 ? 1 : 0) + $0[0] * $0[1] }
    let forest = RandomForest(x: x, y: y, options: .init(trees: 1, maxDepth: 5, minLeaf: 2, seed: 9))
    let leaves = try XCTUnwrap(forest.trees.first)
    func predict(_ p: [Double]) -> Double {
      leaves.first { l in (0..<2).allSatisfy { l.lower[$0] <= p[$0] && (p[$0] < l.upper[$0] || l.upper[$0] == 1) } }!.value
    }
    let n = 400
    let grid = (0..<n).map { (Double($0) + 0.5) / Double(n) }
    var f = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n { for j in 0..<n { f[i][j] = predict([grid[i], grid[j]]) } }
    let mean = f.joined().reduce(0, +) / Double(n * n)
    let total = f.joined().reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n * n)
    let m0 = (0..<n).map { i in f[i].reduce(0, +) / Double(n) }
    let m1 = (0..<n).map { j in (0..<n).reduce(0) { $0 + f[$1][j] } / Double(n) }
    let v0 = m0.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
    let v1 = m1.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
    let exact = try XCTUnwrap(FANOVA.mainEffects(leaves, features: 2))
    XCTAssertEqual(exact[0], v0 / total, accuracy: 0.01)
    XCTAssertEqual(exact[1], v1 / total, accuracy: 0.01)
    XCTAssertGreaterThan(exact[0], 0.05)
    XCTAssertGreaterThan(exact[1], 0.05)
  }

  func testConstantTargetHasNoImportance() {
    let x = (0..<10).map { [Double($0) / 10, 0.5] }
    let imp = FANOVA.importance(RandomForest(x: x, y: [Double](repeating: 3, count: 10)), features: 2)
    XCTAssertEqual(imp, [0, 0])
  }
}
