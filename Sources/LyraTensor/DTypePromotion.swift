/// PyTorch's type promotion between tensors: a floating type beats an integer one, a wider
/// type of the same kind beats a narrower, bool yields to anything (int64 + float32 →
/// float32, float32 + float64 → float64, bool + int64 → int64).
extension DType {
  /// Order of precedence; the higher of two operands' types is the result's.
  var promotionRank: Int {
    switch self {
    case .bool: return 0
    case .int32: return 1
    case .int64: return 2
    case .float32: return 3
    case .float64: return 4
    }
  }

  /// The type two operands of these types compute in.
  public static func promoted(_ a: DType, _ b: DType) -> DType {
    a.promotionRank >= b.promotionRank ? a : b
  }

  /// The type a Lua number takes beside a tensor of this type (PyTorch's rule for Python
  /// scalars): an integer keeps an integer or floating tensor's type and makes a bool one
  /// int64; a non-integer keeps a floating type and makes the others float32.
  public func forNumber(isInteger: Bool) -> DType {
    if isFloatingPoint { return self }
    if isInteger { return self == .bool ? .int64 : self }
    return .float32
  }
}
