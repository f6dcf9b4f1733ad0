import CONNX
import Foundation
import LyraBase
import LyraTensor

/// A tensor decoded from a `TensorProto` (an initialiser, a Constant's value, a backend
/// test's `input_0.pb`): name, ONNX element type, dims and the values as float32 or int64.
///
/// Floating types (float16, bfloat16, double) decode to float32, integer and bool types
/// to int64; strings and complex numbers are not numbers Lyra computes with.
public struct ONNXTensorData {
  public enum Values {
    case floats([Float])
    case ints([Int64])
  }

  public var name: String
  public var dataType: ONNXDataType
  public var dims: [Int]
  public var values: Values

  public init(name: String, dataType: ONNXDataType, dims: [Int], values: Values) {
    self.name = name
    self.dataType = dataType
    self.dims = dims
    self.values = values
  }

  /// Decodes a CONNX tensor handle (which the caller still owns).
  ///
  /// The dims are untrusted: their product is computed with overflow checks and against
  /// the allocation cap (`CheckedSize`), and the stored data must hold exactly that many
  /// elements, all before the values are allocated (dims of ~5e18 aborted the process).
  init(handle: OpaquePointer) throws {
    name = String(cString: connx_tensor_name(handle))
    dataType = ONNXDataType(code: connx_tensor_elem_type(handle))
    let rank = connx_tensor_rank(handle)
    let d = connx_tensor_dims(handle)
    dims = (0..<rank).map { Int(d![$0]) }
    let label = name.isEmpty ? "tensor" : "tensor '\(name)'"
    let count: Int
    do { count = try CheckedSize.allocation(dims, elementSize: dataType.isInteger ? 8 : 4, label) } catch let e as SizeError {
      throw ONNXError.invalid(e.description)
    }
    if dataType.isInteger || [.float, .double, .float16, .bfloat16].contains(dataType) {
      try connxStatus(.invalid, label) { connx_tensor_check(handle, count, $0) }
    }
    if dataType.isInteger {
      var out = [Int64](repeating: 0, count: count)
      try connxStatus(.invalid, label) { connx_tensor_read_int64s(handle, &out, count, $0) }
      values = .ints(out)
    } else if [.float, .double, .float16, .bfloat16].contains(dataType) {
      var out = [Float](repeating: 0, count: count)
      try connxStatus(.invalid, label) { connx_tensor_read_floats(handle, &out, count, $0) }
      values = .floats(out)
    } else {
      throw ONNXError.unsupported("\(label) has element type \(dataType), which Lyra does not compute with")
    }
  }

  /// Reads a serialised `TensorProto` file (the backend tests' `.pb` files).
  public static func load(path: String) throws -> ONNXTensorData {
    guard FileManager.default.isReadableFile(atPath: path) else { throw ONNXError(.io, "\(path): cannot read the file") }
    let h = try connxCall(.invalid, "", failed: { $0 == nil }) { connx_tensor_load(path, $0) }
    defer { connx_tensor_free(h) }
    do { return try ONNXTensorData(handle: h!) } catch let e as ONNXError { throw ONNXError(e.kind, "\(path): \(e.message)") }
  }

  /// Parses serialised `TensorProto` bytes.
  public init(serialized data: Data) throws {
    let h = try data.withUnsafeBytes { raw in
      try connxCall(.invalid, "", failed: { $0 == nil }) { connx_tensor_parse(raw.baseAddress, raw.count, $0) }
    }
    defer { connx_tensor_free(h) }
    try self.init(handle: h!)
  }

  /// The element count (checked when the tensor was decoded).
  public var count: Int { dims.reduce(1, &*) }

  /// Integer values as `Int` (for shapes, axes, indices); nil for floating tensors.
  public var intValues: [Int]? {
    if case .ints(let v) = values { return v.map { Int($0) } }
    return nil
  }

  /// As a Lyra tensor: float32 for floating types, int32 for integer ones. Integers beyond
  /// int32 are clamped: in real models they are "until the end" sentinels (INT64_MAX).
  public func tensor() -> Tensor {
    switch values {
    case .floats(let v):
      return Tensor(v, shape: dims)
    case .ints(let v):
      return Tensor(indices: v.map { Int(clamping: Swift.max(Swift.min($0, Int64(Int32.max)), Int64(Int32.min))) }, shape: dims)
    }
  }
}
