import Foundation
import XCTest
import LyraBase
import LyraSpace
@testable import LyraSearch

final class PBTTests: XCTestCase {
  /// A toy "training": quality grows each epoch by exp(−(log10 lr − target)²), where the
  /// best log-learning-rate is −1 for the first 10 epochs and −2.5 after (a decay), so no
  /// fixed learning rate is good throughout and a schedule beats every constant.
  final class ToyTrainer {
    var checkpoints: [Int: (epoch: Double, quality: Double)] = [:]
    var failEvery = 0
    var calls = 0
    static func gain(_ lr: Double, epoch: Int) -> Double {
      let target = epoch < 10 ? -1.0 : -2.5
      let d = log10(lr) - target
      return exp(-d * d)
    }
    func train(_ t: Trial) -> TrialResult {
      calls += 1
      if failEvery > 0 && calls % failEvery == 0 { return .failed() }
      let start = t.resumeFrom.flatMap { checkpoints[$0] } ?? (0, 0)
      var q = start.quality
      for e in Int(start.epoch)..<Int(t.budget!) { q += ToyTrainer.gain(t.config["lr"]!.number!, epoch: e) }
      checkpoints[t.id] = (t.budget!, q)
      return TrialResult(["acc": q])
    }
    /// Trains from scratch following a schedule of (from budget, config).
    func replay(_ schedule: [(budget: Double, config: Config)], to end: Double) -> Double {
      var q = 0.0
      for (i, s) in schedule.enumerated() {
        let stop = i + 1 < schedule.count ? schedule[i + 1].budget : end
        for e in Int(s.budget)..<Int(stop) { q += ToyTrainer.gain(s.config["lr"]!.number!, epoch: e) }
      }
      return q
    }
  }

  let space = try! SearchSpace(parameters: [try! Hyperparameter(key: "lr", type: .floatExp, range: [1e-4, 1.0])])
  let acc = [Objective("acc", .maximize)]

  func runPBT(_ pbt: PBT, _ trainer: ToyTrainer, maxAsks: Int = 10_000) -> [Trial] {
    var out: [Trial] = []
    while out.count < maxAsks, let t = pbt.ask() {
      pbt.tell(t.id, trainer.train(t))
      out.append(t)
    }
    return out
  }

  func testExploitCopiesTopDonorsAndExploresTheirHyperparameters() {
    let pbt = PBT(space: space, objectives: acc, seed: 3, population: 8, perturbationInterval: 2, maxBudget: 20)
    let trials = runPBT(pbt, ToyTrainer())
    XCTAssertTrue(pbt.isDone)
    XCTAssertEqual(trials.count, 8 * 10)
    var exploits = 0
    for t in trials where t.rung! > 0 {
      let from = pbt.history.trial(t.resumeFrom!)!
      XCTAssertEqual(from.rung, t.rung! - 1, "resumes from the previous round's checkpoint")
      XCTAssertEqual(from.budget, t.budget! - 2)
      // Where the slot's own previous segment stood in its round.
      let round = trials.filter { $0.rung == from.rung }
      let ranked = round.sorted { pbt.history.results[$0.id]!.metrics["acc"]! > pbt.history.results[$1.id]!.metrics["acc"]! }.map(\.id)
      let own = round.first { $0.bracket == t.bracket }!
      if from.bracket != t.bracket {
        exploits += 1
        // 8 members, quantile 0.25: the bottom 2 copy one of the top 2.
        XCTAssertTrue(ranked.suffix(2).contains(own.id), "only the bottom quartile exploits")
        XCTAssertTrue(ranked.prefix(2).contains(from.id), "donors come from the top quartile")
        XCTAssertNotEqual(t.config, from.config, "explore perturbs the donor's hyperparameters")
      } else {
        XCTAssertEqual(from.id, own.id)
        XCTAssertFalse(ranked.suffix(2).contains(own.id))
        XCTAssertEqual(t.config, from.config, "survivors keep their hyperparameters")
      }
    }
    XCTAssertEqual(exploits, 2 * 9, "two exploits in each of the nine rounds after the first")
  }

  func testPopulationBeatsRandomFixedConfigsAndScheduleReplays() {
    var pbtWins = 0
    for seed in UInt64(0)..<4 {
      let trainer = ToyTrainer()
      let pbt = PBT(space: space, objectives: acc, seed: seed, population: 16, perturbationInterval: 2, maxBudget: 20)
      runPBT(pbt, trainer)
      let best = pbt.best()!
      XCTAssertEqual(best.trial.budget, 20)
      // The same 16 first configs trained for 20 epochs without exploit/explore.
      let firsts = pbt.history.trials.prefix(16).map(\.config)
      let fixed = firsts.map { trainer.replay([(0, $0)], to: 20) }.max()!
      if best.result.metrics["acc"]! > fixed { pbtWins += 1 }
      // The schedule starts at 0, has one entry per segment, and replays to the same score.
      let schedule = pbt.schedule(of: best.trial.id)
      XCTAssertEqual(schedule.map(\.budget), stride(from: 0.0, to: 20, by: 2).map { $0 })
      XCTAssertEqual(trainer.replay(schedule, to: 20), best.result.metrics["acc"]!, accuracy: 1e-9)
      XCTAssertGreaterThan(Set(schedule.map(\.config)).count, 1, "the best lineage changed its learning rate")
    }
    XCTAssertEqual(pbtWins, 4)
  }

  func testExploreRules() {
    let space = try! SearchSpace(parameters: [
      try! Hyperparameter(key: "lr", type: .float, range: [0.0, 1.0]),
      try! Hyperparameter(key: "depth", type: .int, range: [1, 100]),
      try! Hyperparameter(key: "opt", type: .category, range: ["sgd", "adam", "rmsprop"]),
    ])
    let c: Config = ["lr": .double(0.5), "depth": .int(50), "opt": "adam"]
    let keep = PBTExplore(space: space, resampleProbability: 0)
    let g = Generator(seed: 1)
    var seen = Set<String>()
    for _ in 0..<50 {
      let p = keep.perturb(c, g)
      XCTAssertTrue([0.6, 0.4].contains { abs($0 - p["lr"]!.number!) < 1e-12 })
      XCTAssertTrue([60, 40].contains(p["depth"]!.number!))
      XCTAssertTrue(["sgd", "rmsprop"].contains(p["opt"]!.description))
      seen.insert(p["opt"]!.description)
    }
    XCTAssertEqual(seen.count, 2)
    // Clipped at the bounds; at the end of a list a move stays inside it.
    let edge: Config = ["lr": .double(0.95), "depth": .int(100), "opt": "rmsprop"]
    for _ in 0..<20 {
      let p = keep.perturb(edge, g)
      XCTAssertLessThanOrEqual(p["lr"]!.number!, 1)
      XCTAssertLessThanOrEqual(p["depth"]!.number!, 100)
      XCTAssertTrue(["adam", "rmsprop"].contains(p["opt"]!.description))
    }
    // Always resample: values come from the prior and are valid.
    let fresh = PBTExplore(space: space, resampleProbability: 1)
    for _ in 0..<20 { XCTAssertNoThrow(try space.validate(fresh.perturb(c, g))) }
  }

  func testSameSeedResumeFailuresAndAsyncMode() throws {
    func make(_ sync: Bool = true) -> PBT { PBT(space: space, objectives: acc, seed: 5, population: 6, perturbationInterval: 3, maxBudget: 12, synchronous: sync) }
    let ta = ToyTrainer(), tb = ToyTrainer()
    ta.failEvery = 7
    tb.failEvery = 7
    let a = make(), b = make()
    let ra = runPBT(a, ta, maxAsks: 10), rb = runPBT(b, tb, maxAsks: 10)
    XCTAssertEqual(ra, rb)
    let c = make()
    try c.restore(try JSON.parse(JSON.encode(a.state(), pretty: false)))
    let tc = ToyTrainer()
    tc.failEvery = 7
    tc.calls = ta.calls
    tc.checkpoints = ta.checkpoints
    let restA = runPBT(a, ta), restC = runPBT(c, tc)
    XCTAssertEqual(restA, restC)
    XCTAssertEqual(ra.count + restA.count, 6 * 4)
    XCTAssertTrue(a.isDone)
    let best = a.best()!
    XCTAssertEqual(best.result.status, .completed)
    // A failed segment ranks worst, so its lineage exploits a donor next round.
    for t in restA where a.history.results[t.id]!.status == .failed && t.budget! < 12 {
      let next = restA.first { $0.bracket == t.bracket && $0.rung == t.rung! + 1 }!
      XCTAssertNotEqual(next.resumeFrom, t.id)
    }
    // Asynchronous mode: each member decides on report; everyone still reaches the end.
    let asyncPBT = make(false)
    let trials = runPBT(asyncPBT, ToyTrainer())
    XCTAssertEqual(trials.count, 24)
    XCTAssertTrue(asyncPBT.isDone)
    XCTAssertTrue(trials.contains { $0.resumeFrom != nil && asyncPBT.history.trial($0.resumeFrom!)!.bracket != $0.bracket })
  }
}
