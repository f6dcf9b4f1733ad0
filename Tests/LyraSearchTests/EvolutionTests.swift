import XCTest
import LyraBase
import LyraSpace
@testable import LyraSearch

final class EvolutionTests: XCTestCase {
  /// Counting ones over n binary categoricals: loss = −(number of ones), optimum −n.
  func onesSpace(_ n: Int) -> SearchSpace {
    try! SearchSpace(parameters: (0..<n).map { try! Hyperparameter(key: "c\($0)", type: .category, range: [0, 1]) })
  }
  func ones(_ c: Config) -> Double { -c.values.reduce(0) { $0 + $1.number! } }

  func testChildDiffersFromParentInExactlyOneValue() {
    let evo = RegularizedEvolution(space: onesSpace(12), seed: 1, population: 5, sampleSize: 2, maxTrials: 40)
    SearchToys.run(evo, 5, ones)
    for _ in 0..<30 {
      let members = evo.members.map { evo.history.trial($0)!.config }
      let child = evo.ask()!
      // The parent is a current member, and the child differs from it in one value.
      let parent = evo.history.trial(evo.parents[child.id]!)!.config
      XCTAssertTrue(members.contains(parent))
      XCTAssertEqual(parent.keys.filter { parent[$0] != child.config[$0] }.count, 1, "child \(child.config) vs parent \(parent)")
      evo.tell(child.id, TrialResult(["loss": ones(child.config)]))
    }
  }

  func testOldestIsRemovedNotTheWorst() {
    let evo = RegularizedEvolution(space: onesSpace(6), seed: 2, population: 4, sampleSize: 2, maxTrials: 20)
    let first = (0..<4).map { _ in evo.ask()! }
    // Waits for the whole initial population before breeding.
    XCTAssertNil(evo.ask())
    // The first member is the best by far; it still leaves first.
    for (i, t) in first.enumerated() { evo.tell(t.id, TrialResult(["loss": i == 0 ? -100 : Double(i)])) }
    XCTAssertEqual(evo.members, first.map(\.id))
    let child = evo.ask()!
    evo.tell(child.id, TrialResult(["loss": 50]))
    XCTAssertEqual(evo.members, Array(first.map(\.id).dropFirst()) + [child.id])
    XCTAssertEqual(evo.best()!.trial.id, first[0].id, "the best is over the whole history")
  }

  func testFindsAllOnes() {
    let space = onesSpace(10)
    var hits = 0
    for seed in UInt64(0)..<3 {
      let evo = RegularizedEvolution(space: space, seed: seed, population: 10, sampleSize: 3, maxTrials: 200)
      SearchToys.run(evo, 1000, ones)
      XCTAssertTrue(evo.isDone)
      if evo.best()!.result.metrics["loss"] == -10 { hits += 1 }
    }
    // Random search finds all ten ones in 200 draws with probability 1 − (1 − 2⁻¹⁰)²⁰⁰ ≈ 18%.
    XCTAssertEqual(hits, 3)
  }

  func testSmallCategoricalProblem() {
    let space = try! SearchSpace(parameters: (0..<4).map {
      try! Hyperparameter(key: "op\($0)", type: .category, range: ["none", "skip", "conv1", "conv3", "pool"])
    })
    let score: [String: Double] = ["none": 0, "skip": 1, "conv1": 2, "conv3": 4, "pool": 1.5]
    let f: (Config) -> Double = { c in -c.values.reduce(0) { $0 + score[$1.description]! } }
    let evo = RegularizedEvolution(space: space, seed: 4, population: 10, sampleSize: 3, maxTrials: 150)
    SearchToys.run(evo, 1000, f)
    XCTAssertEqual(evo.best()!.result.metrics["loss"], -16)
  }

  func testDeterministicResumeAndFailures() throws {
    let space = onesSpace(8)
    var calls = 0
    let flaky: (Config) -> Double = { c in calls += 1; return calls % 4 == 0 ? .nan : -c.values.reduce(0) { $0 + $1.number! } }
    let a = RegularizedEvolution(space: space, seed: 9, maxTrials: 60), b = RegularizedEvolution(space: space, seed: 9, maxTrials: 60)
    calls = 0
    let ta = SearchToys.run(a, 25, flaky)
    calls = 0
    let tb = SearchToys.run(b, 25, flaky)
    XCTAssertEqual(ta, tb)
    let saved = try JSON.parse(JSON.encode(a.state(), pretty: false))
    let c = RegularizedEvolution(space: space, seed: 9, maxTrials: 60)
    try c.restore(saved)
    XCTAssertEqual(c.members, a.members)
    calls = 25
    let ca = SearchToys.run(a, 100, flaky)
    calls = 25
    let cc = SearchToys.run(c, 100, flaky)
    XCTAssertEqual(ca, cc)
    XCTAssertEqual(ca.count, 35)
    XCTAssertTrue(a.best()!.result.metrics["loss"]!.isFinite)
    // Failed trials join the population as the worst.
    let d = RegularizedEvolution(space: space, seed: 1, population: 3, maxTrials: 10)
    for _ in 0..<3 { let t = d.ask()!; d.tell(t.id, .failed()) }
    XCTAssertNil(d.best())
    XCTAssertNotNil(d.ask())
  }
}
