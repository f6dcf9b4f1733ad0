/// The element type of a tensor.
///
/// float32 is the type of every math op and of autograd; int32 holds labels and the
/// indices that ops return (argmax, sort, nonzero); int64, float64 and bool exist for what
/// a PyTorch user builds by hand (`x:long()`, `x:double()`, `x:bool()`, exact integer ids,
/// double-precision sums, masks) and support the layout ops plus the element-wise
/// arithmetic, comparisons and reductions of `DTypeMath` (see docs/guide.md#dtypes).
/// Every view and copy moves bit patterns of `size` bytes, so layout code is written once.
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
  case float32
  case int32
  case int64
  case float64
  case bool
  public var description: String { rawValue }
  /// Bytes per element.
  @inline(__always) public var size: Int {
    switch self {
    case .float32, .int32: return 4
    case .int64, .float64: return 8
    case .bool: return 1
    }
  }
  /// Whether values are integers (int32, int64; bool counts as neither).
  public var isInteger: Bool { self == .int32 || self == .int64 }
  /// Whether values are floating point.
  public var isFloatingPoint: Bool { self == .float32 || self == .float64 }
  /// The two types every op has always accepted; the others are limited to the ops that
  /// name them (the Lua layer refuses them elsewhere with an error suggesting `:float()`).
  @inline(__always) public var isLegacy: Bool { self == .float32 || self == .int32 }
}

/// A contiguous element buffer shared by a tensor and all its views.
///
/// Memory comes from `BufferCache` (in 4-byte words, so float32/int32 buffers are exactly
/// what they always were) and goes back there when the last view dies.
public final class Storage {
  public let raw: UnsafeMutableRawPointer
  /// Number of elements this storage was asked for.
  public let count: Int
  /// Bytes per element.
  public let elementSize: Int
  let shift: Int
  public let device: Device

  /// Uninitialised storage for `count` elements of `elementSize` bytes.
  public init(count: Int, elementSize: Int = 4, device: Device = .cpu) {
    (raw, shift) = BufferCache.allocate(count: Storage.words(count, elementSize))
    self.count = count
    self.elementSize = elementSize
    self.device = device
  }

  /// Zero-filled storage.
  public convenience init(zeroed count: Int, elementSize: Int = 4) {
    self.init(count: count, elementSize: elementSize)
    raw.initializeMemory(as: UInt8.self, repeating: 0, count: count * elementSize)
  }

  deinit { BufferCache.release(raw, shift: shift, count: Storage.words(count, elementSize)) }

  /// Whole 4-byte words for `count` elements: a bool tensor of 3 elements takes one word.
  @inline(__always) static func words(_ count: Int, _ elementSize: Int) -> Int {
    elementSize == 4 ? count : (count * elementSize + 3) >> 2
  }

  @inline(__always) public var floats: UnsafeMutablePointer<Float> { raw.assumingMemoryBound(to: Float.self) }
  @inline(__always) public var ints: UnsafeMutablePointer<Int32> { raw.assumingMemoryBound(to: Int32.self) }
  @inline(__always) var bits: UnsafeMutablePointer<UInt32> { raw.assumingMemoryBound(to: UInt32.self) }
}
