import CRuntime
import Foundation
import LyraBase
import LyraSearch

/// The loop of a worker process (`lyra worker --store PATH`): claim a pending trial,
/// heartbeat while running it with the executor its step's kind names, write the
/// result; repeat until interrupted, or idle for `idleExit` seconds.
///
/// The worker never talks to the runner: the store is the only channel, which is what
/// lets the same worker run against a PostgreSQL store from another machine.
public struct TrialWorker {
  public var storePath: String
  public var id: String
  /// Only trials of this step (nil: any step).
  public var step: String?
  public var heartbeatInterval: Double
  /// Exit after this many seconds without a pending trial (nil: wait forever).
  public var idleExit: Double?
  /// Seconds between polls of an empty queue.
  public var pollInterval: Double
  /// The runner that started this worker: when it is gone the worker stops claiming
  /// (a resumed runner already requeued what was running, so a trial claimed by an
  /// orphan would sit until its heartbeat times out).
  public var parent: pid_t?
  /// `--artifacts DIR`: trial files go into this directory (it must be the task's choice too); nil: the database.
  public var artifacts: String?
  /// Where the worker says what it dropped (standard error; tests collect it).
  public var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

  public init(storePath: String, id: String? = nil, step: String? = nil, heartbeatInterval: Double = 2, idleExit: Double? = nil,
              pollInterval: Double = 0.1, parent: pid_t? = nil) {
    self.parent = parent
    self.storePath = storePath
    self.id = id ?? TrialWorker.defaultID()
    self.step = step
    self.heartbeatInterval = heartbeatInterval
    self.idleExit = idleExit
    self.pollInterval = pollInterval
  }

  /// host:pid:random — unique, so a dead worker's late write is never mistaken for a
  /// live one's.
  public static func defaultID() -> String {
    "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
  }

  /// Runs trials until interrupted (Ctrl-C / CRuntime flag) or idle; returns how many
  /// trials it finished.
  @discardableResult
  public func run() throws -> Int {
    let store = try TrialStore(path: storePath, create: false)
    try store.useArtifacts(artifacts, coordinator: false)
    var executors: [String: TrialExecutor] = [:]
    var done = 0
    var idleSince = Date()
    while lyra_interrupt_requested() == 0 && !orphaned {
      guard let rec = try store.claim(worker: id, step: step) else {
        if let idleExit, Date().timeIntervalSince(idleSince) > idleExit { break }
        Thread.sleep(forTimeInterval: pollInterval)
        continue
      }
      if orphaned {
        try store.requeue(step: rec.step, trial: rec.trial.id, worker: id, reason: "worker \(id): its runner exited")
        break
      }
      let executor: TrialExecutor
      do {
        if let e = executors[rec.step] { executor = e } else {
          guard let s = try store.step(rec.step) else { throw StoreError("\(storePath): trial \(rec.trial.id) names unknown step \(rec.step)") }
          executor = try TrialExecutors.make(kind: s.kind, config: TrialWorker.local(s.config, store: store))
          executors[rec.step] = executor
        }
      } catch {
        // This worker cannot run the step (e.g. an executor kind it lacks): give the
        // trial back for another worker and stop.
        try store.requeue(step: rec.step, trial: rec.trial.id, worker: id, reason: "worker \(id): \(error)")
        throw error
      }
      if try runOne(rec, store: store, executor: executor) { done += 1 }
      idleSince = Date()
    }
    return done
  }

  /// Exactly-once completion: this worker's lease on the trial expired (its heartbeat went stale and the trial
  /// was handed out again), so its late result is dropped; the log says so.
  func refused(_ rec: StoredTrial) -> Bool {
    log("lyra worker \(id): trial \(rec.trial.id) of step \(rec.step): result refused: "
      + "its lease expired and the trial was handed out again (attempt \(rec.attempts) dropped)")
    return false
  }

  /// A PostgreSQL worker may be on another machine: the task folder the step config names (`task_root`, the
  /// coordinator's) becomes this worker's own (`store.directory`), whose trial files travel back as artifacts.
  static func local(_ config: JSON, store: TrialStore) -> JSON {
    guard store.task != nil, var o = config.object, o["task_root"] != nil else { return config }
    o["task_root"] = .string(store.directory)
    return .object(o)
  }

  /// True when the runner that started this worker is gone.
  var orphaned: Bool { parent.map { getppid() != $0 } ?? false }

  /// Runs one claimed trial; true when its result was written.
  func runOne(_ rec: StoredTrial, store: TrialStore, executor: TrialExecutor) throws -> Bool {
    TestKillSwitch.point(step: rec.step, .claim)
    let spec = try store.spec(for: rec)
    let beat = Heartbeat(storePath: store.reopenPath, step: rec.step, trial: rec.trial.id, worker: id, interval: heartbeatInterval)
    var result: TrialResult
    var message: String?
    do { result = try executor(spec) } catch {
      result = .failed()
      message = "\(error)"
    }
    beat.stop()
    if lyra_interrupt_requested() != 0 {
      // Interrupted mid-trial: the result is not trustworthy; the trial runs again.
      try store.requeue(step: rec.step, trial: rec.trial.id, worker: id, reason: "interrupted")
      return false
    }
    if beat.lost { return refused(rec) }
    TestKillSwitch.point(step: rec.step, .result)
    // PostgreSQL: the coordinator may be on another machine, so the trial's files travel with the result.
    let written = store.task == nil
      ? try store.finish(step: rec.step, trial: rec.trial.id, worker: id, result: result, error: message ?? result.message)
      : try store.finishWithArtifacts(step: rec.step, trial: rec.trial.id, worker: id, result: result, error: message ?? result.message)
    if written { TestKillSwitch.point(step: rec.step, .trial) } else { _ = refused(rec) }
    return written
  }
}

extension TrialWorker {
  /// Makes this process exit when `parent` (the runner that spawned it) is gone.
  public static func exitWithParent(_ parent: pid_t) { ParentWatch.start(parent: parent) }
}
