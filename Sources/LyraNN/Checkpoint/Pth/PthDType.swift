import Foundation

/// The element types of PyTorch's typed storages (`torch.FloatStorage`, …), as they appear
/// in a checkpoint's persistent ids.
public enum PthDType: String, CaseIterable, Sendable {
  case float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool

  init?(storageName: String) {
    guard let t = PthDType.allCases.first(where: { $0.storageName == storageName }) else { return nil }
    self = t
  }

  var storageName: String {
    switch self {
    case .float32: return "FloatStorage"
    case .float64: return "DoubleStorage"
    case .float16: return "HalfStorage"
    case .bfloat16: return "BFloat16Storage"
    case .int64: return "LongStorage"
    case .int32: return "IntStorage"
    case .int16: return "ShortStorage"
    case .int8: return "CharStorage"
    case .uint8: return "ByteStorage"
    case .bool: return "BoolStorage"
    }
  }

  public var size: Int {
    switch self {
    case .float64, .int64: return 8
    case .float32, .int32: return 4
    case .float16, .bfloat16, .int16: return 2
    case .int8, .uint8, .bool: return 1
    }
  }

  public var isFloatingPoint: Bool { [.float32, .float64, .float16, .bfloat16].contains(self) }

  /// Element `i` of little-endian `raw` as a Float (float types) — callers checked bounds.
  func float(_ raw: UnsafeRawBufferPointer, _ i: Int) -> Float {
    switch self {
    case .float32: return Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian)
    case .float64: return Float(Double(bitPattern: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self).littleEndian))
    case .float16: return PthDType.halfToFloat(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian)
    case .bfloat16: return Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian) << 16)
    default: return Float(int(raw, i))
    }
  }

  /// Element `i` as an Int64 (integer and bool types).
  func int(_ raw: UnsafeRawBufferPointer, _ i: Int) -> Int64 {
    switch self {
    case .int64: return raw.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self).littleEndian
    case .int32: return Int64(raw.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self).littleEndian)
    case .int16: return Int64(raw.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self).littleEndian)
    case .int8: return Int64(raw.load(fromByteOffset: i, as: Int8.self))
    case .uint8, .bool: return Int64(raw.load(fromByteOffset: i, as: UInt8.self))
    default: return Int64(float(raw, i))
    }
  }

  /// IEEE half to float (subnormals, infinities and NaN as Float16 converts them).
  static func halfToFloat(_ h: UInt16) -> Float { Float(Float16(bitPattern: h)) }
}
