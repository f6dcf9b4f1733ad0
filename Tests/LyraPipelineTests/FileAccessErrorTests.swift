import Foundation
import XCTest
import LyraBase
@testable import LyraPipeline

/// A task folder that cannot be written gives one line naming the path (issue 14), not
/// Foundation's `Error Domain=... UserInfo={...}` dump.
final class FileAccessErrorTests: XCTestCase {
  /// The conversion of Foundation's permission errors (what a read-only folder gives a
  /// non-root user; tests run as root here, where chmod does not deny anything).
  func testFoundationPermissionErrorsBecomeOneLine() {
    let path = "/srv/tasks/1/output/reports.json"
    let posix = NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES))
    let cocoa = NSError(domain: NSCocoaErrorDomain, code: NSFileWriteNoPermissionError,
                        userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: posix])
    let text = "\(FileAccessError.wrap(cocoa, path: "ignored", action: "write"))"
    XCTAssertTrue(text.hasPrefix("cannot write \(path): permission denied"), text)
    XCTAssertFalse(text.contains("\n") || text.contains("Domain") || text.contains("UserInfo"), text)
    let bare = NSError(domain: NSCocoaErrorDomain, code: NSFileWriteNoPermissionError)
    XCTAssertEqual("\(FileAccessError.wrap(bare, path: "/x", action: "write"))".hasPrefix("cannot write /x: permission denied"), true)
    struct Other: Error {}
    XCTAssertTrue(FileAccessError.wrap(Other(), path: "/x", action: "write") is Other, "other errors pass through")
  }

  /// A real failure: the tasks folder lies under a regular file.
  func testATaskFolderThatCannotBeMadeIsOneLineNamingThePath() throws {
    let dir = try storeTestDir("file-errors")
    try Data("not a folder".utf8).write(to: URL(fileURLWithPath: dir + "/blocked"))
    let yaml = """
      general: {task: {local_base_path: \(dir)/blocked/tasks}}
      pipeline: [t]
      t: {pipe_step: {type: TrainPipeStep}, model: {model_desc: {modules: [b], b: {type: MLP, hidden: [4]}}}, trainer: {epochs: 1}}
      """
    XCTAssertThrowsError(try Pipeline(document: try YAMLDocument(text: yaml, file: "c.yml"))) { e in
      let text = "\(e)"
      XCTAssertTrue(text.hasPrefix("cannot create the folder \(dir)/blocked/tasks"), text)
      XCTAssertTrue(text.contains("\(dir)/blocked is a file, not a folder"), text)
      XCTAssertFalse(text.contains("\n") || text.contains("Domain"), text)
    }
  }

  /// Without root, a read-only task folder is the real case.
  func testReadOnlyTaskFolderWhenNotRoot() throws {
    try XCTSkipIf(getuid() == 0, "root ignores file permissions")
    let dir = try storeTestDir("file-errors-ro")
    try FileManager.default.createDirectory(atPath: dir + "/tasks/t1/output", withIntermediateDirectories: true)
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir + "/tasks/t1")
    defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir + "/tasks/t1") }
    let output = try TaskOutput(root: dir + "/tasks/t1")
    XCTAssertThrowsError(try TaskLock(taskRoot: output.root)) { e in
      XCTAssertTrue("\(e)".contains("permission denied") && "\(e)".contains(dir), "\(e)")
    }
  }
}
