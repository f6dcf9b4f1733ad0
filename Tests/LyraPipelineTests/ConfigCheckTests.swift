import Foundation
import XCTest
import LyraBase
@testable import LyraPipeline

/// Issue 18, "fail before the first trial": the whole config — every step's trainer and its
/// components, dataset, model, search space and algorithm — is checked before anything
/// runs or is created, and every problem is reported together with its file:line:key.
/// Nothing here trains or reads a dataset (the data folder is an empty one).
final class ConfigCheckTests: XCTestCase {
  var dir = ""

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-check-\(getpid())-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  /// A valid two-step config (search, then a full training that refers to its sections).
  var valid: String {
    """
    general: {task: {local_base_path: \(dir)/tasks}, seed: 1}
    pipeline: [hpo, fully_train]
    hpo:
      pipe_step: {type: SearchPipeStep}
      dataset:
        type: FashionMnist
        common: {batch_size: 32, data_path: \(dir)/data}
      search_algorithm: {type: RandomSearch, policy: {num_samples: 2}}
      search_space:
        hyperparameters:
          - {key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.001, 0.1]}
      model:
        model_desc:
          modules: [backbone]
          backbone: {type: FashionCnn}
      trainer:
        type: Trainer
        epochs: 1
        optimizer: {type: SGD, params: {lr: 0.05}}
        lr_scheduler: {type: CosineAnnealingLR, params: {T_max: 1}}
        loss: {type: CrossEntropyLoss}
        metric: {type: accuracy}
    fully_train:
      pipe_step: {type: TrainPipeStep}
      dataset: {ref: hpo.dataset}
      trainer:
        ref: hpo.trainer
        epochs: 2
    """
  }

  /// `text` with each (old, new) replaced once; fails the test when `old` is not there.
  func edited(_ text: String, _ edits: [(String, String)], line: UInt = #line) -> String {
    var t = text
    for (a, b) in edits {
      guard let r = t.range(of: a) else { XCTFail("no '\(a)' in the config", line: line); continue }
      t.replaceSubrange(r, with: b)
    }
    return t
  }

  /// The 1-based line of the first line containing `fragment`.
  func line(of fragment: String, in text: String) -> Int? {
    text.components(separatedBy: "\n").firstIndex { $0.contains(fragment) }.map { $0 + 1 }
  }

  func problems(_ text: String, seed: UInt64? = nil) throws -> [ConfigError] {
    let doc = try YAMLDocument(text: text, file: "cfg.yml")
    return Pipeline.problems(raw: doc.value, file: doc.file, lines: doc.lines, seed: seed)
  }

  var tasks: String { dir + "/tasks" }

  func testAValidConfigHasNoProblemAndTheCheckCreatesNothing() throws {
    XCTAssertEqual(try problems(valid).map(\.description), [])
    XCTAssertFalse(FileManager.default.fileExists(atPath: tasks))
  }

  /// One typo in every section of both steps: each is one problem, at its line, with the
  /// suggestion, in one report; no task folder appears.
  func testTyposInEverySectionAreAllReportedTogether() throws {
    let text = edited(valid, [
      ("seed: 1", "seeed: 1"),
      ("batch_size: 32", "batch_sise: 32"),
      ("type: RandomSearch", "type: RandomSerch"),
      ("type: FLOAT_EXP", "type: FLOAT_EXPO"),
      ("epochs: 1", "epoch: 1"),
      ("type: SGD", "type: SDG"),
      ("type: CosineAnnealingLR", "type: CosineAnealingLR"),
      ("type: CrossEntropyLoss", "type: CrossEntropy"),
      ("type: accuracy", "type: acuracy"),
      ("metric: {type: acuracy}", "metric: {type: acuracy}\n    callbacks: [NoSuchCallback]"),
      ("epochs: 2", "epochz: 2"),
    ])
    let found = try problems(text)
    let expected: [(key: String, line: String, fragment: String)] = [
      ("general.seeed", "seeed", "did you mean 'seed'"),
      ("hpo.dataset.common.batch_sise", "batch_sise", "did you mean 'batch_size'"),
      ("hpo.search_algorithm.type", "RandomSerch", "did you mean 'RandomSearch'"),
      ("hpo.search_space", "search_space:", "did you mean 'FLOAT_EXP'"),
      ("hpo.trainer.epoch", "epoch: 1", "did you mean 'epochs'"),
      ("hpo.trainer.optimizer", "SDG", "did you mean 'SGD'"),
      ("hpo.trainer.lr_scheduler", "CosineAnealingLR", "did you mean 'CosineAnnealingLR'"),
      ("hpo.trainer.loss", "CrossEntropy}", "did you mean 'CrossEntropyLoss'"),
      ("hpo.trainer.metric", "acuracy", "did you mean 'accuracy'"),
      ("hpo.trainer.callbacks", "NoSuchCallback", "unknown callback 'NoSuchCallback'"),
      ("fully_train.trainer.epochz", "epochz", "did you mean 'epochs'"),
    ]
    for e in expected {
      let hit = found.first { $0.key == e.key }
      XCTAssertNotNil(hit, "no problem at \(e.key) in:\n\(found.map(\.description).joined(separator: "\n"))")
      XCTAssertEqual(hit?.line, line(of: e.line, in: text), "line of \(e.key)")
      XCTAssertTrue(hit?.description.contains(e.fragment) == true, "\(hit?.description ?? "-")")
    }
    // fully_train's trainer and dataset come from hpo's through ref: one problem each, not two.
    XCTAssertEqual(found.count, expected.count, found.map(\.description).joined(separator: "\n"))
    XCTAssertThrowsError(try Pipeline(document: try YAMLDocument(text: text, file: "cfg.yml"))) { e in
      XCTAssertEqual((e as? ConfigProblems)?.problems.count, expected.count, "\(e)")
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: tasks), "no task folder for a config that does not validate")
  }

  /// The model is built as a trial would build it (the input size comes from the dataset
  /// type, even when another dataset key is wrong), next to the other problems.
  func testTheModelIsCheckedWithTheOtherSections() throws {
    let text = edited(valid, [("type: FashionCnn", "type: FashonCnn"), ("batch_size: 32", "batch_sise: 32"),
                              ("type: CrossEntropyLoss", "type: CrossEntropy")])
    let found = try problems(text)
    XCTAssertEqual(found.map(\.key), ["hpo.trainer.loss", "hpo.dataset.common.batch_sise", "hpo.model.model_desc.backbone"],
                   found.map(\.description).joined(separator: "\n"))
    XCTAssertTrue(found.last?.description.contains("unknown network type 'FashonCnn' (did you mean 'FashionCnn'?)") == true,
                  found.map(\.description).joined(separator: "\n"))
  }

  /// A typo in a later step stops the pipeline before its first step runs (it used to
  /// surface after the whole search had run).
  func testATypoInALaterStepFailsBeforeAnything() throws {
    let text = edited(valid, [("epochs: 2", "epoch: 2")])
    XCTAssertThrowsError(try Pipeline(document: try YAMLDocument(text: text, file: "cfg.yml"))) { e in
      XCTAssertEqual("\(e)", "cfg.yml:\(line(of: "epoch: 2", in: text)!): fully_train.trainer.epoch: unknown key 'epoch' (did you mean 'epochs'?)")
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: tasks))
  }

  /// A misspelt algorithm used to leave an empty task folder that `lyra status` listed as error.
  func testAnUnknownAlgorithmLeavesNoTaskFolder() throws {
    let text = edited(valid, [("type: RandomSearch", "type: RandomSerch")])
    XCTAssertThrowsError(try Pipeline(document: try YAMLDocument(text: text, file: "cfg.yml")))
    XCTAssertFalse(FileManager.default.fileExists(atPath: tasks))
  }

  func testDataPathsMustBeGivenAndExist() throws {
    let missing = edited(valid, [("data_path: \(dir)/data", "data_path: \(dir)/nowhere")])
    XCTAssertEqual(try problems(missing).map(\.description),
                   ["cfg.yml:\(line(of: "nowhere", in: missing)!): hpo.dataset.common.data_path: '\(dir)/nowhere' does not exist"],
                   "once, at the key written, not once per split nor again through fully_train's ref")
    let mnist = edited(valid, [("type: FashionMnist\n    common: {batch_size: 32, data_path: \(dir)/data}", "type: Mnist\n    common: {batch_size: 32}")])
    XCTAssertEqual(try problems(mnist).map(\.description),
                   ["cfg.yml:\(line(of: "type: Mnist", in: mnist)! - 1): hpo.dataset: missing 'data_path'"])
    // A split's own data_path is checked at its own key.
    let split = edited(valid, [("common: {batch_size: 32, data_path: \(dir)/data}", "common: {batch_size: 32, data_path: \(dir)/data}\n    test: {data_path: \(dir)/gone}")])
    XCTAssertEqual(try problems(split).map(\.key), ["hpo.dataset.test.data_path"])
    // A CSV file that exists is fine (and is read for the model's input size only).
    try "a,b,label\n1,2,0\n3,4,1\n".write(toFile: dir + "/t.csv", atomically: true, encoding: .utf8)
    let csv = edited(valid, [("type: FashionMnist\n    common: {batch_size: 32, data_path: \(dir)/data}", "type: Csv\n    common: {batch_size: 32, data_path: \(dir)/t.csv}"),
                             ("backbone: {type: FashionCnn}", "backbone: {type: MLP, hidden: [4]}")])
    let csvProblems = try problems(csv)
    XCTAssertFalse(csvProblems.contains { $0.key?.contains("dataset") == true }, csvProblems.map(\.description).joined(separator: "\n"))
  }

  /// A search space key that lands on an unknown trainer key (the trial's view) is found.
  func testTheSampledTrialsSectionsAreChecked() throws {
    let text = edited(valid, [("key: trainer.optimizer.params.lr,", "key: trainer.optimizer.params.lrr,")])
    let found = try problems(text)
    XCTAssertEqual(found.count, 1, found.map(\.description).joined(separator: "\n"))
    XCTAssertTrue(found.first?.description.contains("lrr") == true, found.map(\.description).joined())
  }

  /// Hostile values do not stop the check (a negative seed trapped converting to UInt64).
  func testANegativeSeedIsAProblemNotACrash() throws {
    let found = try problems(edited(valid, [("seed: 1", "seed: -1")]))
    XCTAssertEqual(found.map(\.key), ["general.seed"])
  }

  /// A value two checks refuse (the range check and its reader) is one problem; a section
  /// that is not a mapping is named rather than replaced by its defaults.
  func testOneProblemPerValueAndSectionsMustBeMappings() throws {
    let negative = edited(valid, [("policy: {num_samples: 2}", "policy: {num_samples: -1}")])
    let found = try problems(negative)
    XCTAssertEqual(found.map(\.key), ["hpo.search_algorithm.policy.num_samples"], found.map(\.description).joined(separator: "\n"))
    let list = edited(valid, [("trainer:\n    type: Trainer", "trainer: [1, 2]\n  trainer_was:\n    type: Trainer")])
    XCTAssertTrue(try problems(list).contains { $0.key == "hpo.trainer" && $0.message.hasPrefix("must be a mapping") })
  }

  /// `--set` problems name the `--set`, not a line of the file that does not hold the value.
  func testSetProblemsNameTheSet() throws {
    let doc = try YAMLDocument(text: valid, file: "cfg.yml")
    let sets = ["hpo.trainer.epoch=2", "hpo.dataset.common.data_path=/no/such/folder", "general.seed=3"]
    let raw = try ConfigOverrides.apply(doc.value, sets)
    let found = ConfigOverrides.attribute(Pipeline.problems(raw: raw, file: doc.file, lines: doc.lines), to: sets)
    XCTAssertEqual(found.map(\.description), [
      "--set hpo.trainer.epoch=2: unknown key 'epoch' (did you mean 'epochs'?)",
      "--set hpo.dataset.common.data_path=/no/such/folder: '/no/such/folder' does not exist",
    ], "each once (fully_train inherits both through ref), named after its --set")
  }
}
