import Foundation
import XCTest
import LyraBase
import LyraNN
@testable import LyraPipeline

/// TaskLayout names every file of a task folder: the names are byte-identical to the ones
/// older task folders hold (so they resume), every name it produces reads back as what it
/// is, and a folder the pipeline wrote holds nothing it does not name.
final class TaskLayoutTests: XCTestCase {
  /// The names as VEGA and every earlier Lyra wrote them, spelled out here on purpose:
  /// a change to TrialFile that renames a file fails this test.
  func testTrialFileNamesAreTheOnesOnDisk() {
    let expected: [(TrialFile, String)] = [
      (.description, "desc_7.json"), (.hyperparameters, "hps_7.json"), (.performance, "performance_7.json"),
      (.weights, "model_7.safetensors"), (.weightsDescription, "model_7.json"),
      (.quantizedWeights, "model_7.int.safetensors"), (.trainerCheckpoint, "checkpoint.safetensors"), (.curve, "curve.json"),
    ]
    XCTAssertEqual(expected.count, TrialFile.allCases.count, "every kind is pinned")
    for (f, name) in expected { XCTAssertEqual(f.name(7), name) }
    XCTAssertEqual(TrialFile.weights.path(12, in: "a/b"), "a/b/model_12.safetensors")
  }

  func testEveryTrialFileNameParsesBack() {
    for f in TrialFile.allCases {
      for id in [0, 3, 42, 1234] {
        let parsed = TrialFile.parse(f.name(id))
        XCTAssertEqual(parsed?.file, f, f.name(id))
        XCTAssertEqual(parsed?.id, f.hasID ? String(id) : nil, f.name(id))
        if f.hasID { XCTAssertEqual(f.id(in: f.name(id)), String(id)) }
      }
    }
    XCTAssertNil(TrialFile.parse("desc_.json"), "no id, no trial file")
    XCTAssertNil(TrialFile.parse("notes.txt"))
    XCTAssertNil(TrialFile.description.id(in: "hps_3.json"))
    // How `lyra export` pairs files: the id after the prefix, whatever the extension.
    XCTAssertEqual(TrialFile.weights.id(inStem: "model_3.int"), "3.int")
    XCTAssertEqual(TrialFile.description.id(inStem: "desc_9"), "9")
  }

  /// The paths of a task folder, as the pipeline has always written them.
  func testPathsAreTheOnesOnDisk() {
    let l = TaskLayout(tasksFolder: "/w/tasks", taskID: "1207.093000.000")
    let r = "/w/tasks/1207.093000.000"
    XCTAssertEqual(l.root, r)
    XCTAssertEqual(l.lock, r + "/lock")
    XCTAssertEqual(l.store, r + "/trials.db")
    XCTAssertEqual(l.log, r + "/logs/pipeline.log")
    XCTAssertEqual(l.reports, r + "/output/reports.json")
    XCTAssertEqual(l.reportMarkdown, r + "/output/report.md")
    XCTAssertEqual(l.reportHTML, r + "/output/report.html")
    XCTAssertEqual(l.reportPlot("hpo_pareto"), r + "/output/report_plots/hpo_pareto.svg")
    XCTAssertEqual(l.configCopy(of: "/home/me/cfg.yml"), r + "/output/cfg.yml")
    XCTAssertEqual(l.stepFolder("hpo"), r + "/output/hpo")
    XCTAssertEqual(l.stepTable("hpo"), r + "/output/hpo/output.csv")
    XCTAssertEqual(l.workerFolder("hpo", 4), r + "/workers/hpo/4")
    XCTAssertEqual(l.curve("hpo", 4), r + "/workers/hpo/4/curve.json")
    XCTAssertEqual(l.checkpointFolder("hpo", 4), r + "/checkpoints/hpo/4")
    XCTAssertEqual(TaskLayout(root: "").checkpointFolder("s", 1), "./checkpoints/s/1", "a store in the current folder")
    XCTAssertEqual(TaskLayout.createdFolders, ["output", "workers", "logs"])
  }

  func testEveryEntryReadsBack() {
    var entries: [TaskLayout.Entry] = [.lock, .store, .storeJournal("-wal"), .storeJournal("-shm"), .log, .reports,
                                       .reportMarkdown, .reportHTML, .reportPlot("hpo_curves"), .configCopy("cfg.yml"),
                                       .stepTable(step: "hpo")]
    for f in TrialFile.allCases {
      let id = f.hasID ? "5" : nil
      entries += [.stepFile(step: "hpo", file: f, id: id), .workerFile(step: "fully_train", worker: 5, file: f, id: id),
                  .checkpointFile(step: "hpo", trial: 5, file: f, id: id)]
    }
    for e in entries {
      let path = TaskLayout.relativePath(e)
      XCTAssertEqual(TaskLayout.entry(at: path), e, path)
    }
    for stray in ["notes.txt", "logs/other.log", "workers/hpo/x/desc_1.json", "checkpoints/hpo/1/notes.txt", "output/hpo/a/b"] {
      XCTAssertNil(TaskLayout.entry(at: stray), stray)
    }
  }

  func config(_ base: String) -> String {
    """
    general: {seed: 1, task: {local_base_path: \(base)}}
    pipeline: [hpo, fully_train]
    hpo:
      pipe_step: {type: SearchPipeStep}
      dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 128}, test: {max_samples: 64}}
      search_algorithm: {type: RandomSearch, objective_keys: accuracy, policy: {num_sample: 2}}
      search_space: {hyperparameters: [{key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.01, 0.2]}]}
      model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [8]}}}
      trainer: {type: Trainer, epochs: 1}
    fully_train:
      pipe_step: {type: TrainPipeStep}
      dataset: {ref: hpo.dataset}
      trainer: {type: Trainer, epochs: 1}
    """
  }

  /// Every file of a task folder the pipeline wrote is one TaskLayout names, and every
  /// kind the pipeline writes is there; a model the search step handed on loads back
  /// through SavedModel with the weights of its file.
  func testAPipelineTaskFolderHoldsExactlyTheNamedFilesAndItsModelsLoad() throws {
    let base = try storeTestDir("layout")
    defer { try? FileManager.default.removeItem(atPath: base) }
    let p = try Pipeline(document: try YAMLDocument(text: config(base), file: "layout.yml"))
    p.log = { _ in }
    let summary = try p.run()
    XCTAssertEqual(summary.steps.map(\.status), ["finished", "finished"])
    let root = p.root
    let files = try XCTUnwrap(FileManager.default.subpathsOfDirectory(atPath: root)).filter { f in
      var isDir: ObjCBool = false
      return FileManager.default.fileExists(atPath: root + "/" + f, isDirectory: &isDir) && !isDir.boolValue
    }
    var seen: [TaskLayout.Entry] = []
    for f in files.sorted() {
      guard let e = TaskLayout.entry(at: f) else { XCTFail("\(f): a file TaskLayout does not name"); continue }
      XCTAssertEqual(root + "/" + TaskLayout.relativePath(e), root + "/" + f)
      seen.append(e)
    }
    for e in [TaskLayout.Entry.lock, .store, .log, .reports, .reportMarkdown, .reportHTML, .configCopy("layout.yml"),
              .stepTable(step: "hpo"), .stepTable(step: "fully_train")] {
      XCTAssertTrue(seen.contains(e), "\(TaskLayout.relativePath(e)) was written")
    }
    func kinds(_ match: (TaskLayout.Entry) -> TrialFile?) -> Set<String> { Set(seen.compactMap(match).map { "\($0)" }) }
    XCTAssertEqual(kinds { if case .stepFile(_, let f, _) = $0 { return f }; return nil },
                   ["description", "hyperparameters", "performance", "weights"])
    XCTAssertEqual(kinds { if case .workerFile("hpo", _, let f, _) = $0 { return f }; return nil },
                   ["description", "hyperparameters", "performance", "curve"])
    XCTAssertEqual(kinds { if case .checkpointFile(_, _, let f, _) = $0 { return f }; return nil },
                   ["trainerCheckpoint", "weights", "weightsDescription", "performance"])

    // The search step's best model, from the task folder by step and id.
    let id = try XCTUnwrap(summary.steps.first?.bestModels.first)
    let (module, origin) = try SavedModel.load(taskFolder: root, step: "hpo", id: id)
    let weightsFile = TaskLayout(root: root).stepFolder("hpo") + "/model_\(id).safetensors"
    XCTAssertTrue(origin.contains("desc_\(id).json") && origin.contains(weightsFile), origin)
    let saved = try SafeTensors.read(from: weightsFile)
    let params = module.namedParameters()
    XCTAssertFalse(params.isEmpty)
    for (name, t) in params {
      XCTAssertEqual(t.contiguous().toArray(), try XCTUnwrap(saved.entries[name], name).floats(), name)
    }
  }

  func testSavedModelNamesWhatIsMissing() throws {
    let dir = try storeTestDir("saved-model")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let w = dir + "/model_4.safetensors"
    try Data("x".utf8).write(to: URL(fileURLWithPath: w))
    XCTAssertThrowsError(try SavedModel.load(w)) { e in
      XCTAssertEqual("\(e)", "\(w): no model description beside it (\(dir)/model_4.json or \(dir)/desc_4.json)")
    }
    XCTAssertThrowsError(try SavedModel.load(taskFolder: dir, step: "hpo", id: 1)) { e in
      XCTAssertTrue("\(e)".contains("\(dir)/output/hpo/model_1.safetensors: no model description"), "\(e)")
    }
    XCTAssertNil(try SavedModel.load("mlp"), "not a file kind: the caller's (reference models)")
  }
}
