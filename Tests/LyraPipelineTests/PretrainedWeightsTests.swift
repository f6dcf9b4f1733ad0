import Foundation
import LyraBase
import LyraNN
import LyraONNX
import LyraSpace
import LyraTensor
import XCTest
@testable import LyraPipeline

/// VEGA's weight keys in a step's `model` section (`model_desc_file`, `pretrained_model_file`,
/// `head`): checked when the config is read (a missing file is a problem with its line),
/// handed to the trainer, and loaded so the fine-tuned model starts from PyTorch's weights.
final class PretrainedWeightsTests: XCTestCase {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("fixtures/pth").path
  let desc = #"""
    {"type": "Sequential", "modules": [
      {"type": "Conv2d", "in_channels": 1, "out_channels": 2, "kernel_size": 3, "padding": 1},
      {"type": "BatchNorm2d", "num_features": 2}, {"type": "ReLU"}, {"type": "Flatten"},
      {"type": "Linear", "in_features": 32, "out_features": 3}]}
    """#

  func config(_ model: String, dir: String) throws -> PipelineConfig {
    let text = """
      pipeline: [fine_tune]
      fine_tune:
        pipe_step:
          type: TrainPipeStep
        model:
      \(model)
        trainer:
          epochs: 1
      """
    return try PipelineConfig(document: try YAMLDocument(text: text, file: "ft.yml"), taskFolder: dir + "/task")
  }

  func testMissingFilesAreConfigProblemsWithTheirLines() throws {
    let dir = TrainerTempDir()
    XCTAssertThrowsError(try config("""
          model_desc_file: \(dir.path)/nowhere.json
          pretrained_model_file: \(dir.path)/nowhere.pth
      """, dir: dir.path)) { e in
      let text = "\(e)"
      XCTAssertTrue(text.contains("ft.yml:6") && text.contains("fine_tune.model.model_desc_file") && text.contains("does not exist"), text)
      XCTAssertTrue(text.contains("ft.yml:7") && text.contains("fine_tune.model.pretrained_model_file"), text)
    }
    // A file under the task folder may come from an earlier step: not a problem yet.
    XCTAssertNoThrow(try config("      pretrained_model_file: \(dir.path)/task/output/model_0.pth", dir: dir.path))
  }

  func testAMissingInitModelFileIsReportedUnderItsOwnKey() throws {
    let trainer = try TrainerConfig(json: try JSON.parse(Data(#"{"init_model_file": "/nonexistent/resnet20.pth"}"#.utf8)))
    let text = trainer.componentProblems(path: "prune.trainer").map { "\($0)" }.joined(separator: "\n")
    XCTAssertTrue(text.contains("prune.trainer.init_model_file") && text.contains("does not exist"), text)
  }

  func testDescriptionFileAndPyTorchWeightsGiveTheModelPyTorchRan() throws {
    let dir = TrainerTempDir()
    let descFile = dir.path + "/desc_0.json"
    try Data(#"{"desc": \#(desc)}"#.utf8).write(to: URL(fileURLWithPath: descFile))
    let cfg = try config("""
          model_desc_file: \(descFile)
          pretrained_model_file: \(Self.fixtures)/convnet.pth
      """, dir: dir.path)
    let section = cfg.steps[0].section
    XCTAssertEqual(section["model"]?["model_desc"]?["type"]?.string, "Sequential")
    let trainer = try TrainerConfig(json: section["trainer"]!)
    XCTAssertEqual(trainer.pretrainedModelFile, "\(Self.fixtures)/convnet.pth")
    let model = try ModuleRegistry.build(section["model"]!["model_desc"]!)
    let mapping = try WeightsFile.load(trainer.pretrainedModelFile!, into: model, head: trainer.pretrainedHead, strict: trainer.strictLoad)
    XCTAssertEqual(mapping.pairs.count, 8, mapping.report)
    let io = try JSON.parse(try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/convnet.json")))
    let floats = { (j: JSON?) in (j?.array ?? []).compactMap { $0.double.map(Float.init) } }
    let x = Tensor(floats(io["input"]), shape: [2, 1, 4, 4])
    let y = try model.eval()(x)
    for (a, b) in zip(y.toArray(), floats(io["output"])) { XCTAssertEqual(a, b, accuracy: 1e-5) }
  }

  func testAReplacedHeadIsSkippedWithHeadAndFatalWithout() throws {
    let dir = TrainerTempDir()
    let five = desc.replacingOccurrences(of: "\"out_features\": 3", with: "\"out_features\": 5")
    for head in [true, false] {
      let cfg = try config("""
            model_desc: \(five.replacingOccurrences(of: "\n", with: " "))
            pretrained_model_file: \(Self.fixtures)/convnet.pth
        """ + (head ? "\n    head: fc" : ""), dir: dir.path)
      let trainer = try TrainerConfig(json: cfg.steps[0].section["trainer"]!)
      let model = try ModuleRegistry.build(cfg.steps[0].section["model"]!["model_desc"]!)
      if head {
        XCTAssertEqual(trainer.pretrainedHead, ["fc"])
        let m = try WeightsFile.load(trainer.pretrainedModelFile!, into: model, head: trainer.pretrainedHead, strict: trainer.strictLoad)
        XCTAssertEqual(m.excluded, ["fc.weight", "fc.bias"])
      } else {
        XCTAssertThrowsError(try WeightsFile.load(trainer.pretrainedModelFile!, into: model, head: [], strict: trainer.strictLoad)) { e in
          XCTAssertTrue("\(e)".contains("shape mismatches"), "\(e)")
        }
      }
    }
    // VEGA's need_adjust: true loads what fits and skips the changed head.
    let adjusted = try config("""
          model_desc: \(five.replacingOccurrences(of: "\n", with: " "))
          pretrained_model_file: \(Self.fixtures)/convnet.pth
          need_adjust: true
      """, dir: dir.path)
    let trainer = try TrainerConfig(json: adjusted.steps[0].section["trainer"]!)
    XCTAssertEqual(trainer.strictLoad, false)
    let model = try ModuleRegistry.build(adjusted.steps[0].section["model"]!["model_desc"]!)
    let m = try WeightsFile.load(trainer.pretrainedModelFile!, into: model, head: trainer.pretrainedHead, strict: trainer.strictLoad)
    XCTAssertFalse(m.mismatches.isEmpty, "the head's shapes differ and are reported")
  }

  func testSafetensorsWeightsLoadThroughTheSamePath() throws {
    let dir = TrainerTempDir()
    let src = try ModuleRegistry.build(try JSON.parse(Data(desc.utf8)))
    try Checkpoint.save(src, to: dir.path + "/w.safetensors")
    let dst = try ModuleRegistry.build(try JSON.parse(Data(desc.utf8)))
    let m = try WeightsFile.load(dir.path + "/w.safetensors", into: dst, head: [], strict: nil)
    XCTAssertTrue(m.pairs.allSatisfy { !$0.byOrder }, m.report)
    XCTAssertEqual(dst.stateDict()["4.weight"]!.toArray(), src.stateDict()["4.weight"]!.toArray())
  }

  func testONNXInitialisersLoadIntoTheSameNetwork() throws {
    let dir = TrainerTempDir()
    let src = try ModuleRegistry.build(try JSON.parse(Data(desc.utf8)))
    // Running statistics that are not the defaults, so a BatchNorm left unloaded shows.
    Tensor.noGrad {
      _ = src.stateDict()["1.running_mean"]!.copy_(Tensor([0.3, -0.2]))
      _ = src.stateDict()["1.running_var"]!.copy_(Tensor([2, 0.5]))
    }
    try ONNXExporter.export(src, inputShape: [1, 1, 4, 4], to: dir.path + "/m.onnx")
    let dst = try ModuleRegistry.build(try JSON.parse(Data(desc.utf8)))
    let m = try WeightsFile.load(dir.path + "/m.onnx", into: dst, head: [], strict: false)
    XCTAssertEqual(m.pairs.filter { !$0.byOrder }.count, 8, m.report)
    let x = Tensor.randn([2, 1, 4, 4], generator: Generator(seed: 3))
    let want = try src.eval()(x).toArray(), got = try dst.eval()(x).toArray()
    for (a, b) in zip(got, want) { XCTAssertEqual(a, b, accuracy: 1e-5, m.report) }
  }
}

/// `pretrained_model_file` in a real trial: the trainer's ModelBuilder loads the file before
/// the first step and logs the mapping report.
final class TrialPretrainedTests: XCTestCase {
  func testATrialStartsFromTheWeightsFileAndLogsTheReport() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-tp-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let base = """
      dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 128}, test: {max_samples: 128}}
      model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [16]}}}
      trainer: {type: Trainer, epochs: 1, optimizer: {type: SGD, params: {lr: 0.05}}
      """
    let first = try TrialTraining.run(section: try YAMLDocument(text: base + "}").value, general: .object([:]), taskRoot: root,
                                      spec: TrialSpec(step: "s", trial: 0, config: [:], budget: 1, checkpointDir: root + "/a"))
    let weights = try XCTUnwrap(first.record.weightsFile)
    var lines: [String] = []
    _ = try TrialTraining.run(section: try YAMLDocument(text: base + ", pretrained_model_file: '\(weights)'}").value, general: .object([:]),
                              taskRoot: root, spec: TrialSpec(step: "s", trial: 1, config: [:], budget: 1, checkpointDir: root + "/b")) { lines.append($0) }
    let report = lines.first { $0.hasPrefix("pretrained_model_file") } ?? "(no report in the log: \(lines.prefix(5)))"
    XCTAssertTrue(report.contains("4 tensors loaded (4 by name"), report)
  }
}

/// VEGA's fine-tuning examples point the next step at the last one's output folder
/// (`pretrained_model_file: "{local_base_path}/output/fine_tune/"`) and write `need_adjust`
/// into the network's part (`model_desc.backbone.need_adjust`, MindSpore's form).
final class PretrainedFolderTests: XCTestCase {
  func testAnEarlierStepsOutputFolderIsCheckedLaterAndItsWeightsFileLoaded() throws {
    let dir = TrainerTempDir()
    let text = """
      general: {task: {local_base_path: \(dir.path)/task}}
      pipeline: [ft]
      ft:
        pipe_step: {type: TrainPipeStep}
        model:
          pretrained_model_file: "{local_base_path}/output/ft0/"
          model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [4], need_adjust: true}}
        trainer: {epochs: 1}
      """
    let doc = try YAMLDocument(text: text, file: "ft.yml")
    XCTAssertEqual(Pipeline.problems(raw: doc.value, file: doc.file, lines: doc.lines).map(\.description), [],
                   "a folder the task will hold is not a problem yet")
    let cfg = try PipelineConfig(document: doc)
    let section = cfg.steps[0].section
    XCTAssertNil(section["model"]?["model_desc"]?["backbone"]?["need_adjust"], "need_adjust left the description")
    let trainer = try TrainerConfig(json: section["trainer"]!)
    XCTAssertEqual(trainer.strictLoad, false, "the part's need_adjust means strict_load false")
    let folder = try XCTUnwrap(trainer.pretrainedModelFile)
    XCTAssertThrowsError(try WeightsFile.file(folder)) { XCTAssertTrue("\($0)".contains("does not exist"), "\($0)") }
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    XCTAssertThrowsError(try WeightsFile.file(folder)) { XCTAssertTrue("\($0)".contains("holds no weights file"), "\($0)") }
    let src = try ModuleRegistry.build(try JSON.parse(Data(#"{"type": "Linear", "in_features": 3, "out_features": 2}"#.utf8)))
    FileManager.default.createFile(atPath: folder + "/desc_0.json", contents: Data("{}".utf8))
    try Checkpoint.save(src, to: folder + "/model_0.safetensors")
    XCTAssertEqual(try WeightsFile.file(folder), (folder as NSString).appendingPathComponent("model_0.safetensors"))
    let dst = try ModuleRegistry.build(try JSON.parse(Data(#"{"type": "Linear", "in_features": 3, "out_features": 2}"#.utf8)))
    _ = try WeightsFile.load(folder, into: dst, head: [], strict: nil)
    XCTAssertEqual(dst.stateDict()["weight"]!.toArray(), src.stateDict()["weight"]!.toArray())
  }
}
