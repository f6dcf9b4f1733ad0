import Foundation
import LyraBase
@testable import LyraPipeline

/// One small pipeline run for a test: the config text (given the task folder to write in
/// `general.task.local_base_path`) runs quietly in a fresh temporary folder, removed after.
enum TinyPipelineRun {
  static func run(_ name: String, _ yaml: (String) -> String) throws -> (Pipeline, Pipeline.Summary) {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-tiny-\(getpid())-\(name)").path
    defer { try? FileManager.default.removeItem(atPath: base) }
    let p = try Pipeline(document: try YAMLDocument(text: yaml(base), file: "\(name).yml"))
    p.log = { _ in }
    return (p, try p.run())
  }
}
