import Foundation
import LyraBase
import LyraSpace
import XCTest

@testable import LyraSearch

final class SimulatorTests: XCTestCase {
  /// Uneven costs: a config's cost per unit budget is 0.2–5 s, fixed by its x.
  static func unevenProblem(_ c: Config, _ b: Double?) -> (metrics: [String: Double], cost: Double) {
    let x = c["x"]!.number!
    let speed = 0.2 + 4.8 * (x * 7919).truncatingRemainder(dividingBy: 1)
    let budget = b ?? 1
    return (["loss": (x - 0.3) * (x - 0.3) + 1 / budget], speed * budget)
  }

  func testASHAFinishesMoreThanSynchronousHyperband() {
    let horizon = 2000.0
    let asha = ASHA(space: unitSpace, seed: 1, minBudget: 1, maxBudget: 27, eta: 3, maxTrials: 10_000)
    let ra = Simulator(algorithm: asha, workers: 4, problem: Self.unevenProblem).run(maxTime: horizon)
    let hb = Hyperband(space: unitSpace, seed: 1, minBudget: 1, maxBudget: 27, eta: 3, iterations: 1000)
    let rh = Simulator(algorithm: hb, workers: 4, problem: Self.unevenProblem).run(maxTime: horizon)
    print("simulator, 4 workers, \(horizon) s: ASHA finished \(ra.finished) (idle \(ra.idleTime) s), Hyperband finished \(rh.finished) (idle \(rh.idleTime) s)")
    XCTAssertGreaterThan(ra.finished, rh.finished)
    XCTAssertLessThan(ra.idleTime, 1e-9, "ASHA never waits")
    XCTAssertGreaterThan(rh.idleTime, 0.1 * 4 * horizon, "synchronous rungs leave workers idle")
    XCTAssertEqual(ra.events.map(\.time), ra.events.map(\.time).sorted())
  }

  func testOneWorkerIsSequential() {
    let hb = Hyperband(space: unitSpace, seed: 1, minBudget: 1, maxBudget: 9, eta: 3)
    let r = Simulator(algorithm: hb, workers: 1) { c, b in (["loss": c["x"]!.number!], b!) }.run()
    XCTAssertTrue(hb.isDone)
    XCTAssertEqual(r.idleTime, 0)
    // Total time is the sum of resumed (incremental) costs.
    let expected = r.events.reduce(0.0) { acc, e in acc + e.trial.budget! - (e.trial.resumeFrom.map { hb.history.trial($0)!.budget! } ?? 0) }
    XCTAssertEqual(r.endTime, expected, accuracy: 1e-9)
    XCTAssertEqual(r.incumbents.last?.trialID, hb.best()?.trial.id)
  }

  func testStoppingASHAPrunesInSimulation() {
    let asha = ASHA(space: unitSpace, seed: 3, minBudget: 1, maxBudget: 27, eta: 3, type: .stopping, maxTrials: 60)
    let r = Simulator(algorithm: asha, workers: 4, problem: Self.unevenProblem).run()
    XCTAssertTrue(asha.isDone)
    XCTAssertEqual(r.finished, 60)
    let pruned = r.events.filter { $0.result.status == .pruned }.count
    XCTAssertGreaterThan(pruned, 20)
    XCTAssertLessThan(pruned, 60)
    XCTAssertNotNil(asha.best())
  }
}

final class DeterminismTests: XCTestCase {
  typealias Make = () -> SearchAlgorithm

  static let p = BenchmarkProblem.mfHartmann6
  static let makers: [(String, Make)] = [
    ("random", { RandomSearch(space: p.space, seed: 7, maxTrials: 40) }),
    ("hyperband", { Hyperband(space: p.space, seed: 7, minBudget: 1, maxBudget: 27, eta: 3) }),
    ("asha", { ASHA(space: p.space, seed: 7, minBudget: 1, maxBudget: 27, eta: 3, maxTrials: 60) }),
    ("asha-stop", { ASHA(space: p.space, seed: 7, minBudget: 1, maxBudget: 27, eta: 3, type: .stopping, maxTrials: 40, rule: .ray) }),
    ("bohb", { BOHB(space: p.space, seed: 7, minBudget: 1, maxBudget: 27, eta: 3, overlapBrackets: true) }),
  ]

  /// A problem whose noise is a pure function of (trial id, budget), so interrupted and
  /// uninterrupted runs see the same values.
  static func problem(_ t: Trial) -> (metrics: [String: Double], cost: Double) {
    let g = Generator(seed: UInt64(t.id) &* 1000 &+ UInt64(t.budget ?? 0))
    let x = (0..<6).map { t.config["x\($0)"]!.number! }
    return (["loss": BenchmarkProblem.hartmannValue(x, z: (t.budget ?? 27) / 27) + 0.2 * g.normal()], (t.budget ?? 1) * (1 + g.nextDouble()))
  }

  static func trace(_ r: Simulator.Run) -> [String] {
    r.events.map { e in "\(e.time.bitPattern) \(e.trial.id) \(describe(e.trial.config)) \(String(describing: e.trial.budget)) \(e.result.metrics["loss"]!.bitPattern) \(e.result.status)" }
  }

  func testSameSeedSameTrajectory() {
    for (name, make) in Self.makers {
      let a = Simulator(algorithm: make(), workers: 3, problem: Self.problem).run()
      let b = Simulator(algorithm: make(), workers: 3, problem: Self.problem).run()
      XCTAssertGreaterThan(a.events.count, 20, name)
      XCTAssertEqual(Self.trace(a), Self.trace(b), name)
    }
    let other = Simulator(algorithm: RandomSearch(space: Self.p.space, seed: 8, maxTrials: 40), workers: 3, problem: Self.problem).run()
    XCTAssertNotEqual(Self.trace(other), Self.trace(Simulator(algorithm: Self.makers[0].1(), workers: 3, problem: Self.problem).run()))
  }

  /// Save after k tells (with trials still running), restore on a fresh instance from the
  /// JSON text, then finish: the continued sequence equals the uninterrupted one.
  func testSaveRestoreContinuesExactly() throws {
    for (name, make) in Self.makers {
      func runLoop(_ alg: SearchAlgorithm, from pending: [Trial], stopAfter: Int?) -> (log: [String], pending: [Trial]) {
        var queue = pending
        var log: [String] = []
        var tells = 0
        while true {
          while queue.count < 3, let t = alg.ask() { queue.append(t); log.append("ask \(t.id) \(describe(t.config)) \(String(describing: t.budget)) \(String(describing: t.resumeFrom))") }
          guard !queue.isEmpty else { break }
          if let s = stopAfter, tells == s { return (log, queue) }
          let t = queue.removeFirst()
          let (m, _) = Self.problem(t)
          if let rep = alg as? IntermediateReporting {
            var stopped = false
            for b in rep.reportBudgets(for: t) where rep.report(t.id, budget: b, Self.problem(Trial(id: t.id, config: t.config, budget: b)).metrics) == .stop {
              stopped = true
              break
            }
            if stopped { alg.tell(t.id, TrialResult(m, status: .pruned)); tells += 1; log.append("pruned \(t.id)"); continue }
          }
          alg.tell(t.id, TrialResult(m))
          tells += 1
          log.append("tell \(t.id)")
        }
        return (log, queue)
      }
      let whole = runLoop(make(), from: [], stopAfter: nil).log
      let first = make()
      let (head, pending) = runLoop(first, from: [], stopAfter: 25)
      let text = first.state().text
      let second = make()
      try second.restore(try JSON.parse(Data(text.utf8)))
      XCTAssertEqual(second.state(), try JSON.parse(Data(text.utf8)), "\(name): restored state equals the saved one")
      let tail = runLoop(second, from: pending, stopAfter: nil).log
      XCTAssertEqual(head + tail, whole, name)
      XCTAssertEqual(second.best()?.trial.id, {
        let again = make(); _ = runLoop(again, from: [], stopAfter: nil); return again.best()?.trial.id
      }(), name)
    }
  }

  func testRestoreRefusesOtherSettings() throws {
    let a = RandomSearch(space: Self.p.space, seed: 1, maxTrials: 5)
    _ = a.ask()
    XCTAssertThrowsError(try RandomSearch(space: Self.p.space, seed: 2, maxTrials: 5).restore(a.state()))
    let b = RandomSearch(space: Self.p.space, seed: 1, maxTrials: 5)
    _ = b.ask()
    XCTAssertThrowsError(try b.restore(a.state()), "not a fresh instance")
  }
}

final class RandomGridTests: XCTestCase {
  func testRandomBranin() {
    let p = BenchmarkProblem.branin
    let rs = RandomSearch(space: p.space, seed: 11, maxTrials: 200)
    XCTAssertEqual(drive(rs, p).count, 200)
    XCTAssertTrue(rs.isDone)
    XCTAssertLessThan(regret(rs, p), 0.5)
  }

  func testGridBranin() {
    let p = BenchmarkProblem.branin
    let gs = GridSearch(space: p.space, slices: 16)
    XCTAssertEqual(drive(gs, p).count, 256)
    XCTAssertNil(gs.ask())
    XCTAssertTrue(gs.isDone)
    XCTAssertLessThan(regret(gs, p), 0.5)
  }

  func testProblemsKnownOptima() {
    XCTAssertEqual(BenchmarkProblem.braninValue(-Double.pi, 12.275), 5 / (4 * Double.pi), accuracy: 1e-6)
    XCTAssertEqual(BenchmarkProblem.braninValue(Double.pi, 2.275), 5 / (4 * Double.pi), accuracy: 1e-6)
    XCTAssertEqual(BenchmarkProblem.hartmannValue([0.201690, 0.150011, 0.476874, 0.275332, 0.311652, 0.657301]), BenchmarkProblem.hartmannOptimum, accuracy: 1e-5)
    let ones: Config = Dictionary(uniqueKeysWithValues: (0..<8).map { ("c\($0)", ParamValue.int(1)) } + (0..<8).map { ("x\($0)", ParamValue.double(1)) })
    XCTAssertEqual(BenchmarkProblem.countingOnes.trueLoss(ones), -16)
    XCTAssertEqual(BenchmarkProblem.mfCountingOnes.observe(ones, 9, Generator(seed: 1)), -16)
    XCTAssertEqual(BenchmarkProblem.mfHartmann6.budgets, [1, 3, 9, 27, 81])
  }
}
