import Foundation
import XCTest
import LyraBase
import LyraData
import LyraSearch
import LyraSpace
@testable import LyraPipeline

/// PBA in the pipeline (Ho et al. 2019): the `{pba: ...}` and `{schedule: [...]}`
/// transforms forms, the per-epoch switch in training (also across a resume), the
/// hand-off of the best lineage's schedule, and a tiny PBAHpo → TrainPipeStep run.
final class PBAPipelineTests: XCTestCase {
  func json(_ text: String) throws -> JSON { try YAMLDocument(text: text).value }

  func dir(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("lyra-pba-\(getpid())-\(name)").path
  }

  func testPBAAndScheduleForms() throws {
    guard case .pba(let p) = try DatasetAugmentation.parse(try json("{pba: {Rotate: {prob1: 0.3, magnitude1: 4, prob2: 0, magnitude2: 2}}}"), path: "t") else {
      return XCTFail("not a PBA policy")
    }
    XCTAssertEqual(p.pairs["Rotate"], [.init(probability: 0.3, magnitude: 4), .init(probability: 0, magnitude: 2)])
    guard case .schedule(let s) = try DatasetAugmentation.parse(try json("""
      {schedule: [{from_epoch: 0, policy: {pba: {}}}, {from_epoch: 2, policy: [{type: Invert, prob: 1}]},
                  {from_epoch: 5, policy: {pba: {Cutout: {prob1: 1, magnitude1: 5}}}}]}
      """), path: "t") else { return XCTFail("not a schedule") }
    XCTAssertEqual(s.map(\.fromEpoch), [0, 2, 5])
    let t = try XCTUnwrap(try DatasetAugmentation.schedule(s).transform())
    XCTAssertTrue(t is ScheduledTransform)
    // Nothing to do: no transform (and the dataset keeps its fast normalised path).
    XCTAssertNil(try DatasetAugmentation.parse(try json("{pba: {}}"), path: "t").transform())
    XCTAssertNil(try DatasetAugmentation.parse(try json("{schedule: [{from_epoch: 0, policy: {pba: {}}}]}"), path: "t").transform())
    XCTAssertNil(try DatasetAugmentation.parse(try json("[]"), path: "t").transform())
    // Errors name the key.
    let bad: [(String, String)] = [
      ("{pba: {Rotat: {prob1: 0.3, magnitude1: 4}}}", "t.pba.Rotat: unknown augmentation op 'Rotat' (did you mean 'Rotate'?)"),
      ("{pba: {Rotate: {prob1: 1.3, magnitude1: 4}}}", "t.pba.Rotate.prob1: must be in [0, 1]"),
      ("{pba: {Rotate: {prob1: 0.3, magnitude1: 14}}}", "t.pba.Rotate.magnitude1: must be in [0, 10]"),
      ("{pba: {Rotate: {prob1: 0.3}}}", "t.pba.Rotate: prob1 without magnitude1"),
      ("{pba: {Rotate: {prob1: 0.3, magnitude1: 4, mag2: 1}}}", "t.pba.Rotate.mag2: unknown key"),
      ("{pba: {}, flip: true}", "t.flip: unknown key"),
      ("{schedule: [{from_epoch: 1, policy: []}]}", "t.schedule[0].from_epoch: the first segment must start at epoch 0"),
      ("{schedule: [{from_epoch: 0, policy: []}, {from_epoch: 0, policy: []}]}", "t.schedule[1].from_epoch: epochs must increase"),
      ("{schedule: [{from_epoch: 0, policy: {schedule: []}}]}", "a schedule's policy cannot be another schedule"),
      ("{schedule: [{from_epoch: 0}]}", "t.schedule[0]: missing 'policy'"),
      ("{schedule: [{from_epoch: 0, policy: [], form: 1}]}", "t.schedule[0].form: unknown key 'form'"),
    ]
    for (text, message) in bad {
      XCTAssertThrowsError(try DatasetAugmentation.parse(try json(text), path: "t"), text) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
    }
  }

  /// A dataset section's schedule: epoch 0 untouched, from epoch 1 every image inverted
  /// on raw pixels before normalising.
  func testTrainingLoaderFollowsTheScheduleByEpoch() throws {
    let ds = try DatasetSection(json: try json("""
      {type: FashionMnist, common: {batch_size: 16, shuffle: false, max_samples: 16,
       transforms: {schedule: [{from_epoch: 0, policy: {pba: {}}}, {from_epoch: 1, policy: [{type: Invert, prob: 1}]}]}}}
      """))
    let plain = try DatasetSection(json: try json("{type: FashionMnist, common: {batch_size: 16, shuffle: false, max_samples: 16}}"))
    let loader = try ds.loader(.train), ref = try plain.loader(.train)
    let e0 = try XCTUnwrap(loader.batches(epoch: 0).next()), r = try XCTUnwrap(ref.batches(epoch: 0).next())
    for i in 0..<e0.data.count { XCTAssertEqual(e0.data[i], r.data[i], accuracy: 1e-5) }
    let m: Float = 0.2860, s: Float = 0.3530
    for epoch in [1, 4] {
      let b = try XCTUnwrap(loader.batches(epoch: epoch).next())
      for i in stride(from: 0, to: b.data.count, by: 53) { XCTAssertEqual(b.data[i], (1 - 2 * m) / s - r.data[i], accuracy: 1e-4) }
    }
  }

  /// A trial trained under a schedule and restarted from its epoch-1 checkpoint ends
  /// exactly as the uninterrupted run: the resumed epochs get their own policies.
  func testResumeUnderAScheduleEqualsUninterrupted() throws {
    let root = dir("resume")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let section = try json("""
      dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 256}, test: {max_samples: 128}}
      model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [16]}}}
      trainer: {type: Trainer, epochs: 3, optimizer: {type: SGD, params: {lr: 0.05, momentum: 0.9}}}
      """)
    let config: Config = [:]
    func withSchedule(_ s: JSON) -> JSON {
      PBAHandOff.replacing(s, at: ["dataset", "common", "transforms"], with: try! json("""
        {schedule: [{from_epoch: 0, policy: {pba: {Rotate: {prob1: 0.8, magnitude1: 6}}}},
                    {from_epoch: 1, policy: {pba: {Cutout: {prob1: 0.9, magnitude1: 7}, Invert: {prob1: 0.5, magnitude1: 1}}}},
                    {from_epoch: 2, policy: {pba: {}}}]}
        """))
    }
    let scheduled = withSchedule(section)
    let full = try TrialTraining.run(section: scheduled, general: .object([:]), taskRoot: root,
                                     spec: TrialSpec(step: "s", trial: 0, config: config, budget: 3, checkpointDir: root + "/a"))
    _ = try TrialTraining.run(section: scheduled, general: .object([:]), taskRoot: root,
                              spec: TrialSpec(step: "s", trial: 1, config: config, budget: 1, checkpointDir: root + "/b"))
    let resumed = try TrialTraining.run(section: scheduled, general: .object([:]), taskRoot: root,
                                        spec: TrialSpec(step: "s", trial: 1, config: config, budget: 3, attempt: 2, checkpointDir: root + "/b"))
    XCTAssertEqual(resumed.result.metrics["accuracy"], full.result.metrics["accuracy"])
    func weights(_ d: String) -> Data? { FileManager.default.contents(atPath: d + "/" + TrialFile.trainerCheckpoint.name("")) }
    XCTAssertNotNil(weights(root + "/a"))
    XCTAssertEqual(weights(root + "/b"), weights(root + "/a"), "bit-identical weights and optimiser state")
    // And the augmentation did something.
    let none = try TrialTraining.run(section: section, general: .object([:]), taskRoot: root,
                                     spec: TrialSpec(step: "s", trial: 2, config: config, budget: 3, checkpointDir: root + "/c"))
    XCTAssertNotEqual(weights(root + "/c"), weights(root + "/a"))
  }

  /// The chosen record's hps: the lineage schedule in place of the last policy, parseable
  /// by the dataset section and equal, segment by segment, to the algorithm's.
  func testHandOffWritesTheLineageSchedule() throws {
    let pba = try PBA(ops: ["Rotate", "Cutout", "Invert"], seed: 2, population: 4, perturbationInterval: 2, maxBudget: 8, start: .random)
    var quality: [Int: Double] = [:]
    while let t = pba.ask() {
      // Rewards Rotate's probabilities: any signal will do, the lineage is what matters.
      let q = (t.resumeFrom.flatMap { quality[$0] } ?? 0) + (t.config["dataset.transforms.pba.Rotate.prob1"]?.number ?? 0)
      quality[t.id] = q
      pba.tell(t.id, TrialResult(["accuracy": q]))
    }
    let best = try XCTUnwrap(pba.best())
    let (_, hps) = Binding.apply(best.trial.config, modelDescription: .object([:]))
    XCTAssertNotNil(hps["dataset"]?["transforms"]?["pba"])
    let record = TrialRecord(step: "pba", workerID: best.trial.id, desc: .object([:]), hps: hps, objectives: [])
    let handed = PBAHandOff.withSchedule(record, algorithm: pba)
    let transforms = try XCTUnwrap(handed.hps["dataset"]?["transforms"])
    XCTAssertEqual(transforms.object?.keys.sorted(), ["schedule"])
    let expected = pba.policySchedule(of: best.trial.id)
    guard case .schedule(let segments) = try DatasetAugmentation.parse(transforms, path: "t") else { return XCTFail() }
    XCTAssertEqual(segments.map(\.fromEpoch), expected.map { Int($0.fromBudget) })
    for (seg, exp) in zip(segments, expected) {
      guard case .pba(let written) = seg.augmentation else { return XCTFail() }
      var pairs: [String: [PBAPolicy.Pair]] = [:]
      for op in ["Rotate", "Cutout", "Invert"] {
        pairs[op] = (1...2).map { i in
          PBAPolicy.Pair(probability: exp.policy["dataset.transforms.pba.\(op).prob\(i)"]!.number!,
                         magnitude: exp.policy["dataset.transforms.pba.\(op).magnitude\(i)"]!.number!)
        }
      }
      XCTAssertEqual(written, try PBAPolicy(pairs).compacted)
    }
    // Any other algorithm's record passes through untouched.
    let plain = PBT(space: pba.space, objectives: [Objective("accuracy", .maximize)], perturbationInterval: 1, maxBudget: 2)
    XCTAssertEqual(PBAHandOff.withSchedule(record, algorithm: plain).hps, hps)
    XCTAssertEqual(PBASearch.policyKeys.sorted(), ["config_count", "each_epochs", "ops", "start", "total_rungs"])
    XCTAssertEqual(PBA.defaultOps, PBAPolicy.searchOps)
  }

  func pipelineYAML(base: String, algorithm: String) -> String {
    """
    general: {seed: 0, task: {local_base_path: \(base)}}
    pipeline: [pba, fully_train]
    pba:
      pipe_step: {type: SearchPipeStep}
      dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 256}, test: {max_samples: 128}}
      search_algorithm: \(algorithm)
      search_space: {hyperparameters: []}
      model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [16]}}}
      trainer: {type: Trainer, epochs: 3, optimizer: {type: SGD, params: {lr: 0.05, momentum: 0.9}}}
    fully_train:
      pipe_step: {type: TrainPipeStep, models_folder: "{local_base_path}/output/pba/"}
      dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 256}, test: {max_samples: 128}}
      trainer: {type: Trainer, epochs: 3, optimizer: {type: SGD, params: {lr: 0.05, momentum: 0.9}}}
    """
  }

  /// PBAHpo on a few hundred Fashion-MNIST images with an MLP, then a full training that
  /// replays the best lineage's schedule (the same result as training with it by hand).
  func testPipelinePBAThenFullyTrainReplaysTheSchedule() throws {
    let base = dir("pipeline")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let alg = "{type: PBAHpo, objective_keys: accuracy, policy: {config_count: 4, each_epochs: 1, total_rungs: 3, ops: [Rotate, Cutout, Invert, ShearX], start: random}}"
    let pipeline = try Pipeline(raw: try json(pipelineYAML(base: base, algorithm: alg)))
    var lines: [String] = []
    pipeline.log = { lines.append($0) }
    let summary = try pipeline.run()
    XCTAssertFalse(summary.interrupted)
    let search = try XCTUnwrap(pipeline.records["pba"])
    XCTAssertEqual(search.count, 12, "4 members × 3 rounds")
    let chosen = try XCTUnwrap(summary.best["pba"])
    XCTAssertEqual(chosen.epochs, 3)
    let schedule = try XCTUnwrap(chosen.hps["dataset"]?["transforms"]?["schedule"]?.array)
    XCTAssertEqual(schedule.first?["from_epoch"]?.int, 0)
    XCTAssertTrue(schedule.contains { !($0["policy"]?["pba"]?.object?.isEmpty ?? true) }, "a random start augments")
    // The hand-off files carry the schedule.
    let handed = try HandedModel.load(folder: pipeline.output.layout.stepFolder("pba"))
    XCTAssertEqual(handed.count, 1)
    XCTAssertEqual(handed[0].hps["dataset"]?["transforms"]?["schedule"]?.array, schedule)
    // The full training replays it: the same result as training with the schedule by hand.
    let trained = try XCTUnwrap(summary.best["fully_train"])
    XCTAssertEqual(trained.hps["dataset"]?["transforms"]?["schedule"]?.array, schedule)
    var section = try json(pipelineYAML(base: base, algorithm: alg))["fully_train"]!.object!
    section["model"] = .object(["model_desc": handed[0].desc])
    section["dataset"] = TrialTraining.datasetSection(section["dataset"]!, handed[0].hps["dataset"])
    let byHand = try TrialTraining.run(section: .object(section), general: .object([:]), taskRoot: base + "/byhand",
                                       spec: TrialSpec(step: "x", trial: 0, config: [:], checkpointDir: base + "/byhand/ck"))
    XCTAssertEqual(trained.performance["accuracy"], byHand.result.metrics["accuracy"])
    let ck = TrialFile.trainerCheckpoint.name("")
    XCTAssertNotNil(FileManager.default.contents(atPath: base + "/byhand/ck/" + ck))
    XCTAssertEqual(FileManager.default.contents(atPath: pipeline.output.layout.workerFolder("fully_train", handed[0].id) + "/" + ck),
                   FileManager.default.contents(atPath: base + "/byhand/ck/" + ck))
  }

  func testPolicyErrorsNameTheKey() throws {
    let base = dir("errors")
    defer { try? FileManager.default.removeItem(atPath: base) }
    for (policy, message) in [("{ops: [Rotate, Rotat]}", "pba.search_algorithm.policy.ops: unknown augmentation op 'Rotat' (did you mean 'Rotate'?)"),
                              ("{start: sometimes}", "pba.search_algorithm.policy.start: expected explored, zero or random"),
                              ("{config_count: 1}", "pba.search_algorithm.policy.config_count: must be an integer of at least 2"),
                              ("{num_samples: 3}", "unknown policy key 'num_samples' for PBAHpo")] {
      // Found by the check before any step runs (issue 18).
      XCTAssertThrowsError(try Pipeline(raw: try json(pipelineYAML(base: base, algorithm: "{type: PBAHpo, policy: \(policy)}"))), policy) {
        XCTAssertTrue("\($0)".contains(message), "\($0)")
      }
    }
  }
}
