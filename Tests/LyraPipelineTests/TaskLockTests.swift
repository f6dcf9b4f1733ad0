import Foundation
import XCTest
import LyraBase
@testable import LyraPipeline

/// One runner per task (issue 14): a second run of a locked task is refused naming the
/// holder's pid, before it touches the store; a lock left by a SIGKILLed runner is
/// taken over. The held lock is created by this test process, so nothing depends on how
/// fast another process gets somewhere.
final class TaskLockTests: XCTestCase {
  func testASecondLockOnTheSameTaskIsRefusedNamingTheHolder() throws {
    let root = try storeTestDir("lock")
    let held = try TaskLock(taskRoot: root)
    XCTAssertThrowsError(try TaskLock(taskRoot: root)) { e in
      XCTAssertTrue(e is TaskLockError, "\(e)")
      XCTAssertTrue("\(e)".contains("process \(getpid())"), "names the holder: \(e)")
    }
    held.release()
    XCTAssertNil(try TaskLock(taskRoot: root).tookOverFrom, "a released lock is free, and not 'taken over'")
  }

  func config(_ base: String) -> String {
    """
    general: {seed: 3, task: {local_base_path: \(base)}}
    pipeline: [hpo]
    hpo:
      pipe_step: {type: SearchPipeStep}
      dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 128}, test: {max_samples: 64}}
      search_algorithm: {type: RandomSearch, objective_keys: accuracy, policy: {num_sample: 3}}
      search_space: {hyperparameters: [{key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.01, 0.2]}]}
      model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [8]}}}
      trainer: {type: Trainer, epochs: 1}
    """
  }

  func lyra(_ args: [String], env: [String: String] = [:]) throws -> (Process, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: storeTestLyraBinary())
    p.arguments = args
    var e = ProcessInfo.processInfo.environment
    e.removeValue(forKey: "LYRA_TEST_KILL_AT")
    for (k, v) in env { e[k] = v }
    p.environment = e
    let text = try runCapturingStderr(p)
    return (p, text)
  }

  /// A runner SIGKILLed mid-trial leaves its lock file behind; while this process holds
  /// the lock a `--resume` is refused (and runs nothing); once released, the resume
  /// takes it over and finishes.
  func testResumeIsRefusedWhileLockedAndADeadRunnersLockIsTakenOver() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: storeTestLyraBinary()), "lyra binary not built")
    let dir = try storeTestDir("lock-cli")
    let cfg = dir + "/c.yml"
    try config(dir + "/tasks").write(toFile: cfg, atomically: true, encoding: .utf8)
    let (killed, _) = try lyra(["run", cfg], env: ["LYRA_TEST_KILL_AT": "hpo:epoch:1"])
    XCTAssertEqual(killed.terminationReason, .uncaughtSignal)
    let id = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: dir + "/tasks").first)
    let root = dir + "/tasks/" + id
    let lockText = try String(contentsOfFile: root + "/lock", encoding: .utf8)
    XCTAssertTrue(lockText.hasPrefix("\(killed.processIdentifier) "), "the dead runner's pid is in the lock file: \(lockText)")

    // Held here: a second runner is refused with the holder's pid, and changes nothing.
    let before = try TrialStore(path: root + "/trials.db").counts(step: "hpo")
    let held = try TaskLock(taskRoot: root)
    XCTAssertEqual(held.tookOverFrom?.hasPrefix("\(killed.processIdentifier) "), true, "a dead process's lock is taken over")
    let (refused, err) = try lyra(["run", cfg, "--resume", id])
    XCTAssertEqual(refused.terminationStatus, 1)
    XCTAssertTrue(err.contains("in use by process \(getpid())"), err)
    XCTAssertEqual(err.split(separator: "\n").count, 1, "one line: \(err)")
    XCTAssertEqual(try TrialStore(path: root + "/trials.db").counts(step: "hpo"), before, "the refused runner ran nothing")
    held.release()

    let (resumed, out) = try lyra(["run", cfg, "--resume", id])
    XCTAssertEqual(resumed.terminationStatus, 0, out)
    XCTAssertEqual(try TrialStore(path: root + "/trials.db").counts(step: "hpo")[.completed], 3)
  }
}
