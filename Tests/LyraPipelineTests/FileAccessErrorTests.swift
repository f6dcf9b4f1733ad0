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

  /// The real case: `lyra run` by a user who may not write the tasks folder. As root
  /// (where permissions deny nothing) the run is made as `nobody` through setpriv.
  func testReadOnlyTasksFolderIsOneLineNamingThePath() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: storeTestLyraBinary()), "lyra binary not built")
    let setpriv = "/usr/bin/setpriv"
    try XCTSkipIf(getuid() == 0 && !FileManager.default.isExecutableFile(atPath: setpriv), "root without setpriv")
    let dir = try storeTestDir("file-errors-ro")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir + "/tasks", withIntermediateDirectories: true)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir)
    try """
      general: {task: {local_base_path: \(dir)/tasks}}
      pipeline: [t]
      t: {pipe_step: {type: TrainPipeStep}, model: {model_desc: {modules: [b], b: {type: MLP, hidden: [4]}}}, trainer: {epochs: 1}}
      """.write(toFile: dir + "/c.yml", atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir + "/c.yml")
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir + "/tasks")
    let p = Process()
    if getuid() == 0 {
      p.executableURL = URL(fileURLWithPath: setpriv)
      p.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", storeTestLyraBinary(), "run", dir + "/c.yml"]
    } else {
      p.executableURL = URL(fileURLWithPath: storeTestLyraBinary())
      p.arguments = ["run", dir + "/c.yml"]
    }
    let text = try runCapturingStderr(p)
    XCTAssertEqual(p.terminationStatus, 1, text)
    XCTAssertTrue(text.hasPrefix("lyra run: cannot create the folder \(dir)/tasks/"), text)
    XCTAssertTrue(text.contains("permission denied"), text)
    XCTAssertEqual(text.split(separator: "\n").count, 1, "one line: \(text)")
    XCTAssertFalse(text.contains("Domain") || text.contains("UserInfo"), text)
  }
}
