import Foundation
import XCTest
import LyraBase
import LyraNN
@testable import LyraPipeline

/// VEGA's TimmTrainerCallback configs (examples/fully_train/efficientnet) in Lyra's form.
final class TimmTrainerSectionTests: XCTestCase {
  func load(_ trainer: String, extra: String = "") throws -> PipelineConfig {
    try PipelineConfig(document: try YAMLDocument(text: """
      pipeline: [fully_train]
      fully_train:
        pipe_step: {type: TrainPipeStep}
        dataset: {type: FashionMnist\(extra)}
        trainer:
      \(trainer.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
      """, file: "timm.yml"), taskFolder: "/tmp/task-timm")
  }

  static let example = """
    type: Trainer
    callbacks: TimmTrainerCallback
    epochs: 10
    optimizer: {params: {opt: rmsproptf, lr: 0.256, opt_eps: 0.001, momentum: 0.9, weight_decay: 1.0e-5}}
    lr_scheduler: {params: {sched: step, decay_epochs: 3.0, decay_rate: 0.963, warmup_lr: 0.0001, warmup_epochs: 5}}
    loss: {type: LabelSmoothingCrossEntropy, params: {smoothing: 0.1}}
    model_desc: {model_name: efficientnet_b0, pretrained: false, num_classes: 10, drop: 0.2, drop_path: 0.2, gp: avg, bn_tf: false, bn_momentum: null, bn_eps: null, initial_checkpoint: null}
    model_ema: {model_ema_decay: 0.9999, model_ema_force_cpu: false}
    dataset: {data_dir: /cache/x, input_size: [3, 224, 224], batch_size: 16, reprob: 0.0, aa: null, mean: [0.5], std: [0.5], workers: 8}
    prefetcher: true
    model_name: effcientnet.pickle
    ckpt_name: efficientnet_fully_train.pth
    """

  func testExampleBecomesLyrasForm() throws {
    let c = try load(Self.example)
    let s = c.steps[0].section
    let t = try TrainerConfig(json: s["trainer"]!, path: "fully_train.trainer")
    XCTAssertEqual(t.callbacks, [])
    XCTAssertEqual(t.optimizer.type, "RMSprop")
    XCTAssertEqual(t.optimizer.params["eps"]?.double, 0.001)
    XCTAssertEqual(t.optimizer.params["alpha"]?.double, 0.9)
    XCTAssertEqual(t.optimizer.params["momentum"]?.double, 0.9)
    XCTAssertEqual(t.optimizer.params["weight_decay"]?.double, 1e-5)
    XCTAssertEqual(t.lrScheduler?.type, "TimmScheduler")
    XCTAssertTrue(t.schedulerByEpoch)
    XCTAssertEqual(s["model"]?["model_desc"]?["type"]?.string, "EfficientNet")
    XCTAssertEqual(s["model"]?["model_desc"]?["drop_path"]?.double, 0.2)
    XCTAssertEqual(s["dataset"]?["common"]?["batch_size"]?.int, 16, "the loader's batch size")
    let warnings = c.warnings.map(\.description).joined(separator: "\n")
    XCTAssertTrue(warnings.contains("rmsproptf runs as PyTorch's RMSprop"), warnings)
    XCTAssertTrue(warnings.contains("aa, data_dir, input_size, mean, reprob, std, workers are not applied"), warnings)
    XCTAssertTrue(warnings.contains("model_ema: no weight average"), warnings)
  }

  func testUnknownTimmKeysAreErrors() {
    func problem(_ trainer: String) -> String {
      let yaml = """
        pipeline: [fully_train]
        fully_train:
          pipe_step: {type: TrainPipeStep}
          dataset: {type: FashionMnist}
          model: {model_desc: {type: MLP}}
          trainer:
        \(trainer.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
        """
      do { _ = try Pipeline(document: try YAMLDocument(text: yaml, file: "timm.yml")); return "" } catch { return "\(error)" }
    }
    let base = "callbacks: [TimmTrainerCallback]\n"
    XCTAssertTrue(problem(base + "optimizer: {params: {opt: sgd, opt_epz: 0.1}}").contains("optimizer.params.opt_epz: unknown key 'opt_epz' for TimmTrainerCallback (did you mean 'opt_eps'?)"))
    XCTAssertTrue(problem(base + "optimizer: {params: {opt: lamb}}").contains("timm optimizer 'lamb' is not supported"))
    XCTAssertTrue(problem(base + "lr_scheduler: {params: {sched: step, decay_epoch: 2}}").contains("unknown key 'decay_epoch'"))
    XCTAssertTrue(problem(base + "dataset: {batch_sise: 2}").contains("dataset.batch_sise: unknown key"))
    XCTAssertTrue(problem(base + "model_ema: {decay: 0.9}").contains("model_ema.decay: unknown key"))
    // Without the callback the timm form is not Lyra's: the usual errors.
    XCTAssertTrue(problem("lr_scheduler: {params: {sched: step}}").contains("missing 'type'"))
  }

  func testSchedulerErrorsNameTheKey() throws {
    let spec = ComponentSpec(type: "TimmScheduler", params: ["sched": .string("plateau")])
    XCTAssertThrowsError(try SchedulerFactory.make(spec)) { XCTAssertTrue("\($0)".contains("params.sched: 'plateau' is not supported"), "\($0)") }
    let cooldown = ComponentSpec(type: "TimmScheduler", params: ["cooldown_epochs": .number(10)])
    XCTAssertThrowsError(try SchedulerFactory.make(cooldown)) { XCTAssertTrue("\($0)".contains("cooldown_epochs: only 0"), "\($0)") }
  }

  /// timm's StepLRScheduler with warm-up, by its formula: epochs 0–4 climb from warmup_lr
  /// linearly; then base·0.963^⌊t/3⌋ with t counted from 0 (epoch 5: one decay; 6: two).
  func testStepScheduleMatchesTimmsFormula() throws {
    let s = try SchedulerFactory.make(ComponentSpec(type: "TimmScheduler", params: [
      "sched": .string("step"), "decay_epochs": .number(3), "decay_rate": .number(0.963), "warmup_lr": .number(1e-4),
      "warmup_epochs": .number(5), "epochs": .number(10)]))
    let base = 0.256
    for t in 0..<5 { XCTAssertEqual(s.rate(at: t, base: base), 1e-4 + Double(t) * (base - 1e-4) / 5, accuracy: 1e-12) }
    XCTAssertEqual(s.rate(at: 5, base: base), base * 0.963, accuracy: 1e-12)
    XCTAssertEqual(s.rate(at: 6, base: base), base * 0.963 * 0.963, accuracy: 1e-12)
    XCTAssertEqual(s.rate(at: 8, base: base), base * 0.963 * 0.963, accuracy: 1e-12)
    let cos = try SchedulerFactory.make(ComponentSpec(type: "TimmScheduler", params: [
      "sched": .string("cosine"), "warmup_epochs": .number(0), "min_lr": .number(0.01), "epochs": .number(4)]))
    XCTAssertEqual(cos.rate(at: 0, base: 1), 1, accuracy: 1e-12)
    XCTAssertEqual(cos.rate(at: 2, base: 1), 0.505, accuracy: 1e-12)
    XCTAssertEqual(cos.rate(at: 7, base: 1), 0.01, accuracy: 1e-12)
  }

  /// The example's trainer, trimmed to a tiny budget, trains a small EfficientNet.
  func testTimmTrainerRunsThroughThePipeline() throws {
    let (p, s) = try TinyPipelineRun.run("timm") { base in
      """
        general: {seed: 1, task: {local_base_path: \(base)}}
        pipeline: [fully_train]
        fully_train:
          pipe_step: {type: TrainPipeStep}
          dataset: {type: FashionMnist, train: {max_samples: 16}, test: {max_samples: 16}}
          trainer:
            callbacks: TimmTrainerCallback
            epochs: 1
            optimizer: {params: {opt: rmsproptf, lr: 0.01, opt_eps: 0.001, momentum: 0.9, weight_decay: 1.0e-5}}
            lr_scheduler: {params: {sched: step, decay_epochs: 3.0, decay_rate: 0.963, warmup_lr: 0.0001, warmup_epochs: 5}}
            loss: {type: LabelSmoothingCrossEntropy, params: {smoothing: 0.1}}
            model_desc: {model_name: efficientnet_b0, num_classes: 10, drop: 0.2, drop_path: 0.2, small_input: false}
            dataset: {batch_size: 16}
        """
    }
    XCTAssertEqual(s.steps.map(\.status), ["finished"])
    let r = try XCTUnwrap(p.records["fully_train"]?.first)
    XCTAssertEqual(r.status, .finished, r.message ?? "")
    XCTAssertEqual(r.desc["type"]?.string, "EfficientNet")
  }
}
