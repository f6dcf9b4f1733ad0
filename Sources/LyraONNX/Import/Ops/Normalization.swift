import LyraTensor

/// BatchNormalization in inference form (running statistics), on LyraTensor's batch-norm
/// kernel. Inputs of rank 3 or above 4 are viewed as N×C×H×1 / N×C×(rest)×1.
enum NormalizationOps {
  static let table: [String: ONNXKernel] = ["BatchNormalization": batchNorm]

  static func batchNorm(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["epsilon", "momentum", "training_mode", "spatial", "is_test", "consumed_inputs"])
    try call.expectOutputs(1)
    if try call.int("training_mode", 0) != 0 { throw ONNXError.unsupported("training_mode=1") }
    if try call.int("spatial", 1) != 1 { throw ONNXError.unsupported("spatial=0") }
    let x = try call.float(0)
    guard x.rank >= 2 else { throw ONNXError.invalid("input must be [N, C, ...], got \(x.shape)") }
    let c = x.shape[1]
    let params = try (1...4).map { k -> Tensor in
      let t = try call.float(k)
      guard t.count == c, t.rank == 1 else { throw ONNXError.invalid("input \(k) must have shape [\(c)], got \(t.shape)") }
      return t.contiguous()
    }
    let eps = try call.float("epsilon", 1e-5)
    let view: [Int] = x.rank == 2 || x.rank == 4 ? x.shape : [x.shape[0], c, x.shape[2...].reduce(1, *), 1]
    let y = Tensor.batchNorm(x.reshape(view), runningMean: params[2], runningVar: params[3], weight: params[0], bias: params[1],
                             training: false, eps: eps)
    return [y.reshape(x.shape)]
  }
}
