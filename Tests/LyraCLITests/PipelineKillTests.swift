import Foundation
import XCTest
import LyraBase

/// Issue 14: kills INSIDE every search step kind — NAS, PBA, compression (HPO and
/// fully_train are in PipelineResumeTests) — at seeded moments reached through the
/// self-kill switch, then resume: the trials and the final metrics equal an
/// uninterrupted run's. Budgets are tiny (few samples, 1-2 epochs) to keep CI fast.
final class PipelineKillTests: XCTestCase {
  func check(_ name: String, _ yaml: String, kills: [String]) throws {
    let run = try PipelineKillRun(name)
    defer { run.remove() }
    let reference = try run.reference(try run.config("a", yaml), "a")
    XCTAssertGreaterThan(reference.filter { $0.hasPrefix("  #") }.count, 2, reference.joined(separator: "\n"))
    let resumed = try run.killed(try run.config("b", yaml), "b", at: kills)
    XCTAssertEqual(resumed, reference, "kills at \(kills)")
  }

  /// 3 ResNet trials of one epoch (2 batches each): a kill mid-epoch, then one right
  /// after a trial was claimed.
  func testNASKilledMidEpochAndAtAClaim() throws {
    var dice = KillDice(seed: 1)
    try check("nas", """
      general: {seed: 1, task: {local_base_path: BASE}}
      pipeline: [nas]
      nas:
        pipe_step: {type: SearchPipeStep}
        dataset: {type: FashionMnist, common: {batch_size: 32}, train: {max_samples: 64}, test: {max_samples: 32}}
        search_algorithm: {type: BackboneNas, codec: BackboneNasCodec, objective_keys: [accuracy, flops],
                           policy: {num_mutate: 2, random_ratio: 0.2}, range: {max_sample: 3, min_sample: 2}}
        search_space:
          hyperparameters:
            - {key: network.backbone.depth, type: CATEGORY, range: [18]}
            - {key: network.backbone.base_channel, type: CATEGORY, range: [4, 8]}
            - {key: network.backbone.doublechannel, type: CATEGORY, range: [1, 2]}
            - {key: network.backbone.downsample, type: CATEGORY, range: [1, 2]}
        model: {model_desc: {modules: [backbone], backbone: {type: ResNet, num_class: 10}}}
        trainer: {type: Trainer, epochs: 1}
      """, kills: ["nas:batch:\(dice.roll(1...3))", "nas:claim:\(dice.roll(1...2))"])
  }

  /// PBA's trials continue from other trials' checkpoints (exploit): a kill mid-trial
  /// must neither lose nor double a member's epochs.
  func testPBAKilledAfterAnEpochAndAfterAStoredTrial() throws {
    var dice = KillDice(seed: 2)
    try check("pba", """
      general: {seed: 0, task: {local_base_path: BASE}}
      pipeline: [pba]
      pba:
        pipe_step: {type: SearchPipeStep}
        dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 128}, test: {max_samples: 64}}
        search_algorithm: {type: PBAHpo, objective_keys: accuracy,
                           policy: {config_count: 4, each_epochs: 1, total_rungs: 2, ops: [Rotate, Cutout, Invert], start: random}}
        search_space: {hyperparameters: []}
        model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [16]}}}
        trainer: {type: Trainer, epochs: 2, optimizer: {type: SGD, params: {lr: 0.05, momentum: 0.9}}}
      """, kills: ["pba:epoch:\(dice.roll(1...4))", "pba:trial:\(dice.roll(1...2))"])
  }

  /// Compression starts from the trained model of an earlier step; kills land inside
  /// the pruning search's fine-tuning and between a result and its commit.
  func testPruneEAKilledMidFineTuneAndBeforeAResultIsStored() throws {
    var dice = KillDice(seed: 3)
    try check("prune", """
      general: {seed: 0, task: {local_base_path: BASE}}
      pipeline: [fully_train, prune]
      fully_train:
        pipe_step: {type: TrainPipeStep}
        dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 192}, test: {max_samples: 64}}
        model: {model_desc: {modules: [backbone], backbone: {type: SimpleCnn, channels: 8, hidden: 16}}}
        trainer: {epochs: 1, optimizer: {type: SGD, params: {lr: 0.05, momentum: 0.9}}, metric: {type: accuracy, params: {topk: [1]}}}
      prune:
        pipe_step: {type: SearchPipeStep}
        dataset: {ref: fully_train.dataset}
        search_algorithm: {type: PruneEA, objective_keys: [accuracy, flops],
                           policy: {num_individual: 2, num_generation: 1, random_samples: 2, min_keep: 0.25}}
        model: {models_folder: "{local_base_path}/output/fully_train/"}
        trainer: {ref: fully_train.trainer}
      """, kills: ["prune:batch:\(dice.roll(1...5))", "prune:result:\(dice.roll(1...2))"])
  }
}
