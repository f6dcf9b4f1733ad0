import Foundation
import LyraBase
import LyraData
import LyraNN
import LyraTensor
import XCTest
@testable import LyraPipeline

final class TrainerTests: XCTestCase {
  func json(_ text: String) throws -> JSON { try JSON.parse(Data(text.utf8)) }

  func quietTrainer(_ cfg: String, model: Module, train: DataLoader?, valid: DataLoader?, dir: String? = nil) throws -> Trainer {
    let t = try Trainer(json: try json(cfg), model: model, train: train, valid: valid, workDir: dir)
    t.log = { _ in }
    return t
  }

  /// The reference MLP on a Fashion-MNIST subset, loaders built from a VEGA dataset
  /// section: ~280 SGD steps lift validation accuracy far above chance (10%).
  func testTrainsReferenceMLPOnFashionMNIST() throws {
    try XCTSkipUnless(FileManager.default.fileExists(atPath: FashionMNIST.defaultRoot + "/train-images-idx3-ubyte.gz"),
                      "Fashion-MNIST is not installed")
    let data = try DatasetSection(json: try json("""
      {"type": "FashionMnist", "common": {"batch_size": 32}, "train": {"max_samples": 3000, "seed": 1},
       "val": {"max_samples": 1000}}
      """))
    let train = try data.loader(.train), valid = try data.loader(.val)
    XCTAssertEqual(train.dataset.count, 3000)
    XCTAssertEqual(valid.dataset.count, 1000)
    XCTAssertTrue(train.shuffle)
    let t = try quietTrainer("""
      {"type": "Trainer", "epochs": 3, "optimizer": {"type": "SGD", "params": {"lr": 0.05, "momentum": 0.9}},
       "lr_scheduler": {"type": "StepLR", "params": {"step_size": 2, "gamma": 0.5}},
       "metric": {"type": "accuracy", "params": {"topk": [1, 5]}}, "report_freq": 50}
      """, model: ReferenceModels.mlp(generator: LyraBase.Generator(seed: 0)), train: train, valid: valid)
    var reports: [TrainerReport] = []
    t.reporter = { reports.append($0) }
    let start = Date()
    let r = try t.train()
    print("MLP 3 epochs: \(Date().timeIntervalSince(start)) s, \(r.performance)")
    XCTAssertEqual(t.globalStep, 3 * 94)
    XCTAssertGreaterThan(r.best["accuracy"]!, 0.6)
    XCTAssertGreaterThan(r.best["accuracy_top5"]!, r.best["accuracy_top1"]!)
    XCTAssertEqual(r.performance["params"]!, 235.146, accuracy: 1e-9)  // K parameters
    XCTAssertEqual(reports.map(\.final), [false, false, false, true])
    XCTAssertEqual(reports.map(\.epoch), [1, 2, 3, 3])
    XCTAssertEqual(r.objectives["accuracy"], .maximize)
    XCTAssertEqual(r.objectives["flops"], .minimize)
    XCTAssertEqual(t.optimizer!.lr, 0.025, accuracy: 1e-12)  // StepLR: halved once after epoch 2, not yet again
  }

  func testCallbacksRunInVEGAOrder() throws {
    let box = RecordingCallback.Box()
    let name = "Recorder\(UUID().uuidString.prefix(6))"
    CallbackRegistry.register(name) { RecordingCallback("user", priority: 100, sink: box) }
    defer { CallbackRegistry.unregister(name) }
    let ds = Synthetic.dataset(count: 8, seed: 1)
    let t = try quietTrainer("{\"epochs\": 1, \"callbacks\": [\"\(name)\"]}", model: Synthetic.model(seed: 1),
                             train: DataLoader(ds, batchSize: 4, prefetch: 0), valid: DataLoader(ds, batchSize: 8, prefetch: 0))
    t.add(RecordingCallback("late", priority: 265, sink: box))
    t.add(RecordingCallback("mid", priority: 235, sink: box))
    XCTAssertEqual(t.callbacks.map(\.name), ["user", "SparseTablesCallback", "ModelBuilder", "ModelStatistics", "MetricsEvaluator", "mid", "ModelCheckpoint",
                                             "PerformanceSaver", "LearningRateScheduler", "late", "ProgressLogger", "ReportCallback"])
    XCTAssertEqual(t.callbacks.map(\.priority), [100, 150, 200, 220, 230, 235, 240, 250, 260, 265, 270, 280])
    try t.train()
    let userCalls = box.calls.filter { $0.hasPrefix("user.") }.map { String($0.dropFirst(5)) }
    XCTAssertEqual(userCalls, ["init_trainer", "before_train", "before_epoch(0)", "before_train_step(0)", "after_train_step(0)",
                               "before_train_step(1)", "after_train_step(1)", "before_valid", "before_valid_step(0)",
                               "after_valid_step(0)", "after_valid", "after_epoch(0)", "after_train"])
    // Within each hook, lower priority first.
    XCTAssertEqual(box.calls.filter { $0.hasSuffix(".after_epoch(0)") }, ["user.after_epoch(0)", "mid.after_epoch(0)", "late.after_epoch(0)"])
    // MetricsEvaluator (230) has produced this epoch's values before "mid" (235) runs.
  }

  /// Interrupted after 2 of 4 epochs and resumed in a fresh trainer with a freshly
  /// initialised model: the weights after epoch 4 are bit-identical to an
  /// uninterrupted run (Adam state, StepLR position, shuffle order and dropout all resume).
  func testResumeFromCheckpointIsBitIdentical() throws {
    let ds = Synthetic.dataset(count: 96, seed: 2), val = Synthetic.dataset(count: 32, seed: 3)
    func loaders() -> (DataLoader, DataLoader) {
      (DataLoader(ds, batchSize: 16, shuffle: true, seed: 5, prefetch: 0), DataLoader(val, batchSize: 16, prefetch: 0))
    }
    let cfg = { (epochs: Int) in """
      {"epochs": \(epochs), "seed": 11, "optimizer": {"type": "Adam", "params": {"lr": 0.01}},
       "lr_scheduler": {"type": "StepLR", "params": {"step_size": 1, "gamma": 0.7}}, "grad_clip": 5.0}
      """ }
    let dirA = TrainerTempDir(), dirB = TrainerTempDir()
    let (ta, va) = loaders()
    let a = try quietTrainer(cfg(4), model: Synthetic.model(seed: 1, dropout: true), train: ta, valid: va, dir: dirA.path)
    let ra = try a.train()

    let (tb, vb) = loaders()
    let b1 = try quietTrainer(cfg(2), model: Synthetic.model(seed: 1, dropout: true), train: tb, valid: vb, dir: dirB.path)
    try b1.train()
    XCTAssertTrue(FileManager.default.fileExists(atPath: dirB.path + "/checkpoint.safetensors"))
    let (tc, vc) = loaders()
    let b2 = try quietTrainer(cfg(4), model: Synthetic.model(seed: 99, dropout: true), train: tc, valid: vc, dir: dirB.path)
    let rb = try b2.train()
    XCTAssertEqual(b2.startEpoch, 2)
    XCTAssertEqual(b2.globalStep, a.globalStep)
    let wa = a.model!.stateDict(), wb = b2.model!.stateDict()
    XCTAssertEqual(Set(wa.keys), Set(wb.keys))
    for (k, v) in wa { XCTAssertEqual(v.toArray(), wb[k]!.toArray(), "weights differ at \(k)") }
    XCTAssertEqual(a.optimizer!.lr, b2.optimizer!.lr)
    XCTAssertEqual(ra.performance, rb.performance)
    XCTAssertEqual(ra.best, rb.best)
    // Files: best weights + description and the performance JSON.
    XCTAssertTrue(FileManager.default.fileExists(atPath: dirA.path + "/model_0.safetensors"))
    let perf = try JSON.parse(Data(contentsOf: URL(fileURLWithPath: dirA.path + "/performance_0.json")))
    XCTAssertEqual(perf["epoch"]?.int, 4)
    XCTAssertNotNil(perf["accuracy"]?.double)

    // A different seed really gives different weights (the test can fail).
    let (td, vd) = loaders()
    let c = try quietTrainer(cfg(4).replacingOccurrences(of: "\"seed\": 11", with: "\"seed\": 12"),
                             model: Synthetic.model(seed: 1, dropout: true), train: td, valid: vd)
    try c.train()
    XCTAssertNotEqual(c.model!.stateDict()["3.weight"]!.toArray(), wa["3.weight"]!.toArray())

    // A promotion: the same directory with more epochs continues from epoch 4.
    let (te, ve) = loaders()
    let p = try quietTrainer(cfg(5), model: Synthetic.model(seed: 1, dropout: true), train: te, valid: ve, dir: dirA.path)
    try p.train()
    XCTAssertEqual(p.startEpoch, 4)
    XCTAssertEqual(p.globalStep, 5 * 6)
  }

  func testNaNLossIsADivergedFailure() throws {
    let ds = Synthetic.dataset(count: 64, seed: 4)
    let t = try quietTrainer("""
      {"epochs": 20, "optimizer": {"type": "SGD", "params": {"lr": 1e6, "momentum": 0.9}}, "lr_scheduler": null}
      """, model: Synthetic.model(seed: 2), train: DataLoader(ds, batchSize: 16, prefetch: 0), valid: nil)
    XCTAssertThrowsError(try t.train()) { e in
      guard case TrainerError.diverged(let epoch, let step, let loss)? = e as? TrainerError else { return XCTFail("\(e)") }
      XCTAssertFalse(loss.isFinite)
      XCTAssertLessThan(epoch, 20)
      XCTAssertTrue((e as! TrainerError).isTrialFailure)
      print("diverged at epoch \(epoch) step \(step)")
    }
  }

  func testInterruptStopsAtTheNextStep() throws {
    let ds = Synthetic.dataset(count: 64, seed: 4)
    let t = try quietTrainer("{\"epochs\": 3}", model: Synthetic.model(seed: 2), train: DataLoader(ds, batchSize: 16, prefetch: 0), valid: nil)
    Interruption.request()
    defer { Interruption.clear() }
    XCTAssertThrowsError(try t.train()) { XCTAssertTrue($0 is Interrupted, "\($0)") }
    XCTAssertEqual(t.globalStep, 0)
  }

  func testConfigErrorsNameKeyAndSuggestion() throws {
    func message(_ text: String) -> String {
      do { _ = try TrainerConfig(json: try json(text)); return "no error" } catch { return "\(error)" }
    }
    XCTAssertEqual(message("{\"epoch\": 3}"), "trainer.epoch: unknown key 'epoch' (did you mean 'epochs'?)")
    XCTAssertTrue(message("{\"valid_intervl\": 3}").contains("did you mean 'valid_interval'"))
    XCTAssertTrue(message("{\"epochs\": \"x\"}").contains("trainer.epochs: expected an integer"))
    XCTAssertTrue(message("{\"optimizer\": {\"type\": \"SGD\", \"parms\": {}}}").contains("unknown key 'parms' (did you mean 'params'?)"))
    // Defaults and VEGA's compatibility keys.
    let d = try TrainerConfig(json: try json("{\"type\": \"Trainer\", \"cuda\": true, \"amp\": false}"))
    XCTAssertEqual(d.epochs, 1)
    XCTAssertEqual(d.optimizer.type, "Adam")
    XCTAssertEqual(d.lrScheduler?.type, "MultiStepLR")
    XCTAssertEqual(d.loss.type, "CrossEntropyLoss")
    // Component names are checked when the trainer is built.
    let ds = Synthetic.dataset(count: 8, seed: 1)
    for (cfg, part) in [("{\"loss\": \"CrossEntropyLos\"}", "did you mean 'CrossEntropyLoss'"),
                        ("{\"lr_scheduler\": {\"type\": \"MultiStepLR\", \"params\": {\"milestone\": [1]}}}", "did you mean 'milestones'"),
                        ("{\"metric\": {\"type\": \"AUC\", \"params\": {\"x\": 1}}}", "unknown key 'x'")] {
      XCTAssertThrowsError(try Trainer(json: try json(cfg), model: Synthetic.model(seed: 1), train: DataLoader(ds, batchSize: 4))) { e in
        XCTAssertTrue("\(e)".contains(part), "\(e)")
      }
    }
    let t = try quietTrainer("{\"optimizer\": {\"type\": \"SGD\", \"params\": {\"lr\": 0.1, \"momentun\": 0.9}}}",
                             model: Synthetic.model(seed: 1), train: DataLoader(ds, batchSize: 4), valid: nil)
    XCTAssertThrowsError(try t.train()) { XCTAssertTrue("\($0)".contains("momentun"), "\($0)") }
  }

  func testModelBuilderAndEvaluator() throws {
    let ds = Synthetic.dataset(count: 120, seed: 6)
    let t = try Trainer(json: try json("""
      {"epochs": 4, "optimizer": {"type": "Adam", "params": {"lr": 0.02}}, "metric": [{"type": "accuracy", "params": {"topk": [1]}}, "F1"],
       "model_desc": {"type": "Sequential", "modules": [{"type": "Linear", "in_features": 8, "out_features": 16}, {"type": "ReLU"},
                     {"type": "Linear", "in_features": 16, "out_features": 3}]}}
      """), train: DataLoader(ds, batchSize: 12, shuffle: true, prefetch: 0), valid: DataLoader(ds, batchSize: 40, prefetch: 0))
    var lines: [String] = []
    t.log = { lines.append($0) }
    let r = try t.train()
    XCTAssertNotNil(t.model)
    XCTAssertNotNil(r.performance["F1"])
    XCTAssertTrue(lines.contains { $0.hasPrefix("epoch 4/4 valid") }, "\(lines)")
    let ev = try Evaluator(json: try json("{\"type\": \"Evaluator\", \"host_evaluator\": {\"type\": \"HostEvaluator\", \"metric\": {\"type\": \"accuracy\", \"params\": {\"topk\": [1]}}}}"))
    let perf = try ev.evaluate(t.model!, on: DataLoader(ds, batchSize: 40, prefetch: 0))
    XCTAssertEqual(perf["accuracy"]!, r.performance["accuracy"]!, accuracy: 1e-12)
  }
}
