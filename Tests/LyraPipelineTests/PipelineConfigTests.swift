import XCTest
import LyraBase
@testable import LyraPipeline
import LyraSearch

final class PipelineConfigTests: XCTestCase {
  func load(_ text: String, file: String = "cfg.yml") throws -> PipelineConfig {
    try PipelineConfig(document: try YAMLDocument(text: text, file: file), taskFolder: "/tmp/task-1")
  }

  func testVEGABackboneExampleResolvesRefsPlaceholdersAndOldNames() throws {
    let c = try load("""
      pipeline: [nas, fullytrain]
      nas:
        pipe_step: {type: NasPipeStep}
        search_algorithm: {type: BackboneNas, objective_keys: [accuracy, flops]}
        trainer: {type: Trainer, epochs: 1, optimizer: {type: SGD, params: {lr: 0.1}}}
        dataset: {type: FashionMnist, common: {batch_size: 64}}
      fullytrain:
        pipe_step: {type: FullyTrainPipeStep, models_folder: "{local_base_path}/output/nas/"}
        trainer: {ref: nas.trainer, epochs: 160, optimizer: {params: {momentum: 0.9}}}
        dataset: {ref: nas.dataset}
      """)
    XCTAssertEqual(c.steps.map(\.name), ["nas", "fullytrain"])
    XCTAssertEqual(c.steps.map(\.type), ["SearchPipeStep", "TrainPipeStep"])
    let t = c.steps[1].section["trainer"]!
    XCTAssertEqual(t["epochs"], JSON(160))
    XCTAssertEqual(t["type"], .string("Trainer"))
    XCTAssertEqual(t["optimizer"]?["type"], .string("SGD"), "deep merge keeps the referenced type")
    XCTAssertEqual(t["optimizer"]?["params"]?["lr"], .number(0.1))
    XCTAssertEqual(t["optimizer"]?["params"]?["momentum"], .number(0.9))
    XCTAssertEqual(c.steps[1].section["dataset"]?["common"]?["batch_size"], JSON(64))
    XCTAssertEqual(c.steps[1].section["pipe_step"]?["models_folder"], .string("/tmp/task-1/output/nas/"))
  }

  func testErrorsNameFileLineKeyAndSuggestion() {
    func expect(_ text: String, _ fragment: String, line: UInt = #line) {
      XCTAssertThrowsError(try load(text), line: line) { e in XCTAssertTrue("\(e)".contains(fragment), "\(e)", line: line) }
    }
    expect("pipeline: [hpo]\nhpo:\n  pipe_step: {type: SearchPipeStep}\n  trainerr: {epochs: 1}\n",
           "cfg.yml:4: hpo.trainerr: unknown key 'trainerr' (did you mean 'trainer'?)")
    expect("pipeline: [hpo]\nhpo:\n  pipe_step: {type: SerchPipeStep}\n", "hpo.pipe_step.type: unknown pipe step type 'SerchPipeStep' (did you mean 'SearchPipeStep'?)")
    expect("pipeline: [hpo]\nhpo:\n  trainer: {ref: nope.trainer}\n", "cfg.yml:3: hpo.trainer.ref: 'nope.trainer' does not exist")
    expect("pipeline: [a, b]\na:\n  trainer: {ref: b.trainer}\nb:\n  trainer: {ref: a.trainer}\n", "reference cycle")
    expect("pipeline: [hpo]\nhpo: {}\ngeneral:\n  paralel_search: true\n", "general.paralel_search: unknown key 'paralel_search' (did you mean 'parallel_search'?)")
    expect("pipelines: [hpo]\n", "missing 'pipeline'")
    expect("pipeline: [hpo]\nhpo: {}\nhpoo: {}\n", "unknown top-level key 'hpoo' (did you mean 'hpo'?)")
    expect("pipeline: [hpo]\n", "step 'hpo' has no section")
    expect("pipeline: [hpo]\nhpo: {}\ngenral: {seed: 3}\n", "unknown top-level key 'genral' (did you mean 'general'?)")
  }

  /// VEGA ignores a section its `pipeline` leaves out, and so does Lyra, saying so; what a
  /// CPU cannot honour (a cluster, a device, GPU-only trainer switches) is one warning each.
  func testUnlistedSectionsAndGPUOnlySettingsAreWarningsNotErrors() throws {
    let c = try load("""
      general:
        cluster: {master_ip: 10.0.0.1, slaves: [10.0.0.2]}
        device_category: GPU
      pipeline: [fully_train]
      nas:
        pipe_step: {type: SearchPipeStep}
        search_algorithm: {type: NoSuchAlgorithm}
      fully_train:
        pipe_step: {type: TrainPipeStep}
        trainer: {type: Trainer, epochs: 1, amp: true, fp16: true, syncbn: false, cuda: true}
        evaluator: {type: Evaluator, device_evaluator: {type: DeviceEvaluator, hardware: Davinci}}
      """)
    XCTAssertEqual(c.steps.map(\.name), ["fully_train"])
    let text = c.warnings.map(\.description)
    XCTAssertEqual(text.count, 6, "\(text)")
    XCTAssertTrue(text.contains { $0.hasPrefix("cfg.yml:5: nas: section 'nas' is not named in 'pipeline' and is ignored") }, "\(text)")
    XCTAssertTrue(text.contains { $0.contains("general.cluster: VEGA's cluster keys are not used: for several machines give a PostgreSQL store") }, "\(text)")
    XCTAssertTrue(text.contains { $0.contains("general.device_category: 'GPU' is not available") }, "\(text)")
    XCTAssertTrue(text.contains { $0.contains("fully_train.trainer.amp: mixed precision") }, "\(text)")
    XCTAssertTrue(text.contains { $0.contains("fully_train.trainer.fp16: 16-bit training") }, "\(text)")
    XCTAssertTrue(text.contains { $0.contains("fully_train.evaluator.device_evaluator: latency on Ascend/ARM") }, "\(text)")
    XCTAssertFalse(text.contains { $0.contains("syncbn") || $0.contains("cuda") }, "switched off, or meaningful everywhere: no warning")
    // The evaluator section itself reads (device_evaluator accepted).
    XCTAssertNoThrow(try Evaluator(json: c.steps[0].section["evaluator"]!, path: "fully_train.evaluator"))
    XCTAssertNoThrow(try TrainerConfig(json: c.steps[0].section["trainer"]!, path: "fully_train.trainer"))
    // A plain config warns about nothing.
    XCTAssertEqual(try load("pipeline: [hpo]\nhpo: {trainer: {epochs: 1, amp: false, opt_level: O0}}\n").warnings.count, 0)
  }
}

final class SearchAlgorithmFactoryTests: XCTestCase {
  let asha = """
    pipeline: [hpo]
    hpo:
      pipe_step: {type: SearchPipeStep}
      dataset: {type: FashionMnist, common: {batch_size: 256}}
      search_algorithm: {type: AshaHpo, policy: {total_epochs: 9}}
      search_space:
        hyperparameters:
          - {key: dataset.batch_size, type: CATEGORY, range: [8, 16, 32, 64, 128, 256]}
          - {key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.00001, 0.1]}
          - {key: trainer.optimizer.type, type: CATEGORY, range: [Adam, SGD]}
          - {key: trainer.optimizer.params.momentum, type: FLOAT, range: [0.0, 0.99]}
        condition: [{key: c1, child: trainer.optimizer.params.momentum, parent: trainer.optimizer.type, type: EQUAL, range: [SGD]}]
      trainer: {type: Trainer, epochs: 1}
    """

  func testThePapersAshaExampleBuildsAnASHASearch() throws {
    let c = try PipelineConfig(document: try YAMLDocument(text: asha, file: "asha.yml"))
    let made = try SearchAlgorithmFactory.make(step: "hpo", section: c.steps[0].section, seed: 0, config: c)
    XCTAssertTrue(made.algorithm is ASHA)
    XCTAssertEqual(made.objectives, [Objective("accuracy", .maximize)])
    let t = made.algorithm.ask()!
    XCTAssertEqual(t.budget, 1)
    XCTAssertNotNil(t.config["trainer.optimizer.params.lr"])
  }

  func testUnknownAlgorithmAndPolicyKeysNameTheLine() throws {
    let bad = asha.replacingOccurrences(of: "policy: {total_epochs: 9}", with: "policy: {total_epoch: 9}")
    let c = try PipelineConfig(document: try YAMLDocument(text: bad, file: "asha.yml"))
    XCTAssertThrowsError(try SearchAlgorithmFactory.make(step: "hpo", section: c.steps[0].section, seed: 0, config: c)) { e in
      XCTAssertTrue("\(e)".contains("asha.yml:5: hpo.search_algorithm.policy.total_epoch: unknown policy key 'total_epoch' for AshaHpo (did you mean 'total_epochs'?)"), "\(e)")
    }
    let bad2 = asha.replacingOccurrences(of: "type: AshaHpo", with: "type: AshaHPO")
    let c2 = try PipelineConfig(document: try YAMLDocument(text: bad2, file: "asha.yml"))
    XCTAssertThrowsError(try SearchAlgorithmFactory.make(step: "hpo", section: c2.steps[0].section, seed: 0, config: c2)) { e in
      XCTAssertTrue("\(e)".contains("unknown search algorithm 'AshaHPO' (did you mean 'AshaHpo'?)"), "\(e)")
    }
    // A bad value of a known policy key is an error too, never a silent default.
    let bad3 = asha.replacingOccurrences(of: "policy: {total_epochs: 9}", with: "policy: {total_epochs: 9, type: stoping}")
    let c3 = try PipelineConfig(document: try YAMLDocument(text: bad3, file: "asha.yml"))
    XCTAssertThrowsError(try SearchAlgorithmFactory.make(step: "hpo", section: c3.steps[0].section, seed: 0, config: c3)) { e in
      XCTAssertTrue("\(e)".contains("hpo.search_algorithm.policy.type: expected promotion, got 'stoping'"), "\(e)")
    }
    let bad4 = asha.replacingOccurrences(of: "type: AshaHpo", with: "type: HyperbandHpo")
      .replacingOccurrences(of: "policy: {total_epochs: 9}", with: "policy: {max_epochs: 9, variant: hpbandstr}")
    let c4 = try PipelineConfig(document: try YAMLDocument(text: bad4, file: "asha.yml"))
    XCTAssertThrowsError(try SearchAlgorithmFactory.make(step: "hpo", section: c4.steps[0].section, seed: 0, config: c4)) { e in
      XCTAssertTrue("\(e)".contains("expected li or hpbandster, got 'hpbandstr'"), "\(e)")
    }
  }
}
