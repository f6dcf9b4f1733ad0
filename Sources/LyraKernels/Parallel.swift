import Dispatch
import Foundation
import CBLAS

/// How kernels split work across cores.
///
/// Why a tiny helper instead of raw `concurrentPerform`: the target machines have two
/// cores, so splitting only pays when each part carries enough work to hide the
/// dispatch cost (a few microseconds); and OpenBLAS runs its own thread pool, so a
/// kernel that calls GEMM from several of our threads must first make OpenBLAS
/// single-threaded or the two pools fight over the same two cores.
public enum KernelParallel {
  /// Threads kernels may use. Defaults to the active core count, capped at 2 (the
  /// machines Lyra is tuned for); set to 1 for fully serial kernels.
  nonisolated(unsafe) public static var maxThreads: Int = max(1, min(2, ProcessInfo.processInfo.activeProcessorCount))

  /// Below this many "work units" (roughly multiply-adds or touched floats) a kernel
  /// stays on the calling thread.
  nonisolated(unsafe) public static var minParallelWork: Int = 32_768

  /// Number of parts to split `count` items into given `work` total units.
  @inlinable
  public static func parts(count: Int, work: Int) -> Int {
    if count < 2 || work < minParallelWork { return 1 }
    return min(maxThreads, count)
  }

  /// Calls `body(part, range)` for `parts` contiguous, near-equal ranges of `0..<count`,
  /// concurrently when `parts > 1`. Ranges are disjoint, so bodies may write disjoint
  /// slices of one output without locks.
  @inlinable
  public static func forRanges(count: Int, parts: Int, _ body: (Int, Range<Int>) -> Void) {
    if parts <= 1 || count <= 1 {
      if count > 0 { body(0, 0..<count) }
      return
    }
    let p = min(parts, count)
    DispatchQueue.concurrentPerform(iterations: p) { i in
      let lo = count * i / p, hi = count * (i + 1) / p
      if hi > lo { body(i, lo..<hi) }
    }
  }

  /// `forRanges` with the part count chosen from `work` (see `parts`).
  @inlinable
  public static func forRanges(count: Int, work: Int, _ body: (Int, Range<Int>) -> Void) {
    forRanges(count: count, parts: parts(count: count, work: work), body)
  }

  /// Runs `body` with OpenBLAS limited to one thread (restoring the previous count),
  /// for kernels that issue GEMMs from several of our own threads at once.
  public static func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
    let previous = Int(openblas_get_num_threads())
    if previous == 1 { return try body() }
    openblas_set_num_threads(1)
    defer { openblas_set_num_threads(Int32(previous)) }
    return try body()
  }
}
