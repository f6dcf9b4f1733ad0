import Foundation
import LyraTensor

/// Broadcasting arithmetic (NumPy rules, opset ≥ 7) on float tensors, and on integer
/// tensors (shape arithmetic in exported graphs) through float, which is exact for the
/// sizes involved; integer Div truncates as ONNX runtimes do.
enum ElementwiseOps {
  static let table: [String: ONNXKernel] = [
    "Add": { try binary($0) { $0.add($1) } },
    "Sub": { try binary($0) { $0.sub($1) } },
    "Mul": { try binary($0) { $0.mul($1) } },
    "Div": { try binary($0) { $0.div($1) } },
    "Neg": { try unary($0) { $0.neg() } },
    "Abs": { try unary($0) { $0.abs() } },
    "Exp": { try unary($0, floatOnly: true) { $0.exp() } },
    "Log": { try unary($0, floatOnly: true) { $0.log() } },
    "Sqrt": { try unary($0, floatOnly: true) { $0.sqrt() } },
    "Reciprocal": { try unary($0, floatOnly: true) { $0.rdiv(1) } },
    "Erf": { try unary($0, floatOnly: true) { map($0, Foundation.erf) } },
    "Round": { try unary($0, floatOnly: true) { map($0) { $0.rounded(.toNearestOrEven) } } },
  ]

  static func binary(_ call: OpCall, _ f: (Tensor, Tensor) -> Tensor) throws -> [Tensor] {
    if call.has("broadcast") || call.has("axis") {
      throw ONNXError.unsupported("the pre-opset-7 'broadcast'/'axis' form is not supported")
    }
    try call.expectAttributes([])
    let a = try call.input(0), b = try call.input(1)
    guard a.dtype == b.dtype else { throw ONNXError.invalid("inputs have different element types (\(a.dtype), \(b.dtype))") }
    guard let out = Shape.broadcast(a.shape, b.shape) else {
      throw ONNXError.invalid("shapes \(a.shape) and \(b.shape) do not broadcast")
    }
    try SizeMath.allocation(out, "the broadcast result")
    if a.dtype == .float32 { return [f(a, b)] }
    return [f(a.float(), b.float()).toInt32Clamped()]
  }

  static func unary(_ call: OpCall, floatOnly: Bool = false, _ f: (Tensor) -> Tensor) throws -> [Tensor] {
    try call.expectAttributes([])
    let x = try call.input(0)
    if x.dtype == .float32 { return [f(x)] }
    if floatOnly { throw ONNXError.unsupported("integer input") }
    return [f(x.float()).toInt32Clamped()]
  }

  /// A scalar function over a float tensor (for functions LyraTensor has no op for).
  static func map(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
    let c = x.contiguous()
    let out = Tensor.empty(x.shape)
    let src = c.data, dst = out.data
    for i in 0..<x.count { dst[i] = f(src[i]) }
    return out
  }
}

extension Tensor {
  /// Float results of integer arithmetic back to int32: truncated toward zero, clamped
  /// to int32, NaN as 0 (LyraTensor's `int()` would trap on values it cannot hold, and a
  /// model's integer division by zero must not crash the host).
  func toInt32Clamped() -> Tensor {
    let values = contiguous().toArray().map { v -> Int in
      guard !v.isNaN else { return 0 }
      return v >= 2_147_483_648 ? Int(Int32.max) : v <= -2_147_483_648 ? Int(Int32.min) : Int(v)
    }
    return Tensor(indices: values, shape: shape)
  }
}
