import Foundation
import LyraBase
import LyraSearch
import LyraSpace
@testable import LyraPipeline

/// The `lyra` binary next to the test bundle (built by `swift build --build-tests`).
func storeTestLyraBinary() -> String {
  let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
  var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
  if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
  return dir.appendingPathComponent("lyra").path
}

/// A fresh directory under the temporary directory.
func storeTestDir(_ name: String) throws -> String {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-\(name)-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  return dir
}

func storeTestTrial(_ id: Int, x1: Double = 1.5, x2: Double = 2.25) -> Trial {
  Trial(id: id, config: ["x1": .double(x1), "x2": .double(x2)], budget: nil)
}

/// Lines of an execution log written by the test.branin executor: "step trial attempt".
func executionLog(_ path: String) -> [(trial: Int, attempt: Int)] {
  guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
  return text.split(separator: "\n").compactMap { line in
    let f = line.split(separator: " ")
    guard f.count == 3, let t = Int(f[1]), let a = Int(f[2]) else { return nil }
    return (t, a)
  }
}

/// What must be equal between two runs: each finished trial's id, config and result.
func finishedTrials(_ store: TrialStore, step: String) throws -> [String] {
  try store.trials(step: step).map { r in
    "\(r.trial.id) \(StateCodec.config(r.trial.config).text) \(r.status.rawValue) \(r.result.map { StateCodec.result($0).text } ?? "-")"
  }
}

/// Runs `p` to its end with standard output discarded, and returns what it wrote to
/// standard error (read before waiting, so a chatty child cannot fill the pipe and stall).
func runCapturingStderr(_ p: Process) throws -> String {
  let err = Pipe()
  p.standardError = err
  p.standardOutput = FileHandle.nullDevice
  try p.run()
  let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  p.waitUntilExit()
  return text
}
