import Foundation

/// Runs `body` in a forked child whose address space is capped at its current size plus
/// `headroom` bytes, and returns how the child ended.
///
/// Why: a reader that reserves memory from an untrusted count (a CSV row width, a gzip
/// header) may never touch the pages, so the parent would not notice; under the cap the
/// reservation fails and the child dies, which makes the hostile case a failing test
/// rather than a silent 851 GiB reservation. The child only parses and `_exit`s (no XCTest
/// calls), so forking the test process is safe.
enum AddressSpaceProbe {
  enum Outcome: Equatable {
    /// `body` returned normally (0) or threw (1).
    case exited(Int32)
    /// The child died of a signal (a trap, an abort on a failed allocation).
    case signalled(Int32)
  }

  static func run(headroom: Int = 2 << 30, _ body: @escaping () throws -> Void) -> Outcome {
    let pid = fork()
    precondition(pid >= 0, "fork failed")
    if pid == 0 {
      var limit = rlimit()
      let cap = rlim_t(currentVirtualSize() + headroom)
      limit.rlim_cur = cap
      limit.rlim_max = cap
      setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
      do { try body(); _exit(0) } catch { _exit(1) }
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let signal = status & 0x7F
    return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
  }

  /// VmSize of this process from /proc/self/status, in bytes.
  static func currentVirtualSize() -> Int {
    let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    for line in text.split(separator: "\n") where line.hasPrefix("VmSize:") {
      if let kb = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) { return kb * 1024 }
    }
    return 0
  }
}
