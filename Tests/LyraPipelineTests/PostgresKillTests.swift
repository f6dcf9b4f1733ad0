import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// RunnerCrashTests on PostgreSQL: the coordinator (`lyra _test-search`, with its `lyra worker` processes when
/// parallel) SIGKILLed five times at seeded store events and resumed; the finished trials (ids, configs, results)
/// equal an uninterrupted run's, none ran twice after finishing, and the last run survives two restarts of the
/// database server. The kill moments are self-kills at the K-th claim/result/tell (LYRA_TEST_KILL_AT), so nothing
/// depends on timing.
final class PostgresKillTests: XCTestCase {
  func testSigkillFiveTimesSequentialTPEWithTwoServerRestarts() throws {
    let server = try PostgresTestServer.shared()
    try crashAndResume(seed: 2024, extra: ["--sleep-ms", "5"], events: ["claim", "result", "trial"],
                                          backend: try .postgres(), restartAt: [30, 34]) {
      server.stop(mode: "fast")
      try server.start()
    }
  }

  func testSigkillFiveTimesParallelWorkersWithTwoServerRestarts() throws {
    let server = try PostgresTestServer.shared()
    try crashAndResume(seed: 77, extra: ["--algorithm", "random", "--workers", "3", "--sleep-ms", "20",
                                                            "--heartbeat-timeout", "100000"], events: ["tell"], rerunsPerKill: 3,
                                          backend: try .postgres(), restartAt: [25, 32]) {
      server.stop(mode: "immediate")
      try server.start()
    }
  }

  /// Two coordinators on one task: the second is refused by name while the first holds the task.
  func testSecondCoordinatorRefused() throws {
    let url = try PostgresTestServer.shared().storeURL("coord")
    let first = try TrialStore(path: url), second = try TrialStore(path: url)
    try first.lockCoordinator()
    XCTAssertThrowsError(try second.lockCoordinator(wait: 0.2)) { e in
      XCTAssertTrue("\(e)".contains("already has a running coordinator"), "\(e)")
    }
  }
}
