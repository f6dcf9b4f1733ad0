import Foundation
import XCTest
import LyraBase

/// Helpers of the kill tests: run `lyra run` with the deterministic self-kill switch
/// (`LYRA_TEST_KILL_AT=STEP:EVENT:K`), resume, and compare a task with an uninterrupted
/// one. No sleeps, no timing: each kill lands at a named event.
struct PipelineKillRun {
  let dir: String

  init(_ name: String) throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-kill-\(name)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  func remove() { try? FileManager.default.removeItem(atPath: dir) }

  /// Writes the config (with `BASE` replaced by a folder of its own) and returns its path.
  func config(_ name: String, _ yaml: String) throws -> String {
    let path = dir + "/\(name).yml"
    try yaml.replacingOccurrences(of: "BASE", with: dir + "/" + name).write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  struct Exit {
    var signalled: Bool
    var status: Int32
    var err: String
  }

  /// Runs `lyra run CFG [--resume ID]` to its end with extra environment.
  func lyra(_ cfg: String, resume: String? = nil, env: [String: String] = [:], extra: [String] = []) throws -> Exit {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: lyraBinary())
    p.arguments = ["run", cfg] + (resume.map { ["--resume", $0] } ?? []) + extra
    var e = ProcessInfo.processInfo.environment
    e["LYRA_PROGRESS"] = "plain"
    e.removeValue(forKey: "LYRA_TEST_KILL_AT")
    e.removeValue(forKey: "LYRA_TEST_KILL_COUNTER")
    for (k, v) in env { e[k] = v }
    p.environment = e
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return Exit(signalled: p.terminationReason == .uncaughtSignal, status: p.terminationStatus, err: text)
  }

  /// The one task folder under `dir/<name>`.
  func task(_ name: String) throws -> String {
    let base = dir + "/" + name
    let tasks = try FileManager.default.contentsOfDirectory(atPath: base).filter { !$0.hasPrefix(".") }
    XCTAssertEqual(tasks.count, 1, "one task in \(base)")
    return try XCTUnwrap(tasks.first)
  }

  /// Runs uninterrupted; returns the task's comparable report.
  func reference(_ cfg: String, _ name: String) throws -> [String] {
    let r = try lyra(cfg)
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertFalse(r.signalled)
    return try report(dir + "/\(name)/" + task(name))
  }

  /// Runs with each kill in turn (the first starts the task, the others resume it), each
  /// of which must SIGKILL the process, then resumes to the end; returns the report.
  func killed(_ cfg: String, _ name: String, at kills: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
    var id: String?
    for k in kills {
      let r = try lyra(cfg, resume: id, env: ["LYRA_TEST_KILL_AT": k])
      XCTAssertTrue(r.signalled && r.status == SIGKILL, "LYRA_TEST_KILL_AT=\(k) did not kill the run (status \(r.status)):\n\(r.err)",
                    file: file, line: line)
      if id == nil { id = try task(name) }
    }
    let r = try lyra(cfg, resume: id)
    XCTAssertEqual(r.status, 0, "the final resume failed:\n\(r.err)", file: file, line: line)
    XCTAssertTrue(r.err.contains("finished"), r.err, file: file, line: line)
    return try report(dir + "/\(name)/" + XCTUnwrap(id))
  }

  /// What must match between a killed-and-resumed task and an uninterrupted one: every
  /// step's summary (status, models, chosen models) and every record (id, status,
  /// epochs, hyperparameters, performance).
  func report(_ root: String) throws -> [String] {
    let reports = try JSON.parse(FileManager.default.contents(atPath: root + "/output/reports.json") ?? Data())
    var out: [String] = []
    for s in reports["_steps_"]?.array ?? [] {
      let name = s["step_name"]?.string ?? "?"
      out.append("step \(name) \(s["status"]?.string ?? "-") models \(s["num_models"]?.text ?? "-") best \(s["best_models"]?.text ?? "-")")
      for r in reports[name]?.array ?? [] {
        out.append("  #\(r["worker_id"]?.text ?? "?") \(r["status"]?.string ?? "-") epochs \(r["num_epochs"]?.text ?? "missing") "
                   + "hps \(r["hps"]?.text ?? "-") perf \(r["performance"]?.text ?? "-")")
      }
    }
    return out
  }
}

/// A tiny seeded generator: "random" kill moments that are the same on every run.
struct KillDice {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  /// A value in `range`.
  mutating func roll(_ range: ClosedRange<Int>) -> Int {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return range.lowerBound + Int(z % UInt64(range.count))
  }
}
