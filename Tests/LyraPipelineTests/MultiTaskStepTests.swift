import XCTest
import LyraBase
import LyraNN
import LyraNets
import LyraTensor
@testable import LyraPipeline

/// VEGA's MultiTaskPipeStep: tasks trained in turn on one model whose parts named alike in
/// every task (the backbone) are shared, the other parts (the heads) each task's own.
final class MultiTaskStepTests: XCTestCase {
  static let data = "{type: FashionMnist, common: {batch_size: 32}, train: {max_samples: 64}, test: {max_samples: 32}}"

  func task(_ head: String, train: Bool) -> String {
    """
        model: {model_desc: {modules: [backbone, \(head)], backbone: {type: MLP, hidden: [4]}, \(head): {type: MLP, in_features: 10, hidden: []}}}
        trainer: {seed: 7, epochs: 1, with_train: \(train), optimizer: {type: SGD, params: {lr: 0.5}}}
    """
  }

  func testTheBackboneIsHandedFromTaskToTaskAndTrainedByEach() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-multitask-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: base) }
    // a trains, b only evaluates (its weights stay as they came), c trains again.
    let text = """
    general: {seed: 3, task: {local_base_path: \(base)}}
    pipeline: [multi]
    multi:
      pipe_step: {type: MultiTaskPipeStep, tasks: [a, b, c], multi_task_epochs: 1}
      dataset: \(Self.data)
      a:
    \(task("head_a", train: true))
      b:
    \(task("head_b", train: false))
      c:
    \(task("head_c", train: true))
    """
    let p = try Pipeline(document: try YAMLDocument(text: text, file: "multi.yml"))
    p.log = { _ in }
    _ = try p.run()
    XCTAssertEqual(p.records["multi"]?.map(\.workerID), [0, 1, 2])
    func weights(_ i: Int) throws -> [String: [Float]] {
      try MultiTaskStep.state(TrialFile.weights.path(i, in: p.output.layout.workerFolder("multi", i))).mapValues { $0.toArray() }
    }
    let (a, b, c) = (try weights(0), try weights(1), try weights(2))
    let backbone = a.keys.filter { $0.hasPrefix("backbone.") }.sorted()
    XCTAssertFalse(backbone.isEmpty)
    // The untrained b holds exactly the backbone a left; without sharing it would hold its
    // own fresh one (the same seed's initial weights, which a's training changed).
    Tensor.manualSeed(7) // the trainer seed: every task builds its model from it
    let headDesc = try YAMLDocument(text: "{modules: [backbone, head_b], backbone: {type: MLP, hidden: [4]}, head_b: {type: MLP, in_features: 10, hidden: []}}", file: "d").value
    let fresh = try NetworkRegistry.build(headDesc, input: [1, 28, 28]).stateDict()
    for k in backbone {
      XCTAssertEqual(b[k], a[k], k)
      XCTAssertNotEqual(a[k], fresh[k]?.toArray(), "a trained \(k)")
    }
    // c started from that backbone and trained it further.
    XCTAssertTrue(backbone.contains { c[$0] != b[$0] })
    // Heads stay with their task: b's own head is its initial one, c's is not in b's file.
    for k in b.keys where k.hasPrefix("head_b.") { XCTAssertEqual(b[k], fresh[k]?.toArray(), k) }
    XCTAssertTrue(c.keys.allSatisfy { !$0.hasPrefix("head_b.") })
  }

  func check(_ text: String) throws -> [ConfigError] {
    let doc = try YAMLDocument(text: text, file: "multi.yml")
    return Pipeline.problems(raw: doc.value, file: doc.file, lines: doc.lines)
  }

  func testASegmentationTaskIsOneOutOfScopeProblemFoundByTheCheck() throws {
    let problems = try check("""
    pipeline: [multi]
    multi:
      pipe_step: {type: MultiTaskPipeStep, tasks: [seg, cls]}
      seg:
        model: {model_desc: {modules: [backbone, seghead], backbone: {type: MLP}, seghead: {type: MicroDecoder, num_classes: 21}}}
        dataset: {type: Cityscapes, common: {data_path: /nonexistent}}
        trainer: {metric: {type: IoUMetric}}
      cls:
        model: {model_desc: {modules: [backbone, head], backbone: {type: MLP}, head: {type: MLP, in_features: 10}}}
        dataset: \(Self.data)
    """)
    XCTAssertEqual(problems.count, 1, "\(problems)")
    let p = try XCTUnwrap(problems.first)
    XCTAssertEqual(p.key, "multi.seg")
    XCTAssertEqual(p.line, 4)
    XCTAssertTrue(p.message.contains("is segmentation") && p.message.contains("out of scope"), p.message)
    XCTAssertTrue(p.message.contains("MicroDecoder") && p.message.contains("Cityscapes") && p.message.contains("IoUMetric"), p.message)
  }

  func testTaskSectionsAreCheckedAsTrainSteps() throws {
    let problems = try check("""
    pipeline: [multi]
    multi:
      pipe_step: {type: MultiTaskPipeStep, tasks: [a, b], multi_task_epochs: 0}
      a:
        model: {model_desc: {modules: [backbone, head], backbone: {type: MLP}, head: {type: MLP, in_features: 10}}}
        trainer: {epochz: 1}
      b:
        model: {model_desc: {modules: [trunk, head], trunk: {type: MLP}, head: {type: MLP, in_features: 10, num_class: 5}}}
      c: {}
    """).map { "\($0.key ?? ""): \($0.message)" }
    XCTAssertTrue(problems.contains { $0.hasPrefix("multi.a.trainer.epochz: unknown key") }, "\(problems)")
    XCTAssertTrue(problems.contains { $0.hasPrefix("multi.c: unknown key 'c'") }, "\(problems)")
    XCTAssertTrue(problems.contains { $0.hasPrefix("multi.pipe_step.multi_task_epochs:") }, "\(problems)")
    // Neither part is named and described alike in both tasks: nothing would be shared.
    XCTAssertTrue(problems.contains { $0.hasPrefix("multi.pipe_step.tasks: the tasks share no part") }, "\(problems)")
  }

  func testATaskSectionLeftOutOfTasksIsIgnoredWithAWarning() throws {
    let text = """
    pipeline: [multi]
    multi:
      pipe_step: {type: MultiTaskPipeStep, tasks: [cls]}
      cls:
        model: {model_desc: {modules: [backbone, head], backbone: {type: MLP}, head: {type: MLP, in_features: 10}}}
        dataset: \(Self.data)
      segmentation:
        model: {model_desc: {modules: [backbone, seghead], backbone: {type: MLP}, seghead: {type: MicroDecoder}}}
    """
    XCTAssertEqual(try check(text).map(\.message), [])
    let c = try PipelineConfig(document: try YAMLDocument(text: text, file: "multi.yml"))
    XCTAssertEqual(c.warnings.map { "\($0.key ?? ""): \($0.message)" },
                   ["multi.segmentation: task section 'segmentation' is not named in pipe_step.tasks and is ignored"])
  }
}
