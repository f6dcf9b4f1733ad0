import Dispatch
import LyraKernels

/// Splits large loops across threads.
///
/// Why a threshold: below ~64K elements the dispatch overhead beats the gain, so small
/// ops stay on the calling thread.
public enum Parallel {
  /// Most threads one op uses: the kernels' count, so one setting
  /// (`KernelParallel.setThreads`) sizes both, and OpenBLAS with them.
  @inline(__always)
  public static var maxThreads: Int { KernelParallel.maxThreads }
  /// Elements per thread below which an op is not split.
  /// (`@exclusivity(unchecked)`: the run-time access tracking of a static var cost more than
  /// a whole 4-element op; it is set once, before the ops that read it.)
  @exclusivity(unchecked) nonisolated(unsafe) public static var grain = 32_768

  /// Number of chunks to use for `work` elements.
  @inline(__always)
  static func chunks(forWork work: Int) -> Int {
    let parts = work / grain
    // Below two grains the answer is 1 whatever the thread count: skip reading it.
    return parts < 2 ? 1 : max(1, min(maxThreads, parts))
  }

  /// Calls `body` on disjoint sub-ranges covering `0..<n`; `work` is the element count the whole loop touches.
  @inline(__always)
  static func forRange(_ n: Int, work: Int, _ body: (Range<Int>) -> Void) {
    let k = min(chunks(forWork: work), n)
    if k <= 1 {
      body(0..<n)
      return
    }
    KernelParallel.run(parts: k) { i in
      let lo = n * i / k, hi = n * (i + 1) / k
      if lo < hi { body(lo..<hi) }
    }
  }
}
