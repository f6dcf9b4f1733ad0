import Foundation
import LyraBase
import LyraData
import LyraNN
import LyraSearch
import LyraTensor

/// Trains one model as VEGA's `TrainerBase.train_process`: `initTrainer` (ModelBuilder),
/// build optimiser/scheduler/loss/metrics, optionally resume from a checkpoint, then
/// `beforeTrain`; per epoch `beforeEpoch`, steps (`beforeTrainStep`, forward, loss,
/// backward, clip, step, `afterTrainStep`), validation every `valid_interval` epochs and
/// after the last (`beforeValid`, `before/afterValidStep`, `afterValid`), `afterEpoch`;
/// finally `afterTrain`. The work itself happens in callbacks (VEGA's priorities):
/// ModelBuilder 200, ModelStatistics 220, MetricsEvaluator 230, ModelCheckpoint 240,
/// PerformanceSaver 250, LearningRateScheduler 260, ProgressLogger 270, ReportCallback 280.
///
/// Failure modes: a NaN/inf loss throws `TrainerError.diverged` (the trial fails, the
/// process does not); Ctrl-C throws `Interrupted` at the next step; the last epoch's
/// checkpoint stays on disk so a restarted trial continues from it.
///
/// Determinism: epoch e draws its batch order from the loader's seed and e, and
/// re-seeds the process generator (dropout) from `seed` and e, so a run resumed at an
/// epoch boundary continues bit-identically.
public final class Trainer {
  public let config: TrainerConfig
  /// The model; ModelBuilder builds it from `modelDescription`/`model_desc` when nil.
  public var model: Module?
  /// A description for ModelBuilder (overrides `config.modelDesc`).
  public var modelDescription: JSON?
  /// What a callback hands on as the trial's description instead of the trained model's
  /// (DartsTrainerCallback: the derived network of a supernet search); nil: the model's.
  public var handOffDescription: JSON?
  public let trainLoader: DataLoader?
  public let validLoader: DataLoader?
  /// One sample's shape as the model sees it, after the training transforms (a Resize
  /// changes it); nil: the loader's first stored sample. ModelStatistics profiles on it.
  public var sampleShape: [Int]?
  /// Where checkpoints, best weights and the performance file go (nil: nowhere).
  public var workDir: String?
  /// The trial's id in file names (`model_<id>`, `performance_<id>.json`).
  public var trialID: String
  /// Receives results (ReportCallback); the pipeline records them.
  public var reporter: ((TrainerReport) -> Void)?
  /// Where ProgressLogger writes lines; default standard error.
  public var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } {
    didSet { customLog = true }
  }
  /// True once `log` was replaced (ProgressLogger then never writes to the terminal itself).
  public private(set) var customLog = false
  /// Builds input and target from a batch (VEGA's `make_batch`).
  public var makeBatch: TrainerBatch.Maker = TrainerBatch.standard
  /// The epoch budget; a promotion (ASHA) may raise it before calling `train()` again.
  public var epochs: Int

  public private(set) var optimizer: Optimizer?
  public private(set) var schedule: LRSchedule?
  public private(set) var loss: Loss
  /// Validation metrics, and the training ones when `call_metrics_on_train`.
  public let metrics: MetricSet
  public let trainMetrics: MetricSet?
  public var logs = TrainerLogs()
  public private(set) var callbacks: [TrainerCallback] = []
  /// The current epoch (0-based) and the first one this `train()` call runs.
  public private(set) var epoch = 0
  public private(set) var startEpoch = 0
  /// Training steps taken over all epochs (also across a resume).
  public private(set) var globalStep = 0
  /// Steps in the current epoch (for progress lines).
  public private(set) var stepsPerEpoch = 0
  /// Whether the current pass is validation (MetricsEvaluator reads it).
  public private(set) var validating = false
  private var resumePath: String?
  private var built = false

  public init(config: TrainerConfig = TrainerConfig(), model: Module? = nil, train: DataLoader?, valid: DataLoader? = nil,
              workDir: String? = nil, trialID: String = "0") throws {
    self.config = config
    self.model = model
    trainLoader = train
    validLoader = valid
    self.workDir = workDir
    self.trialID = trialID
    epochs = config.epochs
    loss = try LossRegistry.make(config.loss)
    metrics = try MetricSet(json: config.metric)
    trainMetrics = config.callMetricsOnTrain ? try MetricSet(json: config.metric) : nil
    _ = try config.lrScheduler.map { try SchedulerFactory.make($0) }  // fail on a bad section now, not after building
    let builtIns: [TrainerCallback] = [ModelBuilder(), ModelStatistics(), MetricsEvaluator(), ModelCheckpoint(), PerformanceSaver(),
                                       LearningRateScheduler(), ProgressLogger(), ReportCallback(),
                                       SparseTablesCallback()]
    for c in builtIns { add(c) }
    if config.hpsSchedule != nil { add(HpsScheduleReplay()) } // a PBT search's schedule, replayed
    for name in config.callbacks { add(try CallbackRegistry.make(name)) }
  }

  /// From a `trainer:` JSON section.
  public convenience init(json: JSON, model: Module? = nil, train: DataLoader?, valid: DataLoader? = nil,
                          workDir: String? = nil, trialID: String = "0") throws {
    try self.init(config: TrainerConfig(json: json), model: model, train: train, valid: valid, workDir: workDir, trialID: trialID)
  }

  /// Adds a callback, keeping the list sorted by priority (stable for ties).
  public func add(_ c: TrainerCallback) {
    c.trainer = self
    callbacks.append(c)
    let order = callbacks.enumerated().sorted { ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset) }
    callbacks = order.map(\.element)
  }

  /// Resumes from this checkpoint file at the next `train()`.
  public func resume(from path: String) { resumePath = path }

  /// `workDir/checkpoint.safetensors`.
  public var checkpointPath: String? { workDir.map { TrialFile.trainerCheckpoint.path("", in: $0) } }

  /// Objectives of every reported key: the metrics', and min for flops/params/latency.
  public var objectives: [String: Direction] {
    var o = metrics.objectives
    for k in ["flops", "params", "latency"] { o[k] = .minimize }
    return o
  }

  /// The key and direction that decide "best".
  public var comparison: (key: String, direction: Direction) {
    let key = config.perfsCmpKey ?? metrics.mainKey
    if let m = config.perfsCmpMode { return (key, m == "min" ? .minimize : .maximize) }
    return (key, metrics.objectives[key] ?? metrics.mainObjective)
  }

  func each(_ body: (TrainerCallback) throws -> Void) throws { for c in callbacks { try body(c) } }

  /// Runs the epochs from the checkpoint (if any) up to `epochs`; returns the final report.
  @discardableResult
  public func train() throws -> TrainerReport {
    try each { try $0.initTrainer() }
    guard let model else { throw TrainerError.config("trainer: no model (give one, or trainer.model_desc)") }
    if !built {
      let opt = try OptimizerFactory.make(config.optimizer, params: model.parameters())
      optimizer = opt
      schedule = LRSchedule(optimizer: opt, scheduler: try config.lrScheduler.map { try SchedulerFactory.make($0) } ?? ConstantLR())
      built = true
    }
    startEpoch = 0
    if let path = resumePath ?? existingCheckpoint() {
      try restore(from: path)
      resumePath = nil
    }
    try each { try $0.beforeTrain() }
    if epochs > startEpoch {
      for e in startEpoch..<epochs {
        epoch = e
        logs.validated = false
        Tensor.defaultGenerator.restore(seed: LyraBase.Generator(seed: config.seed).split(stream: UInt64(e)).seed, counter: 0)
        try each { try $0.beforeEpoch(e) }
        if config.withTrain, let trainLoader { try trainEpoch(e, trainLoader, model) }
        if config.withValid, validLoader != nil, (config.validInterval > 0 && (e + 1) % config.validInterval == 0) || e == epochs - 1 { try validate() }
        try each { try $0.afterEpoch(e) }
      }
    }
    epoch = max(startEpoch, epochs)
    try each { try $0.afterTrain() }
    return report(final: true)
  }

  private func existingCheckpoint() -> String? {
    guard config.loadCheckpoint, let p = checkpointPath, FileManager.default.fileExists(atPath: p) else { return nil }
    return p
  }

  private func trainEpoch(_ e: Int, _ loader: DataLoader, _ model: Module) throws {
    guard let optimizer else { return }
    model.train()
    validating = false
    stepsPerEpoch = min(loader.batchCount, config.maxTrainSteps ?? Int.max)
    let it = loader.batches(epoch: e)
    defer { it.stop() }
    var i = 0
    while i < stepsPerEpoch, let batch = it.next() {
      try Interruption.check()
      try each { try $0.beforeTrainStep(i) }
      let (x, y) = try makeBatch(batch)
      optimizer.zeroGrad()
      let out: Tensor, l: Tensor
      if config.mixup {
        (out, l) = try Mixup().loss(x: x, y: y, seed: config.seed, epoch: e, step: i, forward: { try model($0) }, loss: loss)
      } else {
        out = try model(x)
        l = try loss(out, y)
      }
      let v = Double(l.item())
      guard v.isFinite else { throw TrainerError.diverged(epoch: e, step: i, loss: v) }
      try l.backwardChecked()
      if let c = config.gradClip { clipGradNorm(optimizer.params, maxNorm: c) }
      logs.lr = optimizer.lr
      optimizer.step()
      logs.loss = v
      logs.output = out.detach()
      logs.target = y
      globalStep += 1
      try each { try $0.afterTrainStep(i) }
      i += 1
    }
  }

  /// One pass over the validation loader in eval mode without gradients.
  public func validate() throws {
    guard let model, let validLoader else { return }
    model.eval()
    validating = true
    defer {
      model.train()
      validating = false
    }
    try each { try $0.beforeValid() }
    try Tensor.noGrad {
      let it = validLoader.batches(epoch: 0)
      defer { it.stop() }
      var i = 0
      while let batch = it.next() {
        try Interruption.check()
        try each { try $0.beforeValidStep(i) }
        let (x, y) = try makeBatch(batch)
        let out = try model(x)
        logs.loss = Double(try loss(out, y).item())
        logs.output = out
        logs.target = y
        try each { try $0.afterValidStep(i) }
        i += 1
      }
    }
    logs.validated = true
    try each { try $0.afterValid() }
  }

  /// Loads weights, optimiser state, step counters and best values.
  private func restore(from path: String) throws {
    let ck = try TrainerCheckpoint.read(from: path)
    guard let model, let optimizer else { return }
    do { try model.loadStateDict(ck.model) } catch { throw TrainerError.checkpoint("\(path): \(error)") }
    if ck.optimizer.optimizer == optimizer.name {
      // The configured hyper-parameters win (a PBT child may resume with a new lr).
      var st = ck.optimizer
      st.hyperparameters = optimizer.stateDict().hyperparameters
      do { try optimizer.loadStateDict(st) } catch { throw TrainerError.checkpoint("\(path): \(error)") }
    } else {
      log("checkpoint \(path): optimizer \(ck.optimizer.optimizer) differs from \(optimizer.name); starting it fresh")
    }
    startEpoch = ck.epoch
    globalStep = ck.globalStep
    logs.bestPerfs = ck.bestPerfs
    logs.bestEpoch = ck.bestEpoch
    logs.currentPerfs = ck.currentPerfs
  }

  /// The checkpoint of the current state (ModelCheckpoint writes it after each epoch).
  public func makeCheckpoint(epochsDone: Int) -> TrainerCheckpoint? {
    guard let model, let optimizer, let schedule else { return nil }
    return TrainerCheckpoint(model: model.stateDict(), optimizer: optimizer.stateDict(), epoch: epochsDone, globalStep: globalStep,
                             schedulerStep: schedule.stepCount, bestPerfs: logs.bestPerfs, bestEpoch: logs.bestEpoch,
                             currentPerfs: logs.currentPerfs)
  }

  /// The report of the current state.
  public func report(final: Bool) -> TrainerReport {
    TrainerReport(epoch: min(epoch + (final ? 0 : 1), epochs), epochs: epochs,
                  performance: logs.currentPerfs.merging(logs.statistics) { a, _ in a },
                  best: logs.bestPerfs.merging(logs.statistics) { a, _ in a }, objectives: objectives, final: final)
  }
}
