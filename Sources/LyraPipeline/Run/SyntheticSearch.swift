import Foundation
import LyraBase
import LyraSearch

/// A seeded search over Branin with the `test.branin` executor, stored in a trial
/// store: what `lyra _test-search` runs so tests can SIGKILL a real runner process
/// and resume it. Rerunning with the same store resumes.
public enum SyntheticSearch {
  public static let step = "search"

  public static func algorithm(_ name: String, seed: UInt64, trials: Int) throws -> SearchAlgorithm {
    let space = BenchmarkProblem.branin.space
    switch name {
    case "tpe": return TPE(space: space, seed: seed, nStartupTrials: 8, maxTrials: trials)
    case "random": return RandomSearch(space: space, seed: seed, maxTrials: trials)
    default: throw StoreError("unknown test algorithm \(name) (tpe, random)")
    }
  }

  /// Runs (or resumes) the search to the end or to Ctrl-C.
  @discardableResult
  public static func run(storePath: String, seed: UInt64, trials: Int = 40, sleepMs: Int = 0, algorithm name: String = "tpe",
                         options: SearchRunner.Options = .init()) throws -> SearchRunner.Outcome {
    let store = try TrialStore(path: storePath)
    try store.setMeta("test_search", .object(["seed": .string(String(seed)), "trials": JSON(trials), "algorithm": .string(name)]))
    let runner = try SearchRunner.startOrResume(store: store, step: step, kind: "test.branin", stepConfig: .object(["sleep_ms": JSON(sleepMs)]),
                                                algorithm: try algorithm(name, seed: seed, trials: trials), options: options)
    return try runner.run()
  }
}
