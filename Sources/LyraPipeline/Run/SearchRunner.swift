import CRuntime
import Foundation
import LyraBase
import LyraSearch

/// Drives one search step: asks the algorithm for trials, runs them (in this process,
/// or in `lyra worker` processes that take them from the store), and tells it results.
///
/// Transactions (what makes resume exact): a trial handed out is inserted in the same
/// transaction as the algorithm state that handed it out; a result is written (or, from
/// a worker, marked told) in the same transaction as the state that was told it. So
/// after a SIGKILL at any instant the stored state and trial rows agree, and
/// `resume` restores the algorithm with every handed-out trial outstanding, requeues
/// the trials that were running, and never runs a finished trial again.
public final class SearchRunner {
  public struct Options {
    /// Worker processes (1: run trials in this process).
    public var workers: Int
    /// Seconds between heartbeats of a running trial.
    public var heartbeatInterval: Double
    /// A running trial whose heartbeat is older than this is handed out again.
    public var heartbeatTimeout: Double
    /// Claims of one trial before a worker death counts as its failure.
    public var maxAttempts: Int
    /// Seconds between store polls while workers run.
    public var pollInterval: Double
    /// The worker command (executable and leading arguments); nil: this executable's
    /// `worker` subcommand (/proc/self/exe worker).
    public var workerCommand: [String]?
    /// Worker processes this runner starts itself (nil: `workers`). With a PostgreSQL store, 0 leaves every trial
    /// to workers started elsewhere (`lyra worker --store URL`), `workers` trials at a time.
    public var localWorkers: Int?
    /// Extra arguments for every worker (`--plugin FILE` for each plug-in the config
    /// names: workers run only the plug-ins their command line names).
    public var workerArguments: [String] = []

    public init(workers: Int = 1, heartbeatInterval: Double = 2, heartbeatTimeout: Double = 15, maxAttempts: Int = 3,
                pollInterval: Double = 0.05, workerCommand: [String]? = nil) {
      self.workers = workers
      self.heartbeatInterval = heartbeatInterval
      self.heartbeatTimeout = heartbeatTimeout
      self.maxAttempts = maxAttempts
      self.pollInterval = pollInterval
      self.workerCommand = workerCommand
    }
  }

  public enum Outcome: Equatable { case finished, interrupted }

  public let store: TrialStore
  public let step: String
  public let algorithm: SearchAlgorithm
  public let options: Options
  /// This runner's name as the owner of the trials it runs in-process.
  public let id: String
  private let executor: TrialExecutor?
  /// Called on every turn of the run loop (after results were told), e.g. to redraw a
  /// live status line while workers train.
  public var onPoll: (() -> Void)?

  /// A new search step: records the step (kind and config: what workers build their
  /// executor from) and the algorithm's initial state. Throws if the step already has
  /// a saved state (use `resume`). `executor` runs in-process trials; nil: the one
  /// `TrialExecutors` makes for `kind`.
  public convenience init(store: TrialStore, step: String, kind: String, stepConfig: JSON, algorithm: SearchAlgorithm,
                          executor: TrialExecutor? = nil, options: Options = Options()) throws {
    self.init(resuming: store, step: step, algorithm: algorithm, executor: executor, options: options)
    try store.lockCoordinator()
    try store.transaction {
      if try store.state(step: step) != nil {
        throw StoreError("\(store.path): step \(step) has already started; resume it instead")
      }
      try store.addStep(step, kind: kind, config: stepConfig)
      try store.saveState(step: step, algorithm.state())
    }
  }

  private init(resuming store: TrialStore, step: String, algorithm: SearchAlgorithm, executor: TrialExecutor?, options: Options) {
    self.store = store
    self.step = step
    self.algorithm = algorithm
    self.options = options
    self.executor = executor
    self.id = SearchRunner.ownerPrefix + "\(ProcessInfo.processInfo.hostName):\(getpid())"
  }

  /// How the names of a coordinator and of the worker processes it starts begin.
  static let ownerPrefix = "runner:"

  /// Continues a step after a crash or interrupt. `algorithm` must be a fresh instance
  /// made with the step's original settings and seed; it is restored from the stored
  /// state (trials it handed out stay outstanding, so it is not asked for them again),
  /// and the trials that were running are requeued with their checkpoint directories.
  public static func resume(store: TrialStore, step: String, algorithm: SearchAlgorithm, executor: TrialExecutor? = nil,
                            options: Options = Options()) throws -> SearchRunner {
    try store.lockCoordinator()
    guard try store.step(step) != nil, let state = try store.state(step: step) else {
      throw StoreError("\(store.path): no step \(step) to resume")
    }
    do { try algorithm.restore(state) } catch {
      throw StoreError("\(store.path): cannot restore the search state of step \(step): \(error)")
    }
    try checkConsistent(store: store, step: step, state: state)
    // Only what the dead coordinator ran itself or through its own worker processes: workers started elsewhere
    // (`lyra worker --store URL`) outlive a coordinator and finish their trials; a dead one's lease expires.
    try store.requeueRunning(step: step, ownerPrefix: SearchRunner.ownerPrefix)
    return SearchRunner(resuming: store, step: step, algorithm: algorithm, executor: executor, options: options)
  }

  /// `resume` when the step exists in the store, else a new step.
  public static func startOrResume(store: TrialStore, step: String, kind: String, stepConfig: JSON, algorithm: SearchAlgorithm,
                                   executor: TrialExecutor? = nil, options: Options = Options()) throws -> SearchRunner {
    if try store.state(step: step) != nil {
      return try resume(store: store, step: step, algorithm: algorithm, executor: executor, options: options)
    }
    return try SearchRunner(store: store, step: step, kind: kind, stepConfig: stepConfig, algorithm: algorithm, executor: executor,
                            options: options)
  }

  /// The stored trials must be exactly the trials the stored state handed out.
  static func checkConsistent(store: TrialStore, step: String, state: JSON) throws {
    let handed = try (state["trials"]?.array ?? []).map(StateCodec.trial)
    let stored = try store.trials(step: step)
    let byID = Dictionary(stored.map { ($0.trial.id, $0.trial) }, uniquingKeysWith: { a, _ in a })
    guard handed.count == stored.count, handed.allSatisfy({ byID[$0.id] == $0 }) else {
      throw StoreError("\(store.path): step \(step): the stored trials (\(stored.count)) differ from those in the saved search state (\(handed.count))")
    }
  }

  private var interrupted: Bool { lyra_interrupt_requested() != 0 }

  /// Runs until the algorithm is done (`.finished`) or Ctrl-C (`.interrupted`; the
  /// store then holds everything `resume` needs).
  @discardableResult
  public func run() throws -> Outcome {
    let pool = try startWorkers()
    defer { pool?.stop() }
    var canAsk = true
    while true {
      if interrupted {
        pool?.stop()
        try store.requeueRunning(step: step, reason: "interrupted")
        return .interrupted
      }
      if let pool {
        // A worker process that exited cannot finish its trial: hand it out again now
        // (an event, not a timeout).
        for dead in try pool.reap() { try store.requeueWorker(dead, maxAttempts: options.maxAttempts, step: step) }
      }
      // The heartbeat timeout is for workers this runner did not start (other machines, hung processes): with or
      // without a pool of its own, a trial whose lease expired goes back to the queue.
      try store.requeueStale(olderThan: options.heartbeatTimeout, maxAttempts: options.maxAttempts, step: step)
      for rec in try store.untold(step: step) {
        try tellStored(rec)
        canAsk = true
      }
      onPoll?()
      if algorithm.isDone { break }
      let counts = try store.counts(step: step)
      var busy = (counts[.pending] ?? 0) + (counts[.running] ?? 0)
      while canAsk && busy < max(options.workers, 1) {
        if try handOut() { busy += 1 } else { canAsk = false }
      }
      if busy == 0 && !canAsk {
        if algorithm.isDone { break }
        // A worker may have finished a trial after `untold` was read above and before
        // `counts`: it is then neither busy nor told, and the algorithm, still waiting
        // for it, rightly hands out nothing. Tell it first (next round). Only when every
        // finished trial is told and none is busy is an empty hand-out a real fault.
        if try !store.untold(step: step).isEmpty { continue }
        throw StoreError("step \(step): the search algorithm hands out no trial although none is running (algorithm bug?)")
      }
      if pool == nil {
        switch try runOneInProcess() {
        case .interrupted: return .interrupted
        // Every handed-out trial is with a worker elsewhere: wait for its result or its lease to expire.
        case nil: Thread.sleep(forTimeInterval: options.pollInterval)
        case .finished: canAsk = true
        }
      } else {
        Thread.sleep(forTimeInterval: options.pollInterval)
      }
    }
    pool?.stop()
    try store.setStepStatus(step, "done")
    return .finished
  }

  /// Asks for one trial and stores it with the state, atomically. False when the
  /// algorithm had none (that answer is in its event log, so the state is saved too;
  /// the caller asks again only after a tell, which keeps the log bounded).
  private func handOut() throws -> Bool {
    let t = algorithm.ask()
    try store.transaction {
      if let t { try store.insert(t, step: step, checkpoint: store.checkpointDir(step: step, trial: t.id)) }
      try store.saveState(step: step, algorithm.state())
    }
    return t != nil
  }

  /// A result a worker wrote: tell the algorithm, mark told, save state, atomically.
  /// With a PostgreSQL store the worker may be on another machine: its trial's files are written into this
  /// task folder first (TrialArtifacts), so what reads them next finds them where SQLite runs leave them.
  private func tellStored(_ rec: StoredTrial) throws {
    if store.task != nil { try store.materialiseArtifacts(step: step, trial: rec.trial.id, into: store.directory) }
    algorithm.tell(rec.trial.id, rec.result ?? .failed())
    try store.transaction {
      try store.markTold(step: step, trial: rec.trial.id)
      try store.saveState(step: step, algorithm.state())
    }
    TestKillSwitch.point(step: step, .tell)
  }

  private var inProcessExecutor: TrialExecutor?
  private func executorForStep() throws -> TrialExecutor {
    if let e = executor ?? inProcessExecutor { return e }
    guard let s = try store.step(step) else { throw StoreError("\(store.path): no step \(step)") }
    let e = try TrialExecutors.make(kind: s.kind, config: s.config)
    inProcessExecutor = e
    return e
  }

  /// Claims and runs one pending trial here; the result, the tell and the state are
  /// one transaction. An interrupted trial goes back to pending.
  /// nil: no pending trial to claim.
  private func runOneInProcess() throws -> Outcome? {
    let run = try executorForStep()
    guard let rec = try store.claim(worker: id, step: step) else { return nil }
    TestKillSwitch.point(step: step, .claim)
    let spec = try store.spec(for: rec)
    let beat = Heartbeat(storePath: store.reopenPath, step: step, trial: rec.trial.id, worker: id, interval: options.heartbeatInterval)
    var result: TrialResult
    var message: String?
    do { result = try run(spec) } catch {
      result = .failed()
      message = "\(error)"
    }
    beat.stop()
    if interrupted {
      try store.requeue(step: step, trial: rec.trial.id, worker: id, reason: "interrupted")
      return .interrupted
    }
    TestKillSwitch.point(step: step, .result)
    algorithm.tell(rec.trial.id, result)
    try store.transaction {
      guard try store.finish(step: step, trial: rec.trial.id, worker: id, result: result, error: message ?? result.message, told: true) else {
        throw StoreError("\(store.path): trial \(rec.trial.id) of step \(step) was taken from this runner (another process requeued it)")
      }
      try store.saveState(step: step, algorithm.state())
    }
    TestKillSwitch.point(step: step, .trial)
    return .finished
  }

  private func startWorkers() throws -> WorkerPool? {
    guard options.workers > 1 || options.localWorkers != nil else { return nil }
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    let command = options.workerCommand ?? [exe, "worker"]
    let args = ["--store", store.path, "--step", step, "--heartbeat", String(options.heartbeatInterval), "--parent-pid", String(getpid())]
      + options.workerArguments
    let pool = WorkerPool(command: command, arguments: args, count: options.localWorkers ?? options.workers, idPrefix: "\(id)", environment: store.childEnvironment)
    try pool.start()
    return pool
  }
}
