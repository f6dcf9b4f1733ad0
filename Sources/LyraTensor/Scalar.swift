/// One element of a tensor of any dtype, exactly as stored.
///
/// Why not Double: an int64 value beyond 2^53 (a Lua integer, an id read from a file)
/// must survive `item()`, indexing and printing unchanged.
public enum Scalar: Equatable, Sendable, CustomStringConvertible {
  case float32(Float)
  case float64(Double)
  case int(Int64)
  case bool(Bool)

  /// The value as a Double (int64 beyond 2^53 rounds; true is 1).
  public var double: Double {
    switch self {
    case .float32(let v): return Double(v)
    case .float64(let v): return v
    case .int(let v): return Double(v)
    case .bool(let v): return v ? 1 : 0
    }
  }

  /// The value as an Int: floats truncate toward zero, saturating at the Int64 range; NaN is 0.
  public var int: Int {
    switch self {
    case .float32(let v): return Int(int64Saturating(Double(v)))
    case .float64(let v): return Int(int64Saturating(v))
    case .int(let v): return Int(v)
    case .bool(let v): return v ? 1 : 0
    }
  }

  /// Integers print without a decimal point, bools as true/false, floats as Swift's shortest form.
  public var description: String {
    switch self {
    case .float32(let v): return String(v)
    case .float64(let v): return String(v)
    case .int(let v): return String(v)
    case .bool(let v): return v ? "true" : "false"
    }
  }
}

extension Tensor {
  /// Element `i` counted from `offset` in storage order (row-major for a contiguous tensor).
  public func scalarValue(_ i: Int) -> Scalar {
    switch dtype {
    case .float32: return .float32(data[i])
    case .int32: return .int(Int64(intData[i]))
    case .int64: return .int(elements(Int64.self)[i])
    case .float64: return .float64(elements(Double.self)[i])
    case .bool: return .bool(elements(UInt8.self)[i] != 0)
    }
  }

  /// The single value of a one-element tensor, exactly.
  public func scalarItem() -> Scalar {
    precondition(count == 1, "Tensor.scalarItem: tensor has \(count) elements, expected 1")
    return contiguous().scalarValue(0)
  }

  /// A 0-d tensor of `dtype` holding `value` converted as `to(_:)` converts.
  public static func scalar(_ value: Scalar, dtype: DType) -> Tensor {
    let t = Tensor(uninitializedShape: [], dtype: dtype)
    switch value {
    case .float32(let v): t.store(0, double: Double(v))
    case .float64(let v): t.store(0, double: v)
    case .int(let v): t.store(0, int: v)
    case .bool(let v): t.store(0, int: v ? 1 : 0)
    }
    return t
  }

  /// Writes a float value at element `i` (from offset), converted to this dtype.
  func store(_ i: Int, double v: Double) {
    switch dtype {
    case .float32: data[i] = Float(v)
    case .float64: elements(Double.self)[i] = v
    case .int32: intData[i] = int32Saturating(double: v)
    case .int64: elements(Int64.self)[i] = int64Saturating(v)
    case .bool: elements(UInt8.self)[i] = v != 0 ? 1 : 0
    }
  }

  /// Writes an integer value at element `i` (from offset), converted to this dtype.
  func store(_ i: Int, int v: Int64) {
    switch dtype {
    case .float32: data[i] = Float(v)
    case .float64: elements(Double.self)[i] = Double(v)
    case .int32: intData[i] = Int32(truncatingIfNeeded: v)
    case .int64: elements(Int64.self)[i] = v
    case .bool: elements(UInt8.self)[i] = v != 0 ? 1 : 0
    }
  }
}

extension Tensor {
  /// Every element set to `value` converted to this dtype (exact for int64 and float64).
  @discardableResult
  public func fill_(_ value: Scalar) -> Tensor {
    checkInPlace("Tensor.fill_")
    return copy_(Tensor.scalar(value, dtype: dtype))
  }

  /// A tensor of `dtype` from row-major values (`shape` defaults to 1-D); integers go in exactly.
  public convenience init(scalars values: [Scalar], shape: [Int]? = nil, dtype: DType) {
    let shape = shape ?? [values.count]
    precondition(Shape.count(shape) == values.count, "Tensor: \(values.count) values do not fill shape \(Shape.describe(shape))")
    self.init(uninitializedShape: shape, dtype: dtype)
    for (i, v) in values.enumerated() {
      switch v {
      case .float32(let f): store(i, double: Double(f))
      case .float64(let d): store(i, double: d)
      case .int(let n): store(i, int: n)
      case .bool(let b): store(i, int: b ? 1 : 0)
      }
    }
  }
}
