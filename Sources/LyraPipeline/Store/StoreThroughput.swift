import Foundation
import LyraBase
import LyraSearch

/// The store's coordination cost alone: `workers` threads, each with its own connection (as separate worker
/// processes have), claim and finish no-op trials until none is pending. What `lyra _store-bench` measures for
/// scripts/bench/store_throughput.sh (SQLite file vs PostgreSQL server; numbers in docs/pipeline.md).
public enum StoreThroughput {
  public struct Outcome {
    public var trials: Int
    public var seconds: Double
    /// Claims plus completions per second.
    public var operationsPerSecond: Double { Double(2 * trials) / seconds }
  }

  public static func run(store location: String, workers: Int, trials: Int) throws -> Outcome {
    let store = try TrialStore(path: location)
    try store.addStep("bench", kind: "noop", config: .null)
    try store.transaction {
      for i in 0..<trials { try store.insert(Trial(id: i, config: ["x": .double(Double(i))], budget: nil), step: "bench") }
    }
    let group = DispatchGroup(), failures = NSLock()
    var errors: [String] = []
    var stores: [TrialStore] = []
    for _ in 0..<workers { stores.append(try TrialStore(path: location)) }  // connections open before the clock starts
    let start = Date()
    for (w, mine) in stores.enumerated() {
      group.enter()
      Thread {
        defer { group.leave() }
        do {
          while let r = try mine.claim(worker: "w\(w)", step: "bench") {
            _ = try mine.finish(step: "bench", trial: r.trial.id, worker: "w\(w)", result: TrialResult(["loss": 0]))
          }
        } catch {
          failures.lock(); errors.append("\(error)"); failures.unlock()
        }
      }.start()
    }
    group.wait()
    let seconds = Date().timeIntervalSince(start)
    if let e = errors.first { throw StoreError("store benchmark: \(e)") }
    let done = try store.counts(step: "bench")[.completed] ?? 0
    guard done == trials else { throw StoreError("store benchmark: \(done) of \(trials) trials completed") }
    return Outcome(trials: trials, seconds: seconds)
  }
}
