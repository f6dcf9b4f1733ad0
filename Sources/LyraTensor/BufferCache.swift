import Foundation

/// A size-bucketed free list of element buffers.
///
/// Why: a training step allocates and frees the same activation and gradient sizes every
/// batch; recycling them by power-of-two bucket keeps `malloc` and page faults out of the
/// hot loop. Buffers are counted in 4-byte words (`Storage` rounds other element sizes up).
public enum BufferCache {
  /// Smallest bucket (elements); smaller requests round up to it.
  static let minBucketShift = 6
  /// Upper bound on bytes parked in the cache; beyond it freed buffers go back to the system.
  /// (`@exclusivity(unchecked)` here and below: `lock` guards the state, and the run-time
  /// access tracking of a static var cost more than the rest of a small allocation.)
  @exclusivity(unchecked) nonisolated(unsafe) public static var maxCachedBytes = 1 << 30
  /// The parked buffers, indexed by bucket shift: an array, not a dictionary, because the
  /// hashing showed up in the cost of every 4-element op (issue 15).
  @exclusivity(unchecked) nonisolated(unsafe) static var free = [[UnsafeMutableRawPointer]](repeating: [], count: Int.bitWidth)
  @exclusivity(unchecked) nonisolated(unsafe) static var cachedBytes = 0
  /// Bytes asked for by live storages and not yet released (`MemoryGuard` reads it). The
  /// requested sizes, not the power-of-two buckets: a bucket's tail is never written, so its
  /// pages are never touched and cost no memory.
  @exclusivity(unchecked) nonisolated(unsafe) static var handedOutBytes = 0
  static let lock = NSLock()

  /// The bucket shift (log2 capacity) for `count` elements.
  @inline(__always)
  static func bucket(for count: Int) -> Int {
    let c = max(count, 1)
    let shift = Int.bitWidth - (c - 1).leadingZeroBitCount
    return max(shift, minBucketShift)
  }

  /// A buffer with capacity for at least `count` elements, uninitialised; returns its bucket shift too.
  ///
  /// `count` was checked by the caller (`Tensor(uninitializedShape:)` traps on a size that
  /// `CheckedSize` refuses, and every user-facing path throws before that). If the system
  /// still has no memory, this traps with the byte count rather than letting
  /// `malloc` abort without one or handing out a short buffer. `fatalError`, not
  /// `precondition`: the trap must survive `-Ounchecked`, which drops preconditions.
  static func allocate(count: Int) -> (UnsafeMutableRawPointer, Int) {
    let shift = bucket(for: count)
    // 4 << shift must not wrap: a bucket at or past 2^61 elements cannot be a real buffer.
    if shift > Int.bitWidth - 4 { fatalError("BufferCache: \(count) elements cannot be allocated") }
    lock.lock()
    // Pop in place: copying the bucket's array out and back (`if var list = free[shift]`)
    // would make every allocation O(bucket size) once a loop has parked many buffers.
    if let p = free[shift].popLast() {
      cachedBytes -= 4 << shift
      handedOutBytes += count << 2
      lock.unlock()
      return (p, shift)
    }
    handedOutBytes += count << 2
    lock.unlock()
    var p: UnsafeMutableRawPointer?
    if posix_memalign(&p, 64, 4 << shift) != 0 || p == nil {
      fatalError("BufferCache: out of memory allocating \(4 << shift) bytes for \(count) elements")
    }
    return (p!, shift)
  }

  /// Returns a buffer of `count` requested elements to its bucket (or to the system when the
  /// cache is full).
  static func release(_ p: UnsafeMutableRawPointer, shift: Int, count: Int) {
    let bytes = 4 << shift
    lock.lock()
    handedOutBytes -= count << 2
    if cachedBytes + bytes <= maxCachedBytes {
      free[shift].append(p)
      cachedBytes += bytes
      lock.unlock()
      return
    }
    lock.unlock()
    Foundation.free(p)
  }

  /// Bytes currently held by live storages (rounded up to their buckets).
  public static var liveBytes: Int {
    lock.lock(); defer { lock.unlock() }
    return handedOutBytes
  }

  /// Bytes currently parked in the cache.
  public static var parkedBytes: Int {
    lock.lock(); defer { lock.unlock() }
    return cachedBytes
  }

  /// Gives every cached buffer back to the system (after a trial, or on memory pressure).
  public static func purge() {
    lock.lock()
    let all = free
    free = [[UnsafeMutableRawPointer]](repeating: [], count: Int.bitWidth)
    cachedBytes = 0
    lock.unlock()
    for list in all { for p in list { Foundation.free(p) } }
  }
}
