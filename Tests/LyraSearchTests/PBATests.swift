import Foundation
import XCTest
import LyraBase
import LyraSpace
@testable import LyraSearch

/// PBA (Ho et al. 2019) on a toy "training" whose per-epoch gain depends on the policy:
/// each op's strength s = Σ prob·magnitude/9 over its pairs, and the gain is
/// 1 − Σ_op (s − s*)² with s* = 0.4 for Rotate, 0.3 for Cutout and 0 for Invert. The
/// all-zero start is 0.25 away from the best policy; a population that follows the gain
/// has to switch Rotate and Cutout on and keep Invert off.
final class PBATests: XCTestCase {
  static let ops = ["Rotate", "Cutout", "Invert"]
  static let target = ["Rotate": 0.4, "Cutout": 0.3, "Invert": 0.0]

  static func strength(_ c: Config, _ op: String, prefix: String = "dataset.transforms.pba") -> Double {
    (1...2).reduce(0.0) { s, i in
      s + (c["\(prefix).\(op).prob\(i)"]?.number ?? 0) * (c["\(prefix).\(op).magnitude\(i)"]?.number ?? 0) / 9
    }
  }

  static func gain(_ c: Config) -> Double {
    1 - ops.reduce(0.0) { d, op in let e = strength(c, op) - target[op]!; return d + e * e }
  }

  static func distance(_ c: Config) -> Double {
    sqrt(ops.reduce(0.0) { d, op in let e = strength(c, op) - target[op]!; return d + e * e })
  }

  final class ToyTrainer {
    var checkpoints: [Int: (epoch: Int, quality: Double)] = [:]
    func train(_ t: Trial) -> TrialResult {
      let start = t.resumeFrom.flatMap { checkpoints[$0] } ?? (0, 0)
      var q = start.quality
      for _ in start.epoch..<Int(t.budget!) { q += PBATests.gain(t.config) }
      checkpoints[t.id] = (Int(t.budget!), q)
      return TrialResult(["accuracy": q])
    }
    func replay(_ schedule: [(fromBudget: Double, policy: Config)], to end: Int) -> Double {
      var q = 0.0
      for (i, s) in schedule.enumerated() {
        let stop = i + 1 < schedule.count ? Int(schedule[i + 1].fromBudget) : end
        for _ in Int(s.fromBudget)..<stop { q += PBATests.gain(s.policy) }
      }
      return q
    }
  }

  func make(seed: UInt64, population: Int = 8, rounds: Int = 10, start: PBAExplore.Start = .zero) throws -> PBA {
    try PBA(ops: PBATests.ops, seed: seed, population: population, perturbationInterval: 2, maxBudget: Double(2 * rounds), start: start)
  }

  @discardableResult
  func run(_ pba: PBA, _ trainer: ToyTrainer, maxAsks: Int = 100_000) -> [Trial] {
    var out: [Trial] = []
    while out.count < maxAsks, let t = pba.ask() {
      pba.tell(t.id, trainer.train(t))
      out.append(t)
    }
    return out
  }

  func testKeysStartAndSpace() throws {
    let pba = try make(seed: 1)
    XCTAssertEqual(pba.space.keys.count, 3 * 2 * 2)
    XCTAssertTrue(pba.space.keys.contains("dataset.transforms.pba.Rotate.prob1"))
    XCTAssertTrue(pba.space.keys.contains("dataset.transforms.pba.Cutout.magnitude2"))
    let first = try XCTUnwrap(pba.ask())
    XCTAssertEqual(first.config.count, 12)
    XCTAssertTrue(first.config.values.allSatisfy { $0.number == 0 }, "PBA starts every member at the zero policy")
    XCTAssertEqual(first.config["dataset.transforms.pba.Rotate.prob1"], .double(0))
    XCTAssertEqual(first.config["dataset.transforms.pba.Rotate.magnitude1"], .int(0))
    XCTAssertNoThrow(try pba.space.validate(first.config))
    XCTAssertEqual(pba.settings["algorithm"]?.string, "pba")
    XCTAssertEqual(PBA.defaultOps.count, 15)
    // Random start: levels inside the ranges, not all zero.
    let r = try make(seed: 1, start: .random)
    let c = try XCTUnwrap(r.ask()).config
    XCTAssertNoThrow(try r.space.validate(c))
    XCTAssertTrue(c.values.contains { $0.number != 0 })
    // Joint hyperparameters travel with the policy; a clash with a policy key is an error.
    let lr = try Hyperparameter(key: "trainer.optimizer.params.lr", type: .floatExp, range: [1e-3, 1e-1])
    let joint = try PBA(ops: ["Rotate"], space: try SearchSpace(parameters: [lr]), maxBudget: 6)
    let jc = try XCTUnwrap(joint.ask()).config
    XCTAssertEqual(jc.count, 5)
    XCTAssertNotNil(jc["trainer.optimizer.params.lr"])
    let clash = try Hyperparameter(key: "dataset.transforms.pba.Rotate.prob1", type: .float, range: [0.0, 1.0])
    XCTAssertThrowsError(try PBA(ops: ["Rotate"], space: try SearchSpace(parameters: [clash]), maxBudget: 6))
    XCTAssertThrowsError(try PBA(ops: ["Rotate", "Rotate"], maxBudget: 6))
    // The default start: member 0 without augmentation, the others one explore step from
    // it, all different (deterministic training would make equal starts equal runs).
    let e = try PBA(ops: PBATests.ops, seed: 4, population: 6, perturbationInterval: 2, maxBudget: 4)
    let firsts = (0..<6).map { _ in e.ask()!.config }
    XCTAssertTrue(firsts[0].values.allSatisfy { $0.number == 0 })
    XCTAssertTrue(firsts.dropFirst().allSatisfy { $0.values.contains { $0.number != 0 } })
    XCTAssertEqual(Set(firsts.map(describe)).count, 6)
    for c in firsts { XCTAssertNoThrow(try e.space.validate(c)) }
  }

  /// Every number stays on its levels inside its range; without resampling a step moves
  /// at most 3 levels and is 0 with probability 1/4; resampling hits every level.
  func testExploreBounds() {
    let others = PBTExplore(space: try! SearchSpace(parameters: []))
    let shiftOnly = PBAExplore(ops: ["Rotate", "Cutout"], resampleProbability: 0, others: others)
    let g = Generator(seed: 7)
    var c = shiftOnly.initial(member: 0, g)
    var unchanged = 0, steps = 0
    for _ in 0..<400 {
      let next = shiftOnly.perturb(c, g)
      for (key, levels, isProb) in shiftOnly.policyKeys {
        let a = PBAExplore.level(c[key], isProbability: isProb), b = PBAExplore.level(next[key], isProbability: isProb)
        XCTAssertTrue((0...levels).contains(b), "\(key) = \(next[key]!)")
        XCTAssertLessThanOrEqual(abs(b - a), 3)
        if isProb {
          let v = next[key]!.number!
          XCTAssertEqual(v, Double(b) / 10, "probabilities are tenths")
          XCTAssertEqual(v, (v * 10).rounded() / 10)
        } else {
          XCTAssertEqual(next[key], .int(b))
        }
        // Away from the edges, "unchanged" means a shift of 0 levels: probability 1/4.
        if a >= 3 && a <= levels - 3 {
          steps += 1
          if a == b { unchanged += 1 }
        }
      }
      c = next
    }
    XCTAssertGreaterThan(steps, 500)
    XCTAssertEqual(Double(unchanged) / Double(steps), 0.25, accuracy: 0.06)
    // Clipping at both ends.
    var top = Config()
    for (key, levels, isProb) in shiftOnly.policyKeys { top[key] = PBAExplore.value(level: levels, isProbability: isProb) }
    for _ in 0..<50 {
      let p = shiftOnly.perturb(top, g)
      XCTAssertLessThanOrEqual(p["dataset.transforms.pba.Rotate.prob1"]!.number!, 1)
      XCTAssertLessThanOrEqual(p["dataset.transforms.pba.Rotate.magnitude2"]!.number!, 9)
    }
    // Always resample: every level shows up, roughly uniformly.
    let fresh = PBAExplore(ops: ["Rotate"], resampleProbability: 1, others: others)
    var counts = [Int](repeating: 0, count: 10)
    for _ in 0..<2000 { counts[PBAExplore.level(fresh.perturb(top, g)["dataset.transforms.pba.Rotate.magnitude1"], isProbability: false)] += 1 }
    XCTAssertTrue(counts.allSatisfy { $0 > 140 && $0 < 260 }, "\(counts)")
    // The default rule resamples a fifth of the time: from level 5 a magnitude lands on
    // 0, 1 or 9 (unreachable by a shift) with probability 0.2·3/10 = 0.06.
    let pba = PBAExplore(ops: ["Rotate"], others: others)
    var mid = Config()
    for (key, _, isProb) in pba.policyKeys { mid[key] = PBAExplore.value(level: 5, isProbability: isProb) }
    var far = 0
    for _ in 0..<5000 where [0, 1, 9].contains(pba.perturb(mid, g)["dataset.transforms.pba.Rotate.magnitude1"]!.number!) { far += 1 }
    XCTAssertEqual(Double(far) / 5000, 0.06, accuracy: 0.015)
  }

  func testExploitCopiesCheckpointAndPolicyFromTheTopQuartile() throws {
    let pba = try make(seed: 3)
    let trials = run(pba, ToyTrainer())
    XCTAssertTrue(pba.isDone)
    XCTAssertEqual(trials.count, 8 * 10)
    var exploits = 0
    for t in trials where t.rung! > 0 {
      let from = try XCTUnwrap(pba.history.trial(t.resumeFrom!))
      XCTAssertEqual(from.rung, t.rung! - 1)
      let round = trials.filter { $0.rung == from.rung }
      let ranked = round.sorted { pba.history.results[$0.id]!.metrics["accuracy"]! > pba.history.results[$1.id]!.metrics["accuracy"]! }.map(\.id)
      let own = round.first { $0.bracket == t.bracket }!
      if from.bracket != t.bracket {
        exploits += 1
        XCTAssertTrue(ranked.suffix(2).contains(own.id), "only the bottom quartile exploits")
        XCTAssertTrue(ranked.prefix(2).contains(from.id), "the donor is in the top quartile")
        XCTAssertNotEqual(t.config, from.config, "the copied policy is explored")
      } else {
        XCTAssertEqual(from.id, own.id)
        XCTAssertEqual(t.config, from.config, "survivors keep their policy")
      }
    }
    XCTAssertEqual(exploits, 2 * 9)
  }

  /// The population moves from the zero policy toward the known best one, and the
  /// best member's schedule replays to its score.
  func testMovesTowardTheKnownBestPolicyAndScheduleReplays() throws {
    var finalDistances: [Double] = []
    for seed in UInt64(0)..<6 {
      let trainer = ToyTrainer()
      let start: PBAExplore.Start = seed % 2 == 0 ? .zero : .explored
      let pba = try make(seed: seed, population: 16, rounds: 15, start: start)
      run(pba, trainer)
      let best = try XCTUnwrap(pba.best())
      XCTAssertEqual(best.trial.budget, 30)
      let schedule = pba.policySchedule(of: best.trial.id)
      XCTAssertEqual(schedule.first?.fromBudget, 0)
      if start == .zero { XCTAssertTrue(schedule[0].policy.values.allSatisfy { $0.number == 0 }) }
      XCTAssertGreaterThan(schedule.count, 1, "the best lineage changed its policy")
      for (a, b) in zip(schedule, schedule.dropFirst()) {
        XCTAssertLessThan(a.fromBudget, b.fromBudget)
        XCTAssertEqual(b.fromBudget.truncatingRemainder(dividingBy: 2), 0, "changes happen at segment boundaries")
        XCTAssertNotEqual(a.policy, b.policy, "equal neighbours merge")
      }
      XCTAssertEqual(trainer.replay(schedule, to: 30), best.result.metrics["accuracy"]!, accuracy: 1e-9)
      XCTAssertEqual(pba.bestSchedule()?.map(\.fromBudget), schedule.map(\.fromBudget))
      // Better than never augmenting, and closer to the best policy than the start.
      XCTAssertGreaterThan(best.result.metrics["accuracy"]!, 30 * PBATests.gain([:]))
      finalDistances.append(PBATests.distance(schedule.last!.policy))
    }
    let start = PBATests.distance([:])
    XCTAssertEqual(start, 0.5, accuracy: 1e-12)
    let mean = finalDistances.reduce(0, +) / Double(finalDistances.count)
    XCTAssertLessThan(mean, 0.35 * start, "final distances \(finalDistances)")
  }

  func testSameSeedSameRunAndExactRestore() throws {
    let a = try make(seed: 5, population: 6, rounds: 4), b = try make(seed: 5, population: 6, rounds: 4)
    let ta = ToyTrainer(), tb = ToyTrainer()
    XCTAssertEqual(run(a, ta, maxAsks: 9), run(b, tb, maxAsks: 9))
    let c = try make(seed: 5, population: 6, rounds: 4)
    try c.restore(try JSON.parse(JSON.encode(a.state(), pretty: false)))
    let tc = ToyTrainer()
    tc.checkpoints = ta.checkpoints
    let restA = run(a, ta), restC = run(c, tc)
    XCTAssertEqual(restA, restC)
    XCTAssertTrue(a.isDone && c.isDone)
    XCTAssertEqual(describe(a.best()!.trial.config), describe(c.best()!.trial.config))
    // Another op set, start or seed is another search: restore refuses it.
    let other = try PBA(ops: ["Rotate", "Cutout"], seed: 5, population: 6, perturbationInterval: 2, maxBudget: 8)
    XCTAssertThrowsError(try other.restore(a.state()))
    let plain = PBT(space: a.space, objectives: [Objective("accuracy", .maximize)], seed: 5, population: 6, perturbationInterval: 2, maxBudget: 8)
    XCTAssertThrowsError(try plain.restore(a.state()))
  }
}
