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
  /// machines Lyra is tuned for); set to 1 for fully serial kernels. LyraTensor's
  /// element-wise ops read this value too (`Parallel.maxThreads`); `setThreads` is the
  /// one setting that also sets OpenBLAS's own count.
  nonisolated(unsafe) public static var maxThreads: Int = max(1, min(2, ProcessInfo.processInfo.activeProcessorCount))

  /// Use the persistent spinning pool (`KernelThreadPool`) rather than GCD for parallel regions.
  nonisolated(unsafe) public static var usePool = true

  /// The pool, sized on first use to the larger of `maxThreads` and the core count (capped at 8).
  nonisolated(unsafe) static var pool: KernelThreadPool?
  static let poolLock = NSLock()

  static func sharedPool() -> KernelThreadPool {
    if let p = pool { return p }
    poolLock.lock(); defer { poolLock.unlock() }
    if let p = pool { return p }
    let n = max(maxThreads, min(8, ProcessInfo.processInfo.activeProcessorCount))
    let p = KernelThreadPool(workers: n - 1)
    pool = p
    return p
  }

  /// Calls `body(i)` for i in 0..<parts, concurrently (part 0 on the calling thread).
  public static func run(parts: Int, _ body: (Int) -> Void) {
    if parts <= 1 { if parts == 1 { body(0) }; return }
    if usePool {
      let pool = sharedPool()
      if parts <= pool.workers + 1 {
        if pool.run(parts: parts, body) { return }
        // Busy (nested region or a second caller): run serially here.
        for i in 0..<parts { body(i) }
        return
      }
    }
    DispatchQueue.concurrentPerform(iterations: parts, execute: body)
  }

  /// The one thread setting: the threads Lyra's kernels and LyraTensor's element-wise ops
  /// use (`maxThreads`, which `Parallel.maxThreads` reads) and OpenBLAS's own count, for the
  /// GEMMs called outside Lyra's split. Why one call: setting only one of the counts left
  /// the other pool sized for a different machine, and the two fought over the cores.
  /// Counts below 1 mean 1.
  public static func setThreads(_ n: Int) {
    let n = max(1, n)
    maxThreads = n
    // OpenBLAS gets at most one thread per core: each of its threads reserves a 128 MiB buffer,
    // and lyra.set_num_threads(1024) under a memory cap (the fuzzer's 8 GiB) made its allocator
    // retry forever.
    openblas_set_num_threads(Int32(min(n, ProcessInfo.processInfo.activeProcessorCount)))
  }

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
    run(parts: p) { i in
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
