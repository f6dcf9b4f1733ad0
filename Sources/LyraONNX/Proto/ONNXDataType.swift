/// ONNX element types (`TensorProto.DataType`), numbered as in onnx.proto.
public enum ONNXDataType: Int32, Sendable, CustomStringConvertible {
  case undefined = 0, float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7, string = 8,
       bool = 9, float16 = 10, double = 11, uint32 = 12, uint64 = 13, complex64 = 14, complex128 = 15, bfloat16 = 16

  /// An unknown number maps to `.undefined` (a newer ONNX type this build does not know).
  public init(code: Int32) { self = ONNXDataType(rawValue: code) ?? .undefined }

  public var description: String {
    switch self {
    case .undefined: return "undefined"
    case .float: return "float32"
    case .uint8: return "uint8"
    case .int8: return "int8"
    case .uint16: return "uint16"
    case .int16: return "int16"
    case .int32: return "int32"
    case .int64: return "int64"
    case .string: return "string"
    case .bool: return "bool"
    case .float16: return "float16"
    case .double: return "float64"
    case .uint32: return "uint32"
    case .uint64: return "uint64"
    case .complex64: return "complex64"
    case .complex128: return "complex128"
    case .bfloat16: return "bfloat16"
    }
  }

  /// The types Lyra computes with: float32 in float tensors, int32/int64 as int32 index
  /// tensors (values outside int32 are clamped; they only occur as "to the end" sentinels).
  public var isSupportedByRuntime: Bool { self == .float || self == .int64 || self == .int32 }

  /// Types whose values `ONNXTensorData` decodes as integers.
  var isInteger: Bool {
    switch self {
    case .uint8, .int8, .uint16, .int16, .int32, .int64, .bool, .uint32, .uint64: return true
    default: return false
    }
  }
}
