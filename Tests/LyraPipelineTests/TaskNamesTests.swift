import Foundation
import XCTest
import LyraBase
@testable import LyraPipeline

/// Step names and task ids are folder names: only identifiers pass (issue 14), so a
/// step named `../../../x` cannot write trial files outside the task folder.
final class TaskNamesTests: XCTestCase {
  func testIdentifiersPassAndPathsDoNot() {
    for ok in ["hpo", "fully_train", "nas1", "_x", "step-2"] { XCTAssertNil(TaskNames.stepProblem(ok), ok) }
    for bad in ["../../../x", "a/b", "..", ".", "", "a.b", "1abc", "x y", "é", String(repeating: "a", count: 65)] {
      XCTAssertNotNil(TaskNames.stepProblem(bad), bad)
    }
    for ok in ["1129.134748.991", "my-run", "run_2"] { XCTAssertNil(TaskNames.taskProblem(ok), ok) }
    for bad in ["..", ".", "../x", "a/b", ".hidden", "-x", ""] { XCTAssertNotNil(TaskNames.taskProblem(bad), bad) }
  }

  func testAPathAsStepNameIsAConfigErrorNamingTheKeyAndWritesNothingOutside() throws {
    let dir = try storeTestDir("names")
    let base = dir + "/deep/er/tasks"
    let yaml = """
      general: {task: {local_base_path: \(base)}}
      pipeline: ["../../../x"]
      "../../../x":
        pipe_step: {type: TrainPipeStep}
        model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [4]}}}
        trainer: {epochs: 1}
      """
    XCTAssertThrowsError(try Pipeline(document: try YAMLDocument(text: yaml, file: "evil.yml"))) { e in
      let text = "\(e)"
      XCTAssertTrue(text.contains("pipeline") && text.contains("'../../../x' is not a valid step name"), text)
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: base), "no task folder was made")
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/x"))
  }

  func testAPathAsTaskIDIsRefused() throws {
    let dir = try storeTestDir("names-task")
    let yaml = """
      general: {task: {local_base_path: \(dir)/tasks}}
      pipeline: [t]
      t: {pipe_step: {type: TrainPipeStep}, model: {model_desc: {modules: [b], b: {type: MLP, hidden: [4]}}}, trainer: {epochs: 1}}
      """
    XCTAssertThrowsError(try Pipeline(document: try YAMLDocument(text: yaml, file: "c.yml"), resume: "../..")) { e in
      XCTAssertTrue("\(e)".contains("--resume") && "\(e)".contains("not a valid task id"), "\(e)")
    }
  }
}
