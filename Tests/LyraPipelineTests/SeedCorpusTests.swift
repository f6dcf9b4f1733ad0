import Foundation
import XCTest
@testable import LyraPipeline

/// The fuzzing seeds under Tests/fuzz/corpus/yaml must stay valid configs: a fuzzer
/// mutating a seed the reader already rejects explores only the error path.
final class YAMLSeedCorpusTests: XCTestCase {
  func testYAMLSeedsLoad() throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("fuzz/corpus/yaml").path
    let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    XCTAssertFalse(names.isEmpty)
    for n in names {
      let c = try PipelineConfig(contentsOf: dir + "/" + n, taskFolder: "/tmp/task-1")
      XCTAssertFalse(c.steps.isEmpty, n)
    }
  }
}
