import Foundation
import XCTest
import LyraBase
import LyraData
import LyraNN
import LyraSearch
import LyraSpace
@testable import LyraPipeline

/// PBT's product reaches fully_train as a schedule (VEGA's PbtTrainerCallback): the
/// hand-off lists the best lineage's optimiser parameters per segment, and training
/// replays a planted schedule epoch by epoch, stretched as VEGA stretches it.
final class PBTScheduleTests: XCTestCase {
  func json(_ text: String) throws -> JSON { try YAMLDocument(text: text).value }

  /// Records, before every epoch's first step, the rate and momentum the optimiser uses.
  final class Probe: TrainerCallback {
    var lrAt: [Int: Double] = [:], momentumAt: [Int: Double] = [:]
    override var priority: Int { 300 }
    override func beforeTrainStep(_ step: Int) throws {
      guard let t = trainer, let o = t.optimizer, lrAt[t.epoch] == nil else { return }
      lrAt[t.epoch] = o.lr
      momentumAt[t.epoch] = o.hyperparameters["momentum"] ?? .nan
    }
    var lr: [Double] { lrAt.keys.sorted().map { lrAt[$0]! } }
    var momentum: [Double] { momentumAt.keys.sorted().map { momentumAt[$0]! } }
  }

  let planted = """
    {search_epochs: 3, segments: [{from_epoch: 0, params: {lr: 0.1, momentum: 0.5}},
                                  {from_epoch: 1, params: {lr: 0.02, momentum: 0.5}},
                                  {from_epoch: 2, params: {lr: 0.005, momentum: 0.9}}]}
    """

  func train(epochs: Int, scheduler: String = "null") throws -> Probe {
    let cfg = try json("""
      {epochs: \(epochs), optimizer: {type: SGD, params: {lr: 0.7, momentum: 0.1}}, lr_scheduler: \(scheduler),
       hps_schedule: \(planted)}
      """)
    let ds = Synthetic.dataset(count: 32, seed: 4)
    let t = try Trainer(json: cfg, model: Synthetic.model(seed: 2), train: DataLoader(ds, batchSize: 16, prefetch: 0), valid: nil)
    t.log = { _ in }
    let p = Probe()
    t.add(p)
    try t.train()
    return p
  }

  func testPlantedScheduleIsReplayedEpochByEpoch() throws {
    let p = try train(epochs: 3)
    XCTAssertEqual(p.lr, [0.1, 0.02, 0.005])
    XCTAssertEqual(p.momentum, [0.5, 0.5, 0.9])
    // Twice the search's epochs: each segment twice as long (VEGA's stretch).
    XCTAssertEqual(try train(epochs: 6).lr, [0.1, 0.1, 0.02, 0.02, 0.005, 0.005])
    // The scheduled rate is the base the trainer's lr_scheduler scales.
    let s = try train(epochs: 3, scheduler: "{type: MultiStepLR, params: {milestones: [2], gamma: 0.1}}").lr
    XCTAssertEqual(s[0], 0.1, accuracy: 1e-12)
    XCTAssertEqual(s[1], 0.02, accuracy: 1e-12)
    XCTAssertEqual(s[2], 0.0005, accuracy: 1e-12)
  }

  /// Stops the training (as Ctrl-C would) after the checkpoint of epoch `after` is written.
  final class StopAfter: TrainerCallback {
    let after: Int
    init(_ after: Int) { self.after = after }
    override var priority: Int { 300 }
    override func afterEpoch(_ epoch: Int) throws { if epoch == after { Interruption.request() } }
  }

  /// A training stopped after epoch 1 and resumed from its checkpoint uses the same
  /// rates for the epochs left, and ends with the same weights, as an uninterrupted one.
  func testResumedTrainingReplaysTheSameRates() throws {
    let ds = Synthetic.dataset(count: 32, seed: 4)
    let cfg = try json("{epochs: 6, optimizer: {type: SGD, params: {lr: 0.7, momentum: 0.1}}, lr_scheduler: null, hps_schedule: \(planted)}")
    func trainer(_ dir: String, _ model: Module) throws -> (Trainer, Probe) {
      let t = try Trainer(json: cfg, model: model, train: DataLoader(ds, batchSize: 16, prefetch: 0), valid: nil, workDir: dir)
      t.log = { _ in }
      let p = Probe()
      t.add(p)
      return (t, p)
    }
    let a = TrainerTempDir(), b = TrainerTempDir()
    let whole = Synthetic.model(seed: 2)
    let (full, fullProbe) = try trainer(a.path, whole)
    try full.train()
    let (first, _) = try trainer(b.path, Synthetic.model(seed: 2))
    first.add(StopAfter(1))
    XCTAssertThrowsError(try first.train()) { XCTAssertTrue($0 is Interrupted, "\($0)") }
    Interruption.clear()
    let resumedModel = Synthetic.model(seed: 9)
    let (resumed, probe) = try trainer(b.path, resumedModel)
    try resumed.train()
    XCTAssertEqual(resumed.startEpoch, 2)
    XCTAssertEqual(fullProbe.lr, [0.1, 0.1, 0.02, 0.02, 0.005, 0.005])
    XCTAssertEqual(fullProbe.momentum, [0.5, 0.5, 0.5, 0.5, 0.9, 0.9])
    XCTAssertEqual(probe.lrAt.keys.sorted(), [2, 3, 4, 5])
    for e in 2...5 {
      XCTAssertEqual(probe.lrAt[e], fullProbe.lrAt[e])
      XCTAssertEqual(probe.momentumAt[e], fullProbe.momentumAt[e])
    }
    XCTAssertEqual(resumedModel.parameters().flatMap { $0.toArray() }, whole.parameters().flatMap { $0.toArray() })
  }

  func testScheduleErrorsNameTheKey() throws {
    let bad: [(String, String)] = [
      ("{search_epochs: 3, segments: [{from_epoch: 1, params: {lr: 0.1}}]}", "hps_schedule.segments[0].from_epoch: the first segment must start at epoch 0"),
      ("{search_epochs: 3, segments: [{from_epoch: 0, params: {lr: x}}]}", "hps_schedule.segments[0].params.lr: expected a number"),
      ("{search_epoch: 3, segments: []}", "hps_schedule.search_epoch: unknown key 'search_epoch' (did you mean 'search_epochs'?)"),
    ]
    for (text, message) in bad {
      XCTAssertThrowsError(try TrainerConfig(json: try json("{hps_schedule: \(text)}")), text) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
    }
    // A parameter the optimiser lacks fails the training with the key, not a crash.
    let ds = Synthetic.dataset(count: 16, seed: 4)
    let t = try Trainer(json: try json("{optimizer: {type: Adam}, hps_schedule: {search_epochs: 1, segments: [{from_epoch: 0, params: {momentum: 0.9}}]}}"),
                        model: Synthetic.model(seed: 2), train: DataLoader(ds, batchSize: 16, prefetch: 0), valid: nil)
    t.log = { _ in }
    XCTAssertThrowsError(try t.train()) { XCTAssertTrue("\($0)".contains("segments[0].params.momentum: Adam has no hyper-parameter 'momentum'"), "\($0)") }
  }

  /// The hand-off's segments are the lineage's rates: every segment of `PBT.schedule(of:)`
  /// (the trial's chain through the donors it copied) at its budget.
  func testHandOffListsTheBestLineagesRates() throws {
    let space = try SearchSpace(parameters: [
      try Hyperparameter(key: "trainer.optimizer.params.lr", type: .floatExp, range: [0.001, 0.1]),
      try Hyperparameter(key: "dataset.batch_size", type: .category, range: [16, 32]),
    ])
    let pbt = PBT(space: space, objectives: [Objective("accuracy", .maximize)], seed: 3, population: 4, perturbationInterval: 2, maxBudget: 8)
    var quality: [Int: Double] = [:]
    while let t = pbt.ask() {
      let q = (t.resumeFrom.flatMap { quality[$0] } ?? 0) + (t.config["trainer.optimizer.params.lr"]?.number ?? 0)
      quality[t.id] = q
      pbt.tell(t.id, TrialResult(["accuracy": q]))
    }
    let best = try XCTUnwrap(pbt.best()).trial
    let s = try XCTUnwrap(PBTHandOff.schedule(of: best.id, in: pbt))
    XCTAssertEqual(s.searchEpochs, 8)
    let chain = pbt.schedule(of: best.id)
    XCTAssertEqual(chain.count, 4)
    XCTAssertGreaterThan(Set(chain.map { $0.config["trainer.optimizer.params.lr"]!.number! }).count, 1, "an exploit changed the rate")
    for (budget, config) in chain {
      XCTAssertEqual(s.segment(forEpoch: Int(budget), of: 8).params["lr"], config["trainer.optimizer.params.lr"]?.number)
      XCTAssertNil(s.segment(forEpoch: Int(budget), of: 8).params["batch_size"], "only the optimiser's parameters")
    }
    // In the record's hps, where TrainStep merges it into the trainer section.
    let r = TrialRecord(step: "pbt", workerID: best.id, desc: .object([:]), hps: .object([:]), objectives: [])
    let handed = PBTHandOff.withSchedule(r, algorithm: pbt)
    XCTAssertEqual(try HpsSchedule(json: try XCTUnwrap(handed.hps["trainer"]?["hps_schedule"]), path: "t"), s)
  }

  /// VEGA's pbt.yml in small: PBTHpo, then fully_train naming PbtTrainerCallback with
  /// `hps_file`; the search's schedule reaches fully_train and the rates it used are the
  /// schedule's (the best lineage may have one segment: the planted test below has three).
  func testPipelineReplaysTheSearchedScheduleInFullyTrain() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-pbt-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: base) }
    let probe = Probe()
    CallbackRegistry.register("TestLrProbe") { probe }
    defer { CallbackRegistry.unregister("TestLrProbe") }
    let p = try Pipeline(document: try YAMLDocument(text: """
      general: {seed: 2, task: {local_base_path: \(base)}}
      pipeline: [pbt, fully_train]
      pbt:
        pipe_step: {type: SearchPipeStep}
        dataset: {type: FashionMnist, common: {batch_size: 32}, train: {max_samples: 64}, test: {max_samples: 32}}
        search_space:
          hyperparameters:
            - {key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.00001, 0.1]}
        search_algorithm: {type: PBTHpo, policy: {each_epochs: 1, config_count: 2, total_rungs: 2}}
        model: {model_desc: {modules: [b], b: {type: MLP, hidden: [4]}}}
        trainer: {type: Trainer, epochs: 1, optimizer: {type: SGD, params: {lr: 0.01}}, lr_scheduler: null}
      fully_train:
        pipe_step: {type: TrainPipeStep}
        dataset: {ref: pbt.dataset}
        model: {ref: pbt.model}
        trainer: {ref: pbt.trainer, callbacks: [PbtTrainerCallback, TestLrProbe], epochs: 4, hps_file: "{local_base_path}/output/pbt/"}
      """, file: "pbt.yml"))
    p.log = { _ in }
    _ = try p.run()
    let trained = try XCTUnwrap(p.records["fully_train"]?.first)
    let s = try HpsSchedule(json: try XCTUnwrap(trained.hps["trainer"]?["hps_schedule"]), path: "t")
    XCTAssertEqual(s.searchEpochs, 2)
    XCTAssertEqual(probe.lr.count, 4)
    for e in 0..<4 { XCTAssertEqual(probe.lr[e], s.segment(forEpoch: e, of: 4).params["lr"]) }
  }

  /// The same hand-on with a planted hps file whose schedule has three segments (a real
  /// search's best lineage may have one, which a training without the replay would match).
  func testPlantedHpsFileIsReplayedByATrainPipeStep() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-pbt-planted-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: base) }
    try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    let hps = JSON.object(["trainer": .object(["optimizer": try json("{params: {lr: 0.005, momentum: 0.9}}"),
                                               "hps_schedule": try json(planted)])])
    try Data(hps.description.utf8).write(to: URL(fileURLWithPath: base + "/hps_3.json"))
    let probe = Probe()
    CallbackRegistry.register("TestLrProbe") { probe }
    defer { CallbackRegistry.unregister("TestLrProbe") }
    let p = try Pipeline(document: try YAMLDocument(text: """
      general: {seed: 2, task: {local_base_path: \(base)/tasks}}
      pipeline: [fully_train]
      fully_train:
        pipe_step: {type: TrainPipeStep}
        dataset: {type: FashionMnist, common: {batch_size: 32}, train: {max_samples: 64}, test: {max_samples: 32}}
        model: {model_desc: {modules: [b], b: {type: MLP, hidden: [4]}}}
        trainer: {type: Trainer, optimizer: {type: SGD, params: {lr: 0.7}}, lr_scheduler: null,
                  callbacks: [PbtTrainerCallback, TestLrProbe], epochs: 3, hps_file: "\(base)/hps_3.json"}
      """, file: "fully.yml"))
    p.log = { _ in }
    _ = try p.run()
    XCTAssertEqual(probe.lr, [0.1, 0.02, 0.005])
    XCTAssertEqual(probe.momentum, [0.5, 0.5, 0.9])
  }
}
