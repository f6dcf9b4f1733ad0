import Foundation
import XCTest
import LyraBase
import LyraSpace
@testable import LyraSearch

/// Shortcuts to the shared benchmark problems (docs/hpo.md) for the TPE, BOSS and
/// evolution tests, and a sequential ask/tell loop with a closure loss.
enum SearchToys {
  static let braninOptimum = BenchmarkProblem.branin.optimum
  static func branin(_ c: Config) -> Double { BenchmarkProblem.branin.trueLoss(c) }
  static func braninSpace() -> SearchSpace { BenchmarkProblem.branin.space }
  static let hartmannOptimum = BenchmarkProblem.hartmann6.optimum
  static func hartmann6(_ c: Config) -> Double { BenchmarkProblem.hartmann6.trueLoss(c) }
  static func hartmannSpace() -> SearchSpace { BenchmarkProblem.hartmann6.space }

  /// Runs ask/tell sequentially for `n` trials (or until nil) with `f` as the loss.
  @discardableResult
  static func run(_ alg: SearchAlgorithm, _ n: Int, _ f: @escaping (Config) -> Double) -> [Trial] {
    var out: [Trial] = []
    for _ in 0..<n {
      guard let t = alg.ask() else { break }
      alg.tell(t.id, TrialResult(["loss": f(t.config)]))
      out.append(t)
    }
    return out
  }

  /// Best loss among the trials.
  static func bestLoss(_ trials: [Trial], _ f: (Config) -> Double) -> Double { trials.map { f($0.config) }.min() ?? .infinity }
}

final class TPETests: XCTestCase {
  // MARK: Parzen estimator against hand computations

  func testUnivariateSigmasWeightsAndDensityByHand() {
    // Observations 0.1 and 0.3 on [0, 1], prior at 0.5 with σ = 1. Sorted centres (the
    // prior's is not among them, as in Optuna v5) inside the ends: [0, 0.1, 0.3, 1];
    // endpoints off, so the outermost two take their inner gap 0.2; the magic clip
    // raises them to 1/min(100, 1 + 3 kernels) = 0.25.
    let pe = ParzenEstimator(observations: [[0.1], [0.3]], coordinates: [.numeric(step: nil)], multivariate: false)
    guard case .numeric(let mus, let sigmas, nil) = pe.components[0] else { return XCTFail("numeric component expected") }
    XCTAssertEqual(mus, [0.1, 0.3, 0.5])
    XCTAssertEqual(sigmas[0], 0.25, accuracy: 1e-15)
    XCTAssertEqual(sigmas[1], 0.25, accuracy: 1e-15)
    XCTAssertEqual(sigmas[2], 1, accuracy: 1e-15)
    XCTAssertEqual(pe.weights, [1.0 / 3, 1.0 / 3, 1.0 / 3])
    // Density at 0.4: Σ w·φ((x−μ)/σ)/σ / (Φ((1−μ)/σ) − Φ(−μ/σ)).
    func phi(_ z: Double) -> Double { exp(-z * z / 2) / (2 * Double.pi).squareRoot() }
    func cdf(_ z: Double) -> Double { 0.5 * (1 + erf(z / 2.0.squareRoot())) }
    var p = 0.0
    for (mu, s) in [(0.1, 0.25), (0.3, 0.25), (0.5, 1.0)] { p += phi((0.4 - mu) / s) / s / (cdf((1 - mu) / s) - cdf(-mu / s)) / 3 }
    XCTAssertEqual(pe.logPDF([0.4]), log(p), accuracy: 1e-12)
    // Wide spacing is kept (not clipped): observations 0.0 and 0.9 → [0, 0, 0.9, 1]:
    // both take the inner gap 0.9. (This test used to expect 0.5 and 0.4, from the
    // v3 rule that sorted the prior's centre 0.5 in with the observations.)
    let wide = ParzenEstimator(observations: [[0.0], [0.9]], coordinates: [.numeric(step: nil)], multivariate: false)
    guard case .numeric(_, let ws, _) = wide.components[0] else { return XCTFail() }
    XCTAssertEqual(ws[0], 0.9, accuracy: 1e-15)
    XCTAssertEqual(ws[1], 0.9, accuracy: 1e-12)
  }

  func testMultivariateSigmaRuleAndPriorWeight() {
    // Optuna v5 uses the neighbour-gap rule per coordinate in multivariate mode too (the
    // old expectation, Scott's 0.2·5^(−1/6), was v2–v4's multivariate rule).
    // Five 2-D observations; coordinate 1 is [0.2, 0.4, 0.6, 0.8, 0.1] → sorted with the
    // ends [0, 0.1, 0.2, 0.4, 0.6, 0.8, 1]: gaps 0.1 (inner, end), 0.2, 0.2, 0.2, 0.2
    // (inner, end); the clip 1/min(100, 1 + 6) = 1/7 raises 0.1.
    let obs = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8], [0.9, 0.1]]
    let pe = ParzenEstimator(observations: obs, coordinates: [.numeric(step: nil), .numeric(step: nil)], priorWeight: 2)
    guard case .numeric(_, let sigmas, _) = pe.components[1] else { return XCTFail() }
    XCTAssertEqual(sigmas[0], 0.2, accuracy: 1e-15)
    XCTAssertEqual(sigmas[3], 0.2, accuracy: 1e-15)
    XCTAssertEqual(sigmas[4], 1.0 / 7, accuracy: 1e-15)
    XCTAssertEqual(sigmas[5], 1)
    // Weights 1,1,1,1,1 and the prior 2, normalised.
    XCTAssertEqual(pe.weights[0], 1.0 / 7, accuracy: 1e-15)
    XCTAssertEqual(pe.weights[5], 2.0 / 7, accuracy: 1e-15)
    // One observation at 0.5: the larger gap to the ends is 0.5, above the clip 1/3.
    // At 0.9 the gap is 0.9; at level 1 of 4 (1/3, step 1/3, ends −1/6 and 7/6) it is 5/6.
    let one = ParzenEstimator(observations: [[0.5, 0.9]], coordinates: [.numeric(step: nil), .numeric(step: nil)])
    guard case .numeric(_, let s1, _) = one.components[0], case .numeric(_, let s2, _) = one.components[1] else { return XCTFail() }
    XCTAssertEqual(s1[0], 0.5, accuracy: 1e-15)
    XCTAssertEqual(s2[0], 0.9, accuracy: 1e-15)
    let lv = ParzenEstimator(observations: [[1.0 / 3]], coordinates: [.numeric(step: 1.0 / 3)])
    guard case .numeric(_, let s3, _) = lv.components[0] else { return XCTFail() }
    XCTAssertEqual(s3[0], 5.0 / 6, accuracy: 1e-15)
    XCTAssertEqual(s3[1], 4.0 / 3, accuracy: 1e-15)
  }

  func testMatchesOptunaParzenEstimator() {
    // Reference values printed by Optuna 5.0.0's `_ParzenEstimator` (default weights,
    // prior 1, magic clip, no endpoints) on the same observations, by
    // scripts/bench/tpe_optuna_reference.py: x float in [0, 1], k int in 0…4 (encoded
    // k/4, so Optuna's σ are 4× ours), c categorical of 3 (encoded c/2).
    let xs = [0.1, 0.35, 0.8, 0.82, 0.5, 0.05, 0.9], ks = [0, 2, 4, 4, 1, 3, 2], cs = [0, 2, 1, 1, 0, 2, 0]
    let obs = xs.indices.map { [xs[$0], Double(ks[$0]) / 4, Double(cs[$0]) / 2] }
    let pe = ParzenEstimator(observations: obs, coordinates: [.numeric(step: nil), .numeric(step: 0.25), .categorical(n: 3)])
    guard case .numeric(_, let sx, _) = pe.components[0], case .numeric(_, let sk, _) = pe.components[1],
          case .categorical(let pc) = pe.components[2] else { return XCTFail() }
    let optunaX = [0.25, 0.25, 0.3, 1.0 / 9, 0.3, 1.0 / 9, 1.0 / 9, 1.0]
    let optunaK = [1.0, 1.0, 1.0, 5.0 / 9, 1.0, 1.0, 1.0, 5.0]
    for i in 0..<8 {
      XCTAssertEqual(sx[i], optunaX[i], accuracy: 1e-12, "x σ[\(i)]")
      XCTAssertEqual(sk[i] * 4, optunaK[i], accuracy: 1e-12, "k σ[\(i)]")
    }
    XCTAssertEqual(pc[1], [1.0 / 11, 1.0 / 11, 9.0 / 11].map { $0 }, "c row of observation 1")
    let pts = [[0.0, 0, 0], [0.3, 0.5, 0.5], [0.81, 1, 1], [1.0, 0.25, 0]]
    let optunaLogPDF = [-1.9295924176442878, -3.6171388594551224, -2.8700084302490065, -2.3318739070513526]
    for (x, want) in zip(pts, optunaLogPDF) { XCTAssertEqual(pe.logPDF(x), want, accuracy: 1e-9, "log pdf at \(x)") }
  }

  func testCategoricalAndDiscreteKernelsByHand() {
    // Three choices, observations 0 and 2 (encoded 0 and 1): 3 kernels, so each row has
    // 1/3 everywhere plus 1 on its choice: [4/3, 1/3, 1/3] / 2.
    let pe = ParzenEstimator(observations: [[0.0], [1.0]], coordinates: [.categorical(n: 3)])
    guard case .categorical(let probs) = pe.components[0] else { return XCTFail() }
    XCTAssertEqual(probs[0][0], 2.0 / 3, accuracy: 1e-15)
    XCTAssertEqual(probs[0][1], 1.0 / 6, accuracy: 1e-15)
    XCTAssertEqual(probs[1][2], 2.0 / 3, accuracy: 1e-15)
    XCTAssertEqual(probs[2], [1.0 / 3, 1.0 / 3, 1.0 / 3])
    // Density of choice 1: (1/6 + 1/6 + 1/3) / 3.
    XCTAssertEqual(pe.logPDF([0.5]), log((1.0 / 6 + 1.0 / 6 + 1.0 / 3) / 3), accuracy: 1e-14)
    // Five levels (step 1/4): mass of the cell [x−1/8, x+1/8] on the range widened to
    // [−1/8, 9/8]; the levels' probabilities sum to 1.
    let d = ParzenEstimator(observations: [[0.25]], coordinates: [.numeric(step: 0.25)])
    let total = (0..<5).map { exp(d.logPDF([Double($0) * 0.25])) }.reduce(0, +)
    XCTAssertEqual(total, 1, accuracy: 1e-12)
    let g = Generator(seed: 3)
    for _ in 0..<200 {
      let x = d.sample(g)[0]
      XCTAssertEqual(x * 4, (x * 4).rounded(), accuracy: 1e-12, "samples sit on the levels")
    }
  }

  func testTruncatedSamplesStayInRangeAndFollowTheKernel() {
    let g = Generator(seed: 1)
    var mean = 0.0
    for _ in 0..<4000 {
      let x = Normal.truncatedSample(mu: 0.9, sigma: 0.05, low: 0, high: 1, g)
      XCTAssert(x >= 0 && x <= 1)
      mean += x / 4000
    }
    // E[X] for N(0.9, 0.05²) truncated to [0, 1]: 0.9 − 0.05·φ(2)/(Φ(2) − Φ(−18)) ≈ 0.8973.
    XCTAssertEqual(mean, 0.9 - 0.05 * 0.05399096651 / 0.97724986805, accuracy: 0.003)
    XCTAssertEqual(Normal.quantile(0.975), 1.959963984540054, accuracy: 1e-12)
    XCTAssertEqual(Normal.quantile(1e-10), -6.361340902404056, accuracy: 1e-9)
  }

  func testDefaultWeightsRamp() {
    XCTAssertEqual(ParzenEstimator.defaultWeights(3), [1, 1, 1])
    let w = ParzenEstimator.defaultWeights(30)
    XCTAssertEqual(w.count, 30)
    XCTAssertEqual(w[0], 1.0 / 30, accuracy: 1e-15)
    XCTAssertEqual(w[4], 1, accuracy: 1e-15)
    XCTAssertEqual(Array(w[5...]), Array(repeating: 1, count: 25))
    XCTAssertEqual(TPEProposer.defaultGamma(10), 1)
    XCTAssertEqual(TPEProposer.defaultGamma(11), 2)
    XCTAssertEqual(TPEProposer.defaultGamma(1000), 25)
  }

  // MARK: search behaviour

  func testProposalsConcentrateNearTheOptimumOfAQuadratic() {
    // Over 5 seeds (one seed's late proposals are too noisy a statistic to gate on).
    let space = try! SearchSpace(parameters: [try! Hyperparameter(key: "x", type: .float, range: [0.0, 1.0])])
    var late: [Double] = []
    for seed in UInt64(0)..<5 {
      let tpe = TPE(space: space, seed: seed)
      let trials = SearchToys.run(tpe, 60) { pow($0["x"]!.number! - 0.7, 2) }
      late += trials.suffix(30).map { abs($0.config["x"]!.number! - 0.7) }
    }
    let mean = late.reduce(0, +) / Double(late.count)
    let near = Double(late.filter { $0 < 0.1 }.count) / Double(late.count)
    print("quadratic: mean |x − 0.7| \(mean), within 0.1: \(near)")
    // Uniform proposals would average |x − 0.7| ≈ 0.29 and land within 0.1 a fifth of the time.
    XCTAssertLessThan(mean, 0.15, "late proposals should cluster near 0.7, mean distance \(mean)")
    XCTAssertGreaterThan(near, 0.5)
  }

  func testFindsBraninOptimumRegion() {
    let tpe = TPE(space: SearchToys.braninSpace(), seed: 0, maxTrials: 100)
    let trials = SearchToys.run(tpe, 1000, SearchToys.branin)
    XCTAssertEqual(trials.count, 100)
    XCTAssertTrue(tpe.isDone)
    let regret = SearchToys.branin(tpe.best()!.trial.config) - SearchToys.braninOptimum
    XCTAssertLessThan(regret, 0.5)
    XCTAssertEqual(tpe.best()!.result.metrics["loss"], SearchToys.bestLoss(trials, SearchToys.branin))
  }

  func testBeatsRandomSearchOnAverage() {
    for (space, f, opt, n) in [(SearchToys.braninSpace(), SearchToys.branin as (Config) -> Double, SearchToys.braninOptimum, 60),
                               (SearchToys.hartmannSpace(), SearchToys.hartmann6 as (Config) -> Double, SearchToys.hartmannOptimum, 60)] {
      var tpeRegret = 0.0, randomRegret = 0.0
      for seed in UInt64(0)..<5 {
        tpeRegret += SearchToys.bestLoss(SearchToys.run(TPE(space: space, seed: seed), n, f), f) - opt
        randomRegret += SearchToys.bestLoss(SearchToys.run(RandomSearch(space: space, seed: seed, maxTrials: n), n, f), f) - opt
      }
      print("TPE vs random, dim \(space.dimension): mean regret \(tpeRegret / 5) vs \(randomRegret / 5)")
      XCTAssertLessThan(tpeRegret, 0.7 * randomRegret, "TPE \(tpeRegret / 5) vs random \(randomRegret / 5) (dim \(space.dimension))")
    }
  }

  func testConstantLiarSteersAwayFromPendingTrials() {
    func prepared(_ liar: Bool) -> TPE {
      let t = TPE(space: SearchToys.braninSpace(), seed: 5, constantLiar: liar)
      SearchToys.run(t, 20, SearchToys.branin)
      return t
    }
    let liar = prepared(true), honest = prepared(false)
    // Nothing pending yet: the same proposal.
    let a1 = liar.ask()!, b1 = honest.ask()!
    XCTAssertEqual(a1.config, b1.config)
    // With a1 pending, the liar counts it as "above" and proposes elsewhere.
    let a2 = liar.ask()!, b2 = honest.ask()!
    XCTAssertNotEqual(a2.config, b2.config)
    XCTAssertEqual(liar.split(liar.history.tellOrder).above.contains(a1.id), true)
    XCTAssertEqual(honest.split(honest.history.tellOrder).above.contains(b1.id), false)
  }

  // MARK: determinism, resume, failures

  func testSameSeedSameTrajectoryAndExactResume() throws {
    let f: (Config) -> Double = { SearchToys.branin($0) }
    let a = TPE(space: SearchToys.braninSpace(), seed: 11), b = TPE(space: SearchToys.braninSpace(), seed: 11)
    let ta = SearchToys.run(a, 30, f), tb = SearchToys.run(b, 30, f)
    XCTAssertEqual(ta, tb)
    let other = TPE(space: SearchToys.braninSpace(), seed: 12)
    let to = SearchToys.run(other, 30, f)
    XCTAssertNotEqual(to.map(\.config), ta.map(\.config))
    // Save mid-run with one trial pending, restore on a fresh instance, continue both.
    let pending = a.ask()!
    let saved = a.state()
    let c = TPE(space: SearchToys.braninSpace(), seed: 11)
    try c.restore(try JSON.parse(JSON.encode(saved, pretty: false)))
    XCTAssertEqual(c.history.pending, [pending.id])
    for alg in [a, c] { alg.tell(pending.id, TrialResult(["loss": f(pending.config)])) }
    let ca = SearchToys.run(a, 15, f), cc = SearchToys.run(c, 15, f)
    XCTAssertEqual(ca, cc)
    XCTAssertThrowsError(try TPE(space: SearchToys.braninSpace(), seed: 99).restore(saved))
  }

  func testFailuresAndNaNNeverBestAndGoAbove() {
    let tpe = TPE(space: SearchToys.braninSpace(), seed: 2)
    var n = 0
    for _ in 0..<30 {
      let t = tpe.ask()!
      n += 1
      if n % 3 == 0 { tpe.tell(t.id, .failed()) } else if n % 3 == 1 { tpe.tell(t.id, TrialResult(["loss": .nan])) } else {
        tpe.tell(t.id, TrialResult(["loss": SearchToys.branin(t.config) + 100]))
      }
    }
    let best = tpe.best()!
    XCTAssertEqual(best.result.status, .completed)
    XCTAssertTrue(best.result.metrics["loss"]!.isFinite)
    let (below, _) = tpe.split(tpe.history.tellOrder)
    XCTAssertEqual(below.count, 3)
    for id in below { XCTAssertTrue(tpe.history.loss(id)!.isFinite) }
  }
}
