import Foundation
import XCTest

/// `lyra run --artifacts`: a URL scheme other than file: is refused with a message saying only a directory is
/// supported, and SQLite refuses the option; both before a task is created (nothing left behind).
final class ArtifactsOptionTests: XCTestCase {
  func testRefusedBeforeATaskIsCreated() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-artifacts-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cfg = dir + "/c.yml"
    try """
      general: {task: {local_base_path: \(dir)/tasks}}
      pipeline: [hpo]
      hpo: {pipe_step: {type: SearchPipeStep}}
      """.write(toFile: cfg, atomically: true, encoding: .utf8)
    let s3 = try runLyra(["run", cfg, "--store", "postgresql://lyra@/db?host=\(dir)/nosocket", "--artifacts", "s3://bucket/lyra"])
    XCTAssertNotEqual(s3.status, 0)
    XCTAssertTrue(s3.err.contains("only a directory is supported"), s3.err)
    let sqlite = try runLyra(["run", cfg, "--artifacts", dir + "/files"])
    XCTAssertEqual(sqlite.status, 2)
    XCTAssertTrue(sqlite.err.contains("--artifacts is for a PostgreSQL store"), sqlite.err)
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/tasks"), "no task created")
  }
}
