import LyraSpace

/// A discrete-event simulation of N workers running a search in virtual time.
///
/// Why: asynchronous behaviour (ASHA never waits, synchronous Hyperband idles workers
/// at the end of each rung) only shows with parallel workers and uneven costs; a
/// simulation shows it in milliseconds and deterministically, with no threads.
///
/// Each free worker asks for a trial; a nil answer leaves it idle until the next
/// completion. Completions are processed in time order (ties by start order) from a
/// priority queue; each is told to the algorithm, then every free worker asks again.
/// A trial that resumes another (`resumeFrom`) is charged only the cost beyond the one
/// it resumes from (checkpoints are kept). For `IntermediateReporting` algorithms
/// (ASHA's stopping type) a trial runs in segments between its report budgets and stops
/// early on `.stop`, told as `.pruned` with its last metrics.
public final class Simulator {
  /// What one evaluation returns: metrics and the seconds a fresh run to that budget
  /// takes. Called once per trial (and once per report budget for reporting algorithms).
  public typealias Problem = (_ trial: Trial) -> (metrics: [String: Double], cost: Double)

  public struct Event {
    public var time: Double
    public var worker: Int
    public var trial: Trial
    public var result: TrialResult
  }

  public struct Incumbent {
    public var time: Double
    public var trialID: Int
    /// The first objective's raw value.
    public var value: Double
  }

  public struct Run {
    /// Every told result in time order.
    public var events: [Event]
    /// The algorithm's `best()` each time it changed.
    public var incumbents: [Incumbent]
    public var started: Int
    /// Simulated time of the last completion.
    public var endTime: Double
    /// Seconds of worker time spent idle (waiting on a nil ask) before `endTime`.
    public var idleTime: Double
    public var finished: Int { events.count }
    /// Results told with status completed (not pruned or failed).
    public var completed: Int { events.filter { $0.result.status == .completed }.count }
  }

  public let algorithm: SearchAlgorithm
  public let workers: Int
  public let problem: Problem

  public init(algorithm: SearchAlgorithm, workers: Int, problem: @escaping Problem) {
    precondition(workers >= 1, "Simulator needs at least one worker")
    self.algorithm = algorithm
    self.workers = workers
    self.problem = problem
  }

  /// A problem given as (config, budget) → (metrics, cost).
  public convenience init(algorithm: SearchAlgorithm, workers: Int,
                          problem: @escaping (Config, Double?) -> (metrics: [String: Double], cost: Double)) {
    self.init(algorithm: algorithm, workers: workers) { t in problem(t.config, t.budget) }
  }

  private struct Running {
    var finish: Double
    var seq: Int
    var worker: Int
    var trial: Trial
    /// Budgets still to reach; the first is the end of the current segment, whose
    /// metrics and fresh-run cost are `metrics` and `cost`.
    var path: [Double?]
    var metrics: [String: Double]
    var cost: Double
  }

  /// Runs until the algorithm is done, nothing can start, or the next completion would
  /// fall after `maxTime`.
  public func run(maxTime: Double = .infinity) -> Run {
    var out = Run(events: [], incumbents: [], started: 0, endTime: 0, idleTime: 0)
    var running: [Running] = []
    var free = Array(0..<workers)
    var idleSince: [Int: Double] = [:]
    var fullCost: [Int: Double] = [:]
    var seq = 0
    var now = 0.0
    let reporter = algorithm as? IntermediateReporting

    func start(_ worker: Int, _ trial: Trial) {
      let stops = reporter?.reportBudgets(for: trial).filter { b in trial.budget.map { b < $0 } ?? false } ?? []
      let path: [Double?] = stops.map { Optional($0) } + [trial.budget]
      var seg = trial
      seg.budget = path[0]
      let (m, c) = problem(seg)
      let already = trial.resumeFrom.flatMap { fullCost[$0] } ?? 0
      fullCost[trial.id] = c
      running.append(Running(finish: now + max(c - already, 0), seq: seq, worker: worker, trial: trial, path: path, metrics: m, cost: c))
      seq += 1
      out.started += 1
    }

    func fill() {
      while let w = free.first, let t = algorithm.ask() {
        free.removeFirst()
        if let since = idleSince.removeValue(forKey: w) { out.idleTime += now - since }
        start(w, t)
      }
      for w in free where idleSince[w] == nil { idleSince[w] = now }
    }

    func finishTrial(_ r: Running, _ result: TrialResult) {
      algorithm.tell(r.trial.id, result)
      out.events.append(Event(time: now, worker: r.worker, trial: r.trial, result: result))
      free.append(r.worker)
      free.sort()
      if let b = algorithm.best(), out.incumbents.last?.trialID != b.trial.id {
        out.incumbents.append(Incumbent(time: now, trialID: b.trial.id, value: b.result.metrics[algorithm.objectives[0].name] ?? .nan))
      }
    }

    fill()
    while let i = running.indices.min(by: { (running[$0].finish, running[$0].seq) < (running[$1].finish, running[$1].seq) }) {
      guard running[i].finish <= maxTime else { break }
      var r = running.remove(at: i)
      now = r.finish
      out.endTime = now
      let reached = r.path.removeFirst()
      if let reporter, let b = reached, !r.path.isEmpty {
        // An intermediate report budget: judge, then run the next segment.
        if reporter.report(r.trial.id, budget: b, r.metrics) == .stop {
          finishTrial(r, TrialResult(r.metrics, status: .pruned))
          fill()
          continue
        }
        var seg = r.trial
        seg.budget = r.path[0]
        let (m, c) = problem(seg)
        fullCost[r.trial.id] = c
        r.finish = now + max(c - r.cost, 0)
        (r.metrics, r.cost, r.seq) = (m, c, seq)
        seq += 1
        running.append(r)
        continue
      }
      finishTrial(r, TrialResult(r.metrics))
      fill()
    }
    for (_, since) in idleSince where since < out.endTime { out.idleTime += out.endTime - since }
    return out
  }
}
