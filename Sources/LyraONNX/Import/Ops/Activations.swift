import LyraBase
import LyraTensor

/// Activations, on LyraTensor's element-wise kernels.
enum ActivationOps {
  static let table: [String: ONNXKernel] = [
    "Relu": { call in try simple(call) { $0.relu() } },
    "Sigmoid": { call in try simple(call) { $0.sigmoid() } },
    "Tanh": { call in try simple(call) { $0.tanh() } },
    "Softplus": { call in try simple(call) { $0.softplus() } },
    "HardSwish": { call in try simple(call) { $0.hardswish() } },
    "LeakyRelu": { call in
      try call.expectAttributes(["alpha"])
      return [try call.float(0).leakyRelu(try call.float("alpha", 0.01))]
    },
    "HardSigmoid": { call in
      try call.expectAttributes(["alpha", "beta"])
      let alpha = try call.float("alpha", 0.2), beta = try call.float("beta", 0.5)
      return [try call.float(0).mul(alpha).add(beta).clamp(min: 0, max: 1)]
    },
    "Elu": { call in
      try call.expectAttributes(["alpha"])
      let x = try call.float(0), alpha = try call.float("alpha", 1)
      return [x.relu().add(x.clamp(max: 0).exp().sub(1).mul(alpha))]
    },
    "PRelu": prelu,
    "Clip": clip,
    "Dropout": dropout,
  ]

  static func simple(_ call: OpCall, _ f: (Tensor) -> Tensor) throws -> [Tensor] {
    try call.expectAttributes([])
    return [f(try call.float(0))]
  }

  /// max(x, 0) + slope · min(x, 0), the slope broadcast to X from the right (ONNX's
  /// unidirectional broadcast: the result has X's shape; per channel before opset 7).
  static func prelu(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes([])
    let x = try call.float(0)
    var slope = try call.float(1)
    // Before opset 7 a 1-D slope of C values is per channel (dimension 1), as PyTorch's old exports write it.
    if call.opset < 7, slope.rank == 1, x.rank >= 2, slope.count == x.shape[1], slope.count > 1 {
      slope = slope.reshape([slope.count] + [Int](repeating: 1, count: x.rank - 2))
    }
    guard Shape.broadcast(x.shape, slope.shape) == x.shape else {
      throw ONNXError.invalid("slope of shape \(slope.shape) does not broadcast to the input \(x.shape)")
    }
    return [x.relu().add(x.clamp(max: 0).mul(slope))]
  }

  /// Bounds are inputs from opset 11 (omitted = unbounded), attributes before.
  static func clip(_ call: OpCall) throws -> [Tensor] {
    let lo: Float, hi: Float
    if call.opset >= 11 {
      try call.expectAttributes([])
      lo = try call.scalar(1) ?? -.infinity
      hi = try call.scalar(2) ?? .infinity
    } else {
      try call.expectAttributes(["min", "max"])
      lo = try call.float("min", -.infinity)
      hi = try call.float("max", .infinity)
    }
    let x = try call.input(0)
    if x.dtype == .float32 { return [x.clamp(min: lo, max: hi)] }
    return [x.float().clamp(min: lo, max: hi).toInt32Clamped()]
  }

  /// Inference only: the identity. Training mode (an input from opset 12) and the mask
  /// output are not supported.
  static func dropout(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["ratio", "seed", "is_test"])
    try call.expectOutputs(1)
    if let training = call.optionalInput(2), training.count == 1,
       (training.dtype == .float32 ? training.contiguous().item() != 0 : training.toIntArray()[0] != 0) {
      throw ONNXError.unsupported("training mode")
    }
    return [try call.input(0)]
  }
}
