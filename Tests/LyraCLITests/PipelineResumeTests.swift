import Foundation
import XCTest
import LyraBase

/// DESIGN.md §7 / issue 6: a pipeline killed with SIGKILL at random moments and resumed
/// each time ends with the same finished trials as an uninterrupted run.
final class PipelineResumeTests: XCTestCase {
  func config(base: String) -> String {
    """
    general: {seed: 7, task: {local_base_path: \(base)}}
    pipeline: [hpo]
    hpo:
      pipe_step: {type: SearchPipeStep}
      dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 384}, test: {max_samples: 128}}
      search_algorithm: {type: TpeHpo, objective_keys: accuracy, policy: {num_samples: 10, warmup_count: 3}}
      search_space:
        hyperparameters:
          - {key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.005, 0.3]}
          - {key: network.backbone.hidden, type: CATEGORY, range: [[16], [32]]}
      model: {model_desc: {modules: [backbone], backbone: {type: MLP}}}
      trainer: {type: Trainer, epochs: 2, optimizer: {type: SGD, params: {lr: 0.05, momentum: 0.9}}}
    """
  }

  /// Starts `lyra run`; returns the process and the task id it prints.
  func start(_ cfg: String, resume: String?) throws -> (Process, Pipe) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: lyraBinary())
    p.arguments = ["run", cfg] + (resume.map { ["--resume", $0] } ?? [])
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    return (p, err)
  }

  func taskID(_ text: String) -> String? {
    guard let r = text.range(of: "task ") else { return nil }
    return text[r.upperBound...].split(separator: " ").first.map(String.init)
  }

  /// (trial id, lr, accuracy) of the finished trials in a task's reports.json.
  func finished(_ root: String) throws -> [String] {
    let reports = try JSON.parse(FileManager.default.contents(atPath: root + "/output/reports.json") ?? Data())
    return (reports["hpo"]?.array ?? []).map { r in
      let lr = r["hps"]?["trainer"]?["optimizer"]?["params"]?["lr"]?.double ?? -1
      let acc = r["performance"]?["accuracy"]?.double ?? -1
      return "\(r["worker_id"]?.int ?? -1) \(lr) \(acc) \(r["status"]?.string ?? "")"
    }.sorted()
  }

  func testSIGKILLAtFiveMomentsThenResumeMatchesAnUninterruptedRun() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-resume-\(getpid())").path
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cfgA = dir + "/a.yml", cfgB = dir + "/b.yml"
    try config(base: dir + "/a").write(toFile: cfgA, atomically: true, encoding: .utf8)
    try config(base: dir + "/b").write(toFile: cfgB, atomically: true, encoding: .utf8)

    // Uninterrupted.
    let t0 = Date()
    let (pa, ea) = try start(cfgA, resume: nil)
    let outA = String(decoding: ea.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    pa.waitUntilExit()
    let duration = Date().timeIntervalSince(t0)
    XCTAssertEqual(pa.terminationStatus, 0, outA)
    let idA = try XCTUnwrap(taskID(outA))
    let reference = try finished(dir + "/a/" + idA)
    XCTAssertEqual(reference.count, 10, outA)

    // Killed five times at random moments, resumed each time.
    var id: String?
    var kills = 0
    var rng = SystemRandomNumberGenerator()
    for round in 0..<8 {
      let (p, e) = try start(cfgB, resume: id)
      // Wait until training has started in this process (the first trial line), so each
      // kill lands at a random point of real progress, whatever the machine's speed.
      var seen = ""
      while !seen.contains("[hpo] trial") {
        let d = e.fileHandleForReading.availableData
        if d.isEmpty { break }
        seen += String(decoding: d, as: UTF8.self)
      }
      if id == nil { id = taskID(seen) }
      if kills < 5 {
        // Each round runs at most a seventh of an uninterrupted run, so five rounds never finish it.
        Thread.sleep(forTimeInterval: Double.random(in: 0.02...max(0.05, duration / 7), using: &rng))
        if p.isRunning {
          kill(p.processIdentifier, SIGKILL)
          kills += 1
        }
        p.waitUntilExit()
        continue
      }
      p.waitUntilExit()
      XCTAssertEqual(p.terminationStatus, 0, "final resume (round \(round)) failed")
      break
    }
    XCTAssertEqual(kills, 5)
    let resumed = try finished(dir + "/b/" + XCTUnwrap(id))
    XCTAssertEqual(resumed, reference)
  }
}
