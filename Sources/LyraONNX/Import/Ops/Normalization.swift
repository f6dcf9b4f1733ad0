import LyraBase
import LyraTensor

/// BatchNormalization in inference form (running statistics), on LyraTensor's batch-norm
/// kernel. Inputs of rank 3 or above 4 are viewed as N×C×H×1 / N×C×(rest)×1.
/// InstanceNormalization and LayerNormalization (opset 17) standardise per sample with
/// the biased variance; what Lyra's exporter writes for LayerNorm, GroupNorm and
/// InstanceNorm2d (see ExportNorms.swift).
enum NormalizationOps {
  static let table: [String: ONNXKernel] = [
    "BatchNormalization": batchNorm, "InstanceNormalization": instanceNorm, "LayerNormalization": layerNorm,
  ]

  /// (x − mean) / √(var + eps) over `dims`, biased variance.
  static func standardize(_ x: Tensor, over dims: [Int], eps: Float) -> Tensor {
    let centred = x.sub(x.mean(dims, keepdim: true))
    return centred.div(centred.mul(centred).mean(dims, keepdim: true).add(eps).sqrt())
  }

  /// [N, C, spatial...]: each (n, c) over its positions, then scale[c]·y + bias[c].
  static func instanceNorm(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["epsilon"])
    let x = try call.float(0), scale = try call.float(1), bias = try call.float(2)
    guard x.rank >= 3, x.shape[2...].allSatisfy({ $0 > 0 }) else {
      throw ONNXError.invalid("input must be [N, C, spatial...] with positions to normalise over, got \(x.shape)")
    }
    let c = x.shape[1]
    guard scale.shape == [c], bias.shape == [c] else {
      throw ONNXError.invalid("scale and B must have shape [\(c)], got \(scale.shape) and \(bias.shape)")
    }
    let eps = try call.float("epsilon", 1e-5)
    guard eps.isFinite, eps >= 0 else { throw ONNXError.invalid("attribute 'epsilon' \(eps) must be finite and not negative") }
    let view = [1, c] + [Int](repeating: 1, count: x.rank - 2)
    let y = standardize(x, over: Array(2..<x.rank), eps: eps)
    return [y.mul(scale.reshape(view)).add(bias.reshape(view))]
  }

  /// Standardised over the dimensions from `axis` (default -1) on, then Scale·y + B with
  /// both broadcast over those dimensions; the optional outputs Mean and InvStdDev have the
  /// input's shape with the normalised dimensions kept as 1.
  static func layerNorm(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["axis", "epsilon", "stash_type"])
    let x = try call.float(0), scale = try call.float(1)
    guard x.rank >= 1 else { throw ONNXError.invalid("input must have at least one dimension") }
    let axis = try Axes.normalize(try call.int("axis", -1), rank: x.rank, "attribute 'axis'")
    let eps = try call.float("epsilon", 1e-5)
    guard eps.isFinite, eps >= 0 else { throw ONNXError.invalid("attribute 'epsilon' \(eps) must be finite and not negative") }
    let normalized = Array(x.shape[axis...])
    guard normalized.allSatisfy({ $0 > 0 }) else { throw ONNXError.invalid("input \(x.shape) has nothing to normalise from axis \(axis)") }
    for (k, t) in [(1, scale), (2, call.optionalInput(2))].compactMap({ p in p.1.map { (p.0, $0) } }) {
      guard t.dtype == .float32, t.rank <= normalized.count, Shape.broadcast(t.shape, normalized) == normalized else {
        throw ONNXError.invalid("input \(k) of shape \(t.shape) does not broadcast to the normalised \(normalized)")
      }
    }
    let dims = Array(axis..<x.rank)
    let mean = x.mean(dims, keepdim: true)
    let centred = x.sub(mean)
    let inverse = centred.mul(centred).mean(dims, keepdim: true).add(eps).sqrt().rdiv(1)
    var y = centred.mul(inverse).mul(scale)
    if let b = call.optionalInput(2) { y = y.add(b) }
    return [y, mean, inverse]
  }

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
