import LyraBase
import LyraSpace

/// Shared machinery for search algorithms: the history table, trial ids, best/Pareto,
/// and exact save/restore.
///
/// Subclasses implement `propose()` (the next trial or nil), `observe(_:_:)` (a result
/// arrived), `exhausted` (no more trials will be proposed) and `settings` (what a
/// restored instance must match).
///
/// How resume is exact: `state()` holds the trial table plus the event log (every
/// `ask`, including those answered nil, every `tell`, and custom events such as ASHA's
/// intermediate reports). `restore` replays the log on a fresh instance made with the
/// same settings and seed, checking that every regenerated trial equals the logged one.
/// Why replay instead of serialising each algorithm's fields: an algorithm is a
/// deterministic function of (settings, seed, event sequence), so replay reproduces its
/// rungs, models and RNG position bit for bit with nothing per-algorithm to get wrong;
/// the cost (re-running the proposals, not the trials) is milliseconds.
open class SearchBase: SearchAlgorithm {
  public let objectives: [Objective]
  public let history: SearchHistory
  public private(set) var events: [JSON] = []
  private var nextID = 0
  private var replaying = false

  public init(objectives: [Objective]) {
    self.objectives = objectives
    self.history = SearchHistory(objectives: objectives)
  }

  // MARK: hooks for subclasses

  /// The next trial (built with `newTrial`), or nil when nothing can start now.
  open func propose() -> Trial? { nil }
  /// A result arrived for a trial this algorithm handed out (already in `history`).
  open func observe(_ trial: Trial, _ result: TrialResult) {}
  /// True when `propose` will never return a trial again.
  open var exhausted: Bool { true }
  /// The algorithm's name and settings; `restore` refuses a state saved under others.
  open var settings: JSON { .null }
  /// Replays a custom event logged with `logEvent` (e.g. ASHA's `report`).
  open func replay(_ event: [JSON]) throws { throw SearchStateError("unknown event \(JSON.array(event).text)") }

  /// A trial with the next id (ids are 0, 1, 2, ... in ask order).
  public func newTrial(_ config: Config, budget: Double? = nil, rung: Int? = nil, bracket: Int? = nil, resumeFrom: Int? = nil) -> Trial {
    defer { nextID += 1 }
    return Trial(id: nextID, config: config, budget: budget, rung: rung, bracket: bracket, resumeFrom: resumeFrom)
  }

  /// Subclasses with extra state-changing calls log them here so restore can replay them.
  public func logEvent(_ event: [JSON]) { events.append(.array(event)) }

  // MARK: SearchAlgorithm

  public func ask() -> Trial? {
    let t = propose()
    if let t { history.add(t) }
    events.append(.array([.string("a"), StateCodec.optionalInt(t?.id)]))
    return t
  }

  public func tell(_ trialID: Int, _ result: TrialResult) {
    guard history.record(trialID, result), let t = history.trial(trialID) else { return }
    events.append(.array([.string("t"), JSON(trialID), StateCodec.result(result)]))
    observe(t, result)
  }

  public var isDone: Bool { exhausted && history.pendingCount == 0 }
  public func best() -> (trial: Trial, result: TrialResult)? { history.best() }
  public func paretoFront() -> [(trial: Trial, result: TrialResult)] { history.paretoFront() }

  public func state() -> JSON {
    .object(["settings": settings, "trials": history.json, "events": .array(events)])
  }

  public func restore(_ state: JSON) throws {
    guard history.trials.isEmpty, events.isEmpty else { throw SearchStateError("restore needs a fresh instance") }
    guard let saved = state["settings"], saved == settings else {
      throw SearchStateError("saved settings \(state["settings"]?.text ?? "missing") differ from this instance's \(settings.text)")
    }
    guard let table = state["trials"]?.array, let log = state["events"]?.array else { throw SearchStateError("state lacks trials or events") }
    var logged: [Int: Trial] = [:]
    for j in table { let t = try StateCodec.trial(j); logged[t.id] = t }
    for e in log {
      guard let ev = e.array, let kind = ev.first?.string else { throw SearchStateError("bad event \(e.text)") }
      switch kind {
      case "a":
        let want = try StateCodec.optionalInt(ev.count > 1 ? ev[1] : nil)
        let got = ask()
        guard got?.id == want, want.map({ logged[$0] }) == got.map({ Optional($0) }) else {
          throw SearchStateError("replay diverged at ask: saved trial \(want.map(String.init) ?? "none"), regenerated \(got.map { "\($0.id) \($0.config)" } ?? "none") (different seed or settings?)")
        }
      case "t":
        guard ev.count == 3 else { throw SearchStateError("bad event \(e.text)") }
        tell(try StateCodec.int(ev[1]), try StateCodec.result(ev[2]))
      default:
        try replay(ev)
      }
    }
  }
}

/// A counter of independent random streams derived from one seed: stream k is
/// `Generator(seed).split(stream: k)`.
///
/// Why: a Generator saved as (seed, counter) drops a partly used block, so saving it
/// mid-stream would not resume exactly; a fresh stream per decision is exact by
/// construction and lets `space.sample(_:)` take a plain Generator.
public struct RandomStreams {
  public let seed: UInt64
  public private(set) var used: UInt64 = 0
  private let root: Generator
  public init(seed: UInt64) {
    self.seed = seed
    self.root = Generator(seed: seed)
  }
  public mutating func next() -> Generator {
    defer { used += 1 }
    return root.split(stream: used)
  }
}
