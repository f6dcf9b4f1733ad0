/// Factory functions (Torch names).
extension Tensor {
  /// An uninitialised contiguous tensor (contents are whatever the buffer cache held).
  public static func empty(_ shape: [Int], dtype: DType = .float32) -> Tensor {
    Tensor(uninitializedShape: shape, dtype: dtype)
  }

  /// All zeros.
  public static func zeros(_ shape: [Int], dtype: DType = .float32) -> Tensor {
    let t = Tensor(uninitializedShape: shape, dtype: dtype)
    t.storage.raw.initializeMemory(as: UInt8.self, repeating: 0, count: t.count * dtype.size)
    return t
  }

  /// All ones.
  public static func ones(_ shape: [Int], dtype: DType = .float32) -> Tensor { full(shape, 1, dtype: dtype) }

  /// Every element `value`.
  public static func full(_ shape: [Int], _ value: Float, dtype: DType = .float32) -> Tensor {
    let t = Tensor(uninitializedShape: shape, dtype: dtype)
    switch dtype {
    case .float32: t.data.update(repeating: value, count: t.count)
    case .int32: t.intData.update(repeating: int32Saturating(value), count: t.count)
    default: t.copy_(scalar(.float32(value), dtype: dtype))
    }
    return t
  }

  /// Zeros shaped like `t`.
  public static func zerosLike(_ t: Tensor) -> Tensor { zeros(t.shape, dtype: t.dtype) }
  /// Ones shaped like `t`.
  public static func onesLike(_ t: Tensor) -> Tensor { ones(t.shape, dtype: t.dtype) }

  /// `start, start+step, ...` below `end` (1-D).
  public static func arange(_ start: Float, _ end: Float, _ step: Float = 1, dtype: DType = .float32) -> Tensor {
    precondition(step != 0, "Tensor.arange: step must be non-zero")
    let n = Swift.max(0, Int((Double(end - start) / Double(step)).rounded(.up)))
    let t = Tensor(uninitializedShape: [n], dtype: dtype)
    for i in 0..<n {
      let v = Double(start) + Double(i) * Double(step)
      switch dtype {
      case .float32: t.data[i] = Float(v)
      case .int32: t.intData[i] = int32Saturating(Float(v))
      default: t.store(i, double: v)
      }
    }
    return t
  }

  /// `0, 1, ..., end-1`.
  public static func arange(_ end: Float, dtype: DType = .float32) -> Tensor { arange(0, end, 1, dtype: dtype) }

  /// `steps` evenly spaced values from `start` to `end` inclusive.
  public static func linspace(_ start: Float, _ end: Float, _ steps: Int) -> Tensor {
    precondition(steps >= 0, "Tensor.linspace: steps must be non-negative, got \(steps)")
    let t = Tensor(uninitializedShape: [steps])
    for i in 0..<steps {
      t.data[i] = steps == 1 ? start : Float(Double(start) + (Double(end) - Double(start)) * Double(i) / Double(steps - 1))
    }
    return t
  }

  /// The n×n identity matrix.
  public static func eye(_ n: Int) -> Tensor {
    let t = zeros([n, n])
    for i in 0..<n { t.data[i * n + i] = 1 }
    return t
  }
}
