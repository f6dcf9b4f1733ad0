import Foundation
import LyraBase

/// Memory ran short while a model was running: the step is refused before the kernel's
/// allocation fails (which would kill the process, or a worker with it).
public struct MemoryError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// Stops a forward or backward pass that is about to outgrow the machine, with an error
/// instead of the kernel's OOM killer.
///
/// Why: a sampled network (NAGO at VEGA's batch size, a wide ResNet-50 at 224×224) can need
/// more activation memory than the machine has. Allocation inside a kernel cannot throw, so
/// the last safe moment to refuse is between modules: `Module.callAsFunction` and each node
/// of `backwardChecked` call `check`. It is cheap: it reads the count of live tensor bytes
/// (kept by `BufferCache` under the lock it already takes) and looks at the system's free
/// memory only after live tensors have grown by `probeStep` since the last look (a file
/// read, about 20 µs).
///
/// Two limits, either of which refuses:
/// - `LYRA_MEMORY_LIMIT` (bytes, `K`/`M`/`G` suffixes): a cap on live tensor bytes. Unset by
///   default; deterministic, so tests use it.
/// - The reserve: the memory the system reports available (`MemAvailable`, and the cgroup's
///   `memory.max` where one is set) must stay above `LYRA_MEMORY_RESERVE`, by default an
///   eighth of physical memory and at least 1 GiB — room for one layer's allocations between
///   two checks, for the backward pass's first gradients, and for the process to report.
public enum MemoryGuard {
  /// Cap on live tensor bytes (`LYRA_MEMORY_LIMIT`), nil when unset.
  nonisolated(unsafe) public static var limit: Int? = byteCount("LYRA_MEMORY_LIMIT").flatMap { $0 > 0 ? $0 : nil }

  /// Free memory to keep (`LYRA_MEMORY_RESERVE`).
  nonisolated(unsafe) public static var reserve: Int = byteCount("LYRA_MEMORY_RESERVE")
    ?? max(1 << 30, Int(clamping: ProcessInfo.processInfo.physicalMemory) / 8)

  /// The environment variable `name` as a byte count; a value that is not one is said on
  /// stderr (once, at the first check) and ignored, so a typo does not pass unnoticed.
  static func byteCount(_ name: String) -> Int? {
    guard let text = ProcessInfo.processInfo.environment[name], !text.isEmpty else { return nil }
    if let n = CheckedSize.parseByteCount(text) { return n }
    FileHandle.standardError.write(Data("lyra: \(name)=\(text) is not a byte count (use e.g. 512M or 8G); ignored\n".utf8))
    return nil
  }

  /// Growth of live tensor bytes between two looks at the system's free memory.
  static let probeStep = 64 << 20
  nonisolated(unsafe) static var lastProbeLive = 0
  static let lock = NSLock()

  /// Throws `MemoryError` naming `what` when live tensors exceed `limit` or the system's
  /// free memory fell under `reserve` (after the buffer cache was given back).
  public static func check(_ what: @autoclosure () -> String) throws {
    let live = BufferCache.liveBytes
    if let limit, live > limit {
      throw MemoryError("\(what()): tensors hold \(CheckedSize.formatBytes(live)), above the limit of "
        + "\(CheckedSize.formatBytes(limit)) (LYRA_MEMORY_LIMIT, or --max-memory in the sandbox); lower the batch "
        + "size or the image size, or raise the limit")
    }
    lock.lock()
    // Growth since the lowest point seen: freeing lowers the mark without a look (a loop
    // that frees and allocates small tensors every call must not read the file each time).
    let due = live >= lastProbeLive + probeStep
    if due || live < lastProbeLive { lastProbeLive = live }
    lock.unlock()
    guard due, var available = CheckedSize.availableMemory(), available < reserve else { return }
    BufferCache.purge()
    available = CheckedSize.availableMemory() ?? available
    guard available < reserve else { return }
    throw MemoryError("\(what()): out of memory: tensors hold \(CheckedSize.formatBytes(live)) and only "
      + "\(CheckedSize.formatBytes(available)) of the machine's memory is left (the reserve is "
      + "\(CheckedSize.formatBytes(reserve)), LYRA_MEMORY_RESERVE); lower the batch size or the image size")
  }
}
