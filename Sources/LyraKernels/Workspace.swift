import Foundation

/// A growable scratch buffer of floats, 64-byte aligned (one cache line / AVX-512 vector).
///
/// Why: im2col columns, per-thread partial gradients and packed tiles are needed on
/// every convolution call; allocating them each time costs page faults and zeroing on
/// multi-megabyte buffers. A workspace keeps its largest buffer and hands it out again.
/// A workspace is not thread-safe: one user at a time (kernels that split work take one
/// workspace per part from the shared pool).
public final class Workspace {
  public private(set) var capacity: Int = 0
  private var storage: UnsafeMutableRawPointer?

  public init() {}

  deinit { storage.map { free($0) } }

  /// A buffer of at least `count` floats. Contents are unspecified; valid until the
  /// next call on this workspace.
  public func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
    let need = max(count, 16)
    if need > capacity {
      storage.map { free($0) }
      // Grow geometrically so a slowly increasing size does not reallocate each call.
      let newCap = max(need, capacity + capacity / 2)
      // fatalError, not precondition: this target is built with -Ounchecked, which drops
      // preconditions, and a wrapped byte count would hand out a short buffer.
      let (bytes, overflow) = newCap.multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
      if overflow { fatalError("Workspace: \(newCap) floats cannot be allocated") }
      var p: UnsafeMutableRawPointer?
      if posix_memalign(&p, 64, bytes) != 0 { p = nil }
      guard let q = p else { fatalError("Workspace: out of memory for \(newCap) floats (\(bytes) bytes)") }
      storage = q
      capacity = newCap
    }
    return storage!.assumingMemoryBound(to: Float.self)
  }

  /// Frees the buffer (e.g. after a large one-off shape).
  public func release() {
    storage.map { free($0) }
    storage = nil
    capacity = 0
  }

  // MARK: shared pool

  private static let lock = NSLock()
  nonisolated(unsafe) private static var pool: [Workspace] = []

  /// Takes a workspace from a process-wide pool (or makes one), runs `body`, and puts it
  /// back. Safe from any thread; nested calls get distinct workspaces.
  public static func withScratch<R>(_ body: (Workspace) throws -> R) rethrows -> R {
    lock.lock()
    let w = pool.popLast() ?? Workspace()
    lock.unlock()
    defer {
      lock.lock()
      pool.append(w)
      lock.unlock()
    }
    return try body(w)
  }

  /// `withScratch` that hands out a buffer of `count` floats directly.
  public static func withFloats<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    try withScratch { try body($0.floats(count)) }
  }

  /// Frees every pooled buffer.
  public static func drainPool() {
    lock.lock()
    pool.removeAll()
    lock.unlock()
  }
}
