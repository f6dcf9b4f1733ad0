import LyraBase

/// An n-dimensional array of Float32 (or another `DType`) with optional autograd.
///
/// A reference type so that modules, optimisers and the tape all see the same parameter;
/// views (reshape, transpose, narrow, expand, ...) share `storage` and differ only in
/// `shape`, `strides` and `offset`.
public final class Tensor {
  /// The shared element buffer.
  public let storage: Storage
  /// Sizes per dimension; `[]` is a scalar.
  public let shape: [Int]
  /// Element steps per dimension (0 for broadcast dimensions of an expanded view).
  public let strides: [Int]
  /// Index of element `[0, 0, ...]` within `storage`.
  public let offset: Int
  /// Element type.
  public let dtype: DType

  /// Whether gradients flow to this tensor. Setting it is meant for leaves (parameters).
  /// (`@exclusivity(unchecked)`: every op reads it, and the run-time access tracking of a
  /// class property cost about 60 instructions a read; issue 15.)
  @exclusivity(unchecked) public var requiresGrad: Bool
  /// Accumulated gradient of the last `backward()` calls (leaves only).
  public var grad: Tensor?
  /// The tape node that produced this tensor, nil for leaves and for tensors made without grad.
  public internal(set) var gradFn: GradNode?

  init(storage: Storage, shape: [Int], strides: [Int], offset: Int, dtype: DType = .float32) {
    self.storage = storage
    self.shape = shape
    self.strides = strides
    self.offset = offset
    self.dtype = dtype
    self.requiresGrad = false
  }

  /// A fresh contiguous tensor with uninitialised contents (every kernel output starts here).
  ///
  /// The shape is checked by `CheckedSize` (overflow, the allocation cap): every path from
  /// user input throws on a bad size before it gets here, so a failure is a caller's bug,
  /// and trapping with the byte count beats wrapping to a short buffer.
  init(uninitializedShape shape: [Int], dtype: DType = .float32) {
    let n = Shape.isSmallAllocation(shape, elementSize: dtype.size) ? Shape.count(shape) : Tensor.allocationCount(shape, dtype)
    self.storage = Storage(count: n, elementSize: dtype.size)
    self.shape = shape
    self.strides = Shape.contiguousStrides(shape)
    self.offset = 0
    self.dtype = dtype
    self.requiresGrad = false
  }

  /// The element count of a new tensor of `shape`, checked for overflow and the cap only:
  /// a moment of memory pressure must not turn an ordinary allocation inside training into
  /// a trap (user-facing paths check availability too).
  static func allocationCount(_ shape: [Int], _ dtype: DType) -> Int {
    do { return try CheckedSize.allocation(shape, elementSize: dtype.size, checkAvailable: false) } catch { fatalError("Tensor: \(error)") }
  }

  /// A fresh tensor of `t`'s shape and dtype with uninitialised contents, sharing `t`'s shape
  /// and strides arrays: `t` must be `isDense`, so its strides are the row-major ones.
  ///
  /// Why: an element-wise op on a 4-element tensor cost about 1 us in a Swift loop, most of
  /// it in allocating the shape and strides arrays (every Swift array allocation on Linux
  /// looks its metadata up at run time); sharing them is free, as they are immutable.
  init(uninitializedLike t: Tensor, count: Int) {
    if !Shape.isSmallAllocation(t.shape, elementSize: t.dtype.size) { _ = Tensor.allocationCount(t.shape, t.dtype) }
    self.storage = Storage(count: count, elementSize: t.dtype.size)
    self.shape = t.shape
    self.strides = t.strides
    self.offset = 0
    self.dtype = t.dtype
    self.requiresGrad = false
  }

  /// A float tensor holding `values` in row-major order.
  public convenience init(_ values: [Float], shape: [Int]) {
    precondition(Shape.count(shape) == values.count,
                 "Tensor: \(values.count) values do not fill shape \(Shape.describe(shape))")
    self.init(uninitializedShape: shape)
    values.withUnsafeBufferPointer { b in
      if let base = b.baseAddress { storage.floats.update(from: base, count: values.count) }
    }
  }

  /// A 1-D float tensor.
  public convenience init(_ values: [Float]) { self.init(values, shape: [values.count]) }

  /// A 0-d (scalar) float tensor.
  public convenience init(_ scalar: Float) {
    // Without the one-element array `init(_:shape:)` would take: `x + 1` from Lua makes one per call.
    self.init(uninitializedShape: [])
    storage.floats[0] = scalar
  }

  /// An Int32 index tensor (labels, gather/index_select/embedding indices).
  public convenience init(indices: [Int], shape: [Int]? = nil) {
    let shape = shape ?? [indices.count]
    precondition(Shape.count(shape) == indices.count,
                 "Tensor: \(indices.count) indices do not fill shape \(Shape.describe(shape))")
    self.init(uninitializedShape: shape, dtype: .int32)
    let p = storage.ints
    for (i, v) in indices.enumerated() {
      precondition(v >= Int(Int32.min) && v <= Int(Int32.max), "Tensor: index \(v) does not fit in int32")
      p[i] = Int32(v)
    }
  }

  /// The device holding the storage.
  public var device: Device { storage.device }
  /// Number of elements (`numel`).
  public var count: Int { Shape.count(shape) }
  /// Number of elements, PyTorch's name.
  public var numel: Int { count }
  /// Number of dimensions.
  public var rank: Int { shape.count }
  /// Size of one dimension (negative counts from the end).
  public func size(_ dim: Int) -> Int { shape[Shape.axis(dim, rank: rank, "Tensor.size")] }
  /// Bytes held by the underlying storage (shared with views), for memory reporting.
  public var byteCount: Int { storage.count * dtype.size }
  /// True for tensors not produced by a recorded op.
  public var isLeaf: Bool { gradFn == nil }

  /// Whether elements are laid out row-major without gaps.
  public var isContiguous: Bool {
    // An empty tensor has no gaps to speak of; its strides (made with max(size, 1)) would
    // otherwise read as a gap after the zero-sized dimension, and view() would refuse it.
    if shape.contains(0) { return true }
    var expected = 1
    for i in stride(from: rank - 1, through: 0, by: -1) where shape[i] != 1 {
      if strides[i] != expected { return false }
      expected *= shape[i]
    }
    return true
  }

  /// Whether the elements are `count` consecutive values from `data` with exactly the
  /// row-major strides (`Shape.contiguousStrides`), and none of the sizes is 0: the case
  /// where element-wise ops skip the general strided loop and share the shape arrays.
  @inline(__always) var isDense: Bool {
    var expected = 1
    var i = shape.count - 1
    while i >= 0 {
      let s = shape[i]
      if s == 0 || strides[i] != expected { return false }
      expected &*= s // only the last product can wrap, and it is never compared
      i -= 1
    }
    return true
  }

  /// Pointer to the first float element (valid while the tensor lives).
  @inline(__always) public var data: UnsafeMutablePointer<Float> { storage.floats + offset }
  /// Pointer to the first int element.
  @inline(__always) public var intData: UnsafeMutablePointer<Int32> { storage.ints + offset }
  @inline(__always) var bitData: UnsafeMutablePointer<UInt32> { storage.bits + offset }

  /// Pointer to the first element as `T` (which must have the dtype's size).
  @inline(__always) func elements<T>(_: T.Type) -> UnsafeMutablePointer<T> {
    storage.raw.assumingMemoryBound(to: T.self) + offset
  }

  /// The single value of a one-element tensor (as Float; see `scalarValue` for exact values).
  public func item() -> Float {
    precondition(count == 1, "Tensor.item: tensor has \(count) elements, expected 1")
    switch dtype {
    case .float32: return data[0]
    case .int32: return Float(intData[0])
    default: return Float(scalarValue(0).double)
    }
  }

  /// Elements in row-major order as Float (other types are converted).
  public func toArray() -> [Float] {
    let c = contiguous()
    switch c.dtype {
    case .float32: return Array(UnsafeBufferPointer(start: c.data, count: c.count))
    case .int32: return (0..<c.count).map { Float(c.intData[$0]) }
    default: return (0..<c.count).map { Float(c.scalarValue($0).double) }
    }
  }

  /// Elements in row-major order as Int (floats truncated toward zero, saturating at the Int64 range; NaN is 0).
  public func toIntArray() -> [Int] {
    let c = contiguous()
    switch c.dtype {
    case .int32: return (0..<c.count).map { Int(c.intData[$0]) }
    case .float32: return (0..<c.count).map { Int(int64Saturating(Double(c.data[$0]))) }
    default: return (0..<c.count).map { c.scalarValue($0).int }
    }
  }

  func requireFloat(_ fn: @autoclosure () -> String) {
    precondition(dtype == .float32, "\(fn()): expected a float32 tensor, got \(dtype)")
  }

  func requireInt(_ fn: @autoclosure () -> String) {
    precondition(dtype == .int32, "\(fn()): expected an int32 index tensor, got \(dtype)")
  }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    let c = contiguous(), n = Swift.min(count, 64)
    let body = (0..<n).map { c.scalarValue($0).description }.joined(separator: ", ")
    let more = count > 64 ? ", ..." : ""
    let g = requiresGrad ? ", requiresGrad" : ""
    return "Tensor(\(Shape.describe(shape)), \(dtype)\(g)) [\(body)\(more)]"
  }
}
