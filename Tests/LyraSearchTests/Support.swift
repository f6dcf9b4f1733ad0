import LyraBase
import LyraSpace
import XCTest

@testable import LyraSearch

/// Runs an algorithm one trial at a time on a benchmark problem (the anchors'
/// sequential protocol); returns the told trials in order with their observed losses.
@discardableResult
func drive(_ alg: SearchAlgorithm, _ p: BenchmarkProblem, noiseSeed: UInt64 = 99, maxTrials: Int = .max,
           metric: String = "loss") -> [(trial: Trial, loss: Double)] {
  let noise = Generator(seed: noiseSeed)
  var out: [(Trial, Double)] = []
  while out.count < maxTrials, let t = alg.ask() {
    let y = p.observe(t.config, t.budget, noise)
    alg.tell(t.id, TrialResult([metric: y]))
    out.append((t, y))
  }
  return out
}

func regret(_ alg: SearchAlgorithm, _ p: BenchmarkProblem) -> Double {
  guard let b = alg.best() else { return .infinity }
  return p.trueLoss(b.trial.config) - p.optimum
}

/// A space with one float in [0, 1] ("x"), for scripted sequences.
let unitSpace = try! SearchSpace(parameters: [try! Hyperparameter(key: "x", type: .float, range: [.double(0), .double(1)])])

func ok(_ v: Double) -> TrialResult { TrialResult(["loss": v]) }

/// A config as text with sorted keys (a dictionary's own order varies between equal values).
func describe(_ c: Config) -> String { c.keys.sorted().map { "\($0)=\(c[$0]!)" }.joined(separator: ",") }
