import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// THE crash test (issue 6, "Done when"): a runner process running a seeded TPE search
/// is SIGKILLed 5 times and resumed each time; the finished trials (ids, configs, scores)
/// must equal those of an uninterrupted run with the same seed, and no finished trial
/// may run again.
///
/// The kill moments are drawn from a seeded generator and reached through the self-kill
/// switch (`LYRA_TEST_KILL_AT=search:EVENT:K`: at the K-th claim, executor return, stored
/// result or — with workers — told result), so every run kills at the same places, each
/// round kills exactly once, and nothing waits on the clock (issue 14).
final class RunnerCrashTests: XCTestCase {
  func testSigkillFiveTimesSequentialTPE() throws {
    try crashAndResume(seed: 2024, events: ["claim", "result", "trial"])
  }

  /// Parallel: the runner and its 3 `lyra worker` processes; the runner dies right after
  /// telling the K-th result. The heartbeat timeout is out of reach, so no live worker's
  /// trial is ever requeued because the machine was slow. Random search, whose configs depend only on the trial
  /// index, so the result is order-independent.
  func testSigkillFiveTimesParallelWorkers() throws {
    try crashAndResume(seed: 77, extra: ["--algorithm", "random", "--workers", "3", "--sleep-ms", "20",
                                                "--heartbeat-timeout", "100000"], events: ["tell"],
                       rerunsPerKill: 3)
  }
}

/// A tiny seeded generator for the kill moments.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// Pids of live processes whose command line mentions `text` (zombies excluded).
func processesMentioning(_ text: String) -> [Int32] {
  let me = getpid()
  let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
  return entries.compactMap(Int32.init).filter { pid in
    guard pid != me, let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
          let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), !stat.contains(") Z ") else { return false }
    return String(decoding: cmd, as: UTF8.self).contains(text)
  }
}
