import XCTest
import CBLAS
import LyraKernels
@testable import LyraTensor

/// One setting sizes every pool: `KernelParallel.setThreads` sets the kernels' count,
/// the element-wise ops' count (which reads it) and OpenBLAS's.
final class ThreadSettingTests: XCTestCase {
  func testOneSettingSetsKernelsElementwiseOpsAndOpenBLAS() {
    let saved = (KernelParallel.maxThreads, Int(openblas_get_num_threads()))
    defer { KernelParallel.maxThreads = saved.0; openblas_set_num_threads(Int32(saved.1)) }
    for n in [1, 2, 1, 2] {
      KernelParallel.setThreads(n)
      XCTAssertEqual(KernelParallel.maxThreads, n)
      XCTAssertEqual(Parallel.maxThreads, n, "element-wise ops follow the one setting")
      XCTAssertEqual(Int(openblas_get_num_threads()), n, "OpenBLAS follows the one setting")
    }
    KernelParallel.setThreads(0)
    XCTAssertEqual(KernelParallel.maxThreads, 1, "below one means one")
    XCTAssertEqual(Parallel.maxThreads, 1)
    // An element-wise op split by the setting: 2 parts above the grain, 1 when set to 1.
    KernelParallel.setThreads(2)
    XCTAssertEqual(Parallel.chunks(forWork: 4 * Parallel.grain), 2)
    KernelParallel.setThreads(1)
    XCTAssertEqual(Parallel.chunks(forWork: 4 * Parallel.grain), 1)
  }
}
