import Foundation
import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// `lyra worker` runs only the plug-ins its own command line names (issue 14): a trial
/// store that names another Lua file (whoever can write the database) is refused, and
/// the trial goes back to pending for a worker that may run it.
final class WorkerPluginTests: XCTestCase {
  func worker(_ store: String, _ extra: [String]) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: storeTestLyraBinary())
    p.arguments = ["worker", "--store", store, "--idle-exit", "0"] + extra
    let text = try runCapturingStderr(p)
    return (p.terminationStatus, text)
  }

  func testAPluginNamedOnlyByTheStoreIsNotRun() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: storeTestLyraBinary()), "lyra binary not built")
    let dir = try storeTestDir("worker-plugin")
    let marker = dir + "/ran"
    let evil = dir + "/evil.lua"
    try "local f = io.open('\(marker)', 'w'); f:write('ran'); f:close()\n".write(toFile: evil, atomically: true, encoding: .utf8)
    let store = try TrialStore(path: dir + "/trials.db")
    let config = TrialTraining.stepConfig(section: .object([:]), general: .object(["plugins": .array([.string(evil)])]),
                                          taskRoot: dir, step: "hpo")
    try store.addStep("hpo", kind: TrialTraining.kind, config: config)
    try store.insert(Trial(id: 0, config: [:], budget: nil), step: "hpo")

    let (status, err) = try worker(store.path, [])
    XCTAssertEqual(status, 1, err)
    XCTAssertTrue(err.contains("refusing to run plug-in \(evil)") && err.contains("--plugin"), err)
    XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "the store's plug-in did not run")
    XCTAssertEqual(try store.trial(step: "hpo", id: 0)?.status, .pending, "the trial went back for another worker")

    // Named on the command line (another spelling of the same path): it runs. This is
    // what makes the refusal above meaningful: the marker file does appear when allowed.
    let (_, err2) = try worker(store.path, ["--plugin", dir + "/./evil.lua"])
    XCTAssertTrue(FileManager.default.fileExists(atPath: marker), "an allowed plug-in runs: \(err2)")
  }
}
