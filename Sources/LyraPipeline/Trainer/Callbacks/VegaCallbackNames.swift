/// VEGA's trainer callback names (`trainer.callbacks: PbtTrainerCallback`), each with what
/// Lyra does for it: the `CallbackRegistry` holds them from its first use, so a VEGA config
/// names them as written and an unknown name is still an error with a close-name hint.
///
/// Most of VEGA's callbacks are work Lyra's trainer does another way: its built-in
/// callbacks always run (VEGA's are listed to be added explicitly in some configs), and a
/// search's product reaches the next step as data in the handed-on hyper-parameters
/// (PBT's optimiser schedule, PBA's policy schedule) rather than as code in fully_train's
/// callback. Such a name maps to `MappedVegaCallback`, which does nothing but say so.
///
/// To add a name: append one line to `entries` — the name, and either `.mapped("what Lyra
/// does instead")` or `.callback { YourCallback() }` for one that does work of its own
/// (TimmTrainerCallback, say). The
/// table also goes in docs/config.md#vegas-callback-names.
enum VegaCallbackNames {
  enum Kind {
    /// Lyra does this work another way (the text says how); the callback does nothing.
    case mapped(String)
    /// A callback of Lyra's own under VEGA's name.
    case callback(CallbackRegistry.Factory)
  }

  static let entries: [(name: String, kind: Kind)] = [
    // VEGA's built-in callbacks: Lyra's trainer always runs its own of the same name.
    ("ModelBuilder", .mapped("built in")),
    ("ModelStatistics", .mapped("built in")),
    ("MetricsEvaluator", .mapped("built in")),
    ("ModelCheckpoint", .mapped("built in")),
    ("PerformanceSaver", .mapped("built in")),
    ("LearningRateScheduler", .mapped("built in")),
    ("ProgressLogger", .mapped("built in")),
    ("ReportCallback", .mapped("built in")),
    // Searches that hand their product on as data.
    ("PbtTrainerCallback", .callback { PbtScheduleNote() }),
    ("PbaTrainerCallback", .mapped("the PBAHpo step hands on dataset.transforms.schedule; the data loader switches the policy per epoch")),
    // Compression searches prune or quantise every trial themselves (CompressionCallbacks
    // checks the steps these two may be named in).
    ("PruneTrainerCallback", .mapped("the PruneEA step builds each trial's pruned network from its codec")),
    ("QuantTrainerCallback", .mapped("the QuantEA step builds each trial's quantised network from its codec")),
    ("ESRTrainerCallback", .mapped("the SR dataset types (DIV2K, Set5, ...) hand the trainer LR/HR pairs; each ESRSearch model's description carries its architecture")),
    // AutoFIS (issue 23): the search and retrain stages of an AutoGateModel.
    ("CtrTrainerCallback", .mapped("built in: the sparse embedding tables are stepped by lazy Adam after every step")),
    ("AutoGateS1TrainerCallback", .callback { AutoGateSearchCallback(grda: false) }),
    ("AutoGateGrdaS1TrainerCallback", .callback { AutoGateSearchCallback(grda: true) }),
    ("AutoGateS2TrainerCallback", .callback { AutoGateRetrainCallback("AutoGateS2TrainerCallback") }),
    ("AutoGateGrdaS2TrainerCallback", .callback { AutoGateRetrainCallback("AutoGateGrdaS2TrainerCallback") }),
    // DARTS: the α steps of the supernet search, and drop-path while the derived network trains.
    ("DartsTrainerCallback", .callback { DartsTrainerCallback() }),
    ("DartsFullTrainerCallback", .callback { DartsFullTrainerCallback() }),
  ]

  /// The registry's built-ins: each name's factory.
  static var factories: [(String, CallbackRegistry.Factory)] {
    entries.map { e in
      switch e.kind {
      case .mapped(let how): return (e.name, { MappedVegaCallback(e.name, how: how) })
      case .callback(let make): return (e.name, make)
      }
    }
  }
}

/// A VEGA callback whose work Lyra does another way (`VegaCallbackNames`): no hooks.
final class MappedVegaCallback: TrainerCallback {
  let vegaName: String
  let how: String
  init(_ name: String, how: String) {
    vegaName = name
    self.how = how
  }
  override var name: String { vegaName }
}

/// VEGA's PbtTrainerCallback: the replay itself is HpsScheduleReplay, which the trainer
/// adds whenever a PBT search handed on `trainer.hps_schedule`. This one only says, once,
/// when there is nothing to replay (the step's hyper-parameters came from no PBT search),
/// where VEGA's callback would fail on the missing `all_configs`.
final class PbtScheduleNote: TrainerCallback {
  override var name: String { "PbtTrainerCallback" }
  override func beforeTrain() throws {
    guard let t = trainer, t.config.hpsSchedule == nil else { return }
    t.log("PbtTrainerCallback: no PBT schedule among this step's hyper-parameters (trainer.hps_schedule, handed on by a PBTHpo step " +
          "through hps_file or models_folder); training with fixed values")
  }
}
