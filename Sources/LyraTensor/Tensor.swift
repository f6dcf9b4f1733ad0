import LyraBase

/// An n-dimensional array of Float32 (or Int32 indices) with optional autograd.
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
  public var requiresGrad: Bool
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
    let n: Int
    // Overflow and the cap only: a moment of memory pressure must not turn an ordinary
    // allocation inside training into a trap (user-facing paths check availability too).
    do { n = try CheckedSize.allocation(shape, elementSize: dtype.size, checkAvailable: false) } catch { fatalError("Tensor: \(error)") }
    self.storage = Storage(count: n)
    self.shape = shape
    self.strides = Shape.contiguousStrides(shape)
    self.offset = 0
    self.dtype = dtype
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
  public convenience init(_ scalar: Float) { self.init([scalar], shape: []) }

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

  /// Pointer to the first float element (valid while the tensor lives).
  @inline(__always) public var data: UnsafeMutablePointer<Float> { storage.floats + offset }
  /// Pointer to the first int element.
  @inline(__always) public var intData: UnsafeMutablePointer<Int32> { storage.ints + offset }
  @inline(__always) var bitData: UnsafeMutablePointer<UInt32> { storage.bits + offset }

  /// The single value of a one-element tensor.
  public func item() -> Float {
    precondition(count == 1, "Tensor.item: tensor has \(count) elements, expected 1")
    return dtype == .int32 ? Float(intData[0]) : data[0]
  }

  /// Elements in row-major order as Float (int tensors are converted).
  public func toArray() -> [Float] {
    let c = contiguous()
    if c.dtype == .int32 { return (0..<c.count).map { Float(c.intData[$0]) } }
    return Array(UnsafeBufferPointer(start: c.data, count: c.count))
  }

  /// Elements in row-major order as Int (float tensors are truncated).
  public func toIntArray() -> [Int] {
    let c = contiguous()
    if c.dtype == .int32 { return (0..<c.count).map { Int(c.intData[$0]) } }
    return (0..<c.count).map { Int(c.data[$0]) }
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
    let values = count <= 64 ? toArray() : Array(toArray().prefix(64))
    let body = values.map { dtype == .int32 ? String(Int($0)) : String($0) }.joined(separator: ", ")
    let more = count > 64 ? ", ..." : ""
    let g = requiresGrad ? ", requiresGrad" : ""
    return "Tensor(\(Shape.describe(shape)), \(dtype)\(g)) [\(body)\(more)]"
  }
}
