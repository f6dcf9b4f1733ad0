import Foundation
import XCTest

/// Every input that ever crashed or hung a fuzz target (Tests/fuzz/regressions/TARGET/)
/// and every seed (Tests/fuzz/corpus/TARGET/) is replayed through the target's entry point
/// in its own `lyra-fuzz replay` process: it must end normally with success or a clean error.
/// Also checks that the harness itself catches a crash and a hang, and keeps the input.
final class FuzzRegressionTests: XCTestCase {
  /// The checkout (this file is Tests/LyraCLITests/FuzzRegressionTests.swift).
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  static func fuzzBinary() -> String {
    (lyraBinary() as NSString).deletingLastPathComponent + "/lyra-fuzz"
  }

  /// Runs lyra-fuzz; a run still going after `limit` seconds is killed and reported as a hang
  /// (a liveness guard for a stuck input, not a timing assertion: the inputs take milliseconds).
  func fuzz(_ args: [String], limit: Double = 600) throws -> (status: Int32, out: String, hung: Bool) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: FuzzRegressionTests.fuzzBinary())
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: FuzzRegressionTests.repo)
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    let done = DispatchSemaphore(value: 0)
    p.terminationHandler = { _ in done.signal() }
    try p.run()
    nonisolated(unsafe) var data = Data()
    let read = DispatchSemaphore(value: 0)
    DispatchQueue.global().async { data = out.fileHandleForReading.readDataToEndOfFile(); read.signal() }
    let hung = done.wait(timeout: .now() + limit) == .timedOut
    if hung { p.terminate(); kill(p.processIdentifier, SIGKILL); done.wait() }
    read.wait()
    // The process's scratch folder (FuzzTargets.scratchFolder), which it cannot remove itself.
    let tmp = NSTemporaryDirectory()
    for f in (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? [] where f.hasPrefix("lyra-fuzz-") && f.hasSuffix("-\(p.processIdentifier)") {
      try? FileManager.default.removeItem(atPath: (tmp as NSString).appendingPathComponent(f))
    }
    return (p.terminationStatus, String(decoding: data, as: UTF8.self), hung)
  }

  func inputs(_ folder: String) -> [(target: String, file: String)] {
    let fm = FileManager.default
    let base = FuzzRegressionTests.repo + "/Tests/fuzz/" + folder
    var out: [(String, String)] = []
    for t in ((try? fm.contentsOfDirectory(atPath: base)) ?? []).sorted() {
      for f in ((try? fm.contentsOfDirectory(atPath: base + "/" + t)) ?? []).sorted() where !f.hasPrefix(".") {
        out.append((t, base + "/" + t + "/" + f))
      }
    }
    return out
  }

  func replayAll(_ folder: String) throws {
    let all = inputs(folder)
    for (target, file) in all {
      let r = try fuzz(["replay", target, file])
      let line = r.out.split(separator: "\n").last.map(String.init) ?? ""
      XCTAssertFalse(r.hung, "\(target) \(file): hung")
      XCTAssertEqual(r.status, 0, "\(target) \(file): the process died (status \(r.status)):\n\(r.out.suffix(600))")
      XCTAssertTrue(line.hasSuffix(": ok") || line.contains(": error: "), "\(target) \(file): \(line)")
    }
  }

  func testSeedsAreHandled() throws {
    XCTAssertGreaterThan(inputs("corpus").count, 20, "the seed corpora are missing")
    try replayAll("corpus")
  }

  func testEveryRegressionInputIsHandled() throws {
    try replayAll("regressions")
  }

  /// The harness must notice a crash and a hang, save the exact input, and fail.
  func testCampaignKeepsCrashingAndHangingInputs() throws {
    let dir = NSTemporaryDirectory() + "fuzz-selftest-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir + "/corpus", withIntermediateDirectories: true)
    for (name, text) in [("a", "fine"), ("b", "CRASH here"), ("c", "HANG here")] {
      FileManager.default.createFile(atPath: dir + "/corpus/" + name, contents: Data(text.utf8))
    }
    // Three runs: exactly the three seeds, unmutated.
    let r = try fuzz(["run", "self-test", "--runs", "3", "--timeout", "0.5", "--corpus", dir + "/corpus", "--out", dir + "/out"])
    XCTAssertEqual(r.status, 1, r.out)
    let kept = try FileManager.default.contentsOfDirectory(atPath: dir + "/out").sorted()
    XCTAssertEqual(kept.count, 2, r.out)
    let contents = Set(kept.compactMap { FileManager.default.contents(atPath: dir + "/out/" + $0) }.map { String(decoding: $0, as: UTF8.self) })
    XCTAssertEqual(contents, ["CRASH here", "HANG here"])
    XCTAssertTrue(kept.contains { $0.hasPrefix("crash-") } && kept.contains { $0.hasPrefix("hang-") }, "\(kept)")
  }

  /// Same seed, same inputs (the fingerprint of all inputs run); another seed, other inputs.
  func testCampaignIsDeterministic() throws {
    func fingerprint(_ seed: String) throws -> String {
      let r = try fuzz(["run", "json", "--runs", "300", "--seed", seed, "--out", NSTemporaryDirectory() + "fuzz-det-\(getpid())"])
      XCTAssertEqual(r.status, 0, r.out)
      XCTAssertTrue(r.out.contains("300 executions"), r.out)
      return r.out.components(separatedBy: "inputs ").last ?? ""
    }
    let a = try fingerprint("7"), b = try fingerprint("7"), c = try fingerprint("8")
    XCTAssertEqual(a, b)
    XCTAssertNotEqual(a, c)
  }
}
