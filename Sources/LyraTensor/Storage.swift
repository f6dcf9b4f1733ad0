/// The element type of a tensor.
///
/// Both types are 4 bytes wide so every view and copy works on bit patterns alike; math
/// ops take `.float32`, while labels and indices (cross-entropy targets, gather,
/// index_select, embedding) are `.int32`.
public enum DType: String, Sendable, CustomStringConvertible {
  case float32
  case int32
  public var description: String { rawValue }
  /// Bytes per element.
  public var size: Int { 4 }
}

/// A contiguous 4-byte-element buffer shared by a tensor and all its views.
///
/// Memory comes from `BufferCache` and goes back there when the last view dies.
public final class Storage {
  public let raw: UnsafeMutableRawPointer
  /// Number of elements this storage was asked for.
  public let count: Int
  let shift: Int
  public let device: Device

  /// Uninitialised storage for `count` elements.
  public init(count: Int, device: Device = .cpu) {
    (raw, shift) = BufferCache.allocate(count: count)
    self.count = count
    self.device = device
  }

  /// Zero-filled storage.
  public convenience init(zeroed count: Int) {
    self.init(count: count)
    raw.initializeMemory(as: UInt8.self, repeating: 0, count: count * 4)
  }

  deinit { BufferCache.release(raw, shift: shift) }

  @inline(__always) public var floats: UnsafeMutablePointer<Float> { raw.assumingMemoryBound(to: Float.self) }
  @inline(__always) public var ints: UnsafeMutablePointer<Int32> { raw.assumingMemoryBound(to: Int32.self) }
  @inline(__always) var bits: UnsafeMutablePointer<UInt32> { raw.assumingMemoryBound(to: UInt32.self) }
}
