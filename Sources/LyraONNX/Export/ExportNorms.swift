import LyraNN
import LyraTensor

/// Issue 17's per-sample normalisations.
///
/// - InstanceNorm2d is ONNX InstanceNormalization (scale 1 and shift 0 without affine).
/// - GroupNorm has an ONNX operator only from opset 18 (beyond the libonnx 1.12 checker
///   Lyra links), so it is written as its definition: a [N, G, -1] reshape normalised by
///   InstanceNormalization (one "channel" per group), reshaped back to the input's shape and
///   mapped per channel by Mul and Add.
/// - LayerNorm is LayerNormalization at opset 17; earlier opsets, which lack it, get the
///   same [-1, 1, D] InstanceNormalization form, so the default opset 13 need not change.
///
/// InstanceNormalization uses the biased variance, as PyTorch and Lyra do.
extension ExportContext {
  func emitNorm(_ m: Module, path: String, _ x: Flow) throws -> Flow? {
    switch m {
    case let n as LayerNorm:
      let weight = n.affine ? n.ownParameters[0].tensor : nil, bias = n.affine ? n.ownParameters[1].tensor : nil
      return Flow(name: try layerNorm(path: path, x.name, normalized: n.shape, weight: weight, bias: bias, eps: n.eps),
                  sample: try n(x.sample))
    case let n as InstanceNorm2d:
      let y = try n(x.sample)
      let c = n.channels
      let scale = try initializer(join(path, "weight"), n.affine ? n.ownParameters[0].tensor : Tensor.ones([c]))
      let shift = try initializer(join(path, "bias"), n.affine ? n.ownParameters[1].tensor : Tensor.zeros([c]))
      if x.sample.rank == 4 {
        return Flow(name: try node("InstanceNormalization", path: path, inputs: [x.name, scale, shift], attributes: [("epsilon", .float(n.eps))]),
                    sample: y)
      }
      // Unbatched [C, H, W]: a batch of one around the operator.
      let axes = try initializer(join(path, "axes"), ints: [0])
      let batched = try node("Unsqueeze", path: path, inputs: [x.name, axes])
      let normed = try node("InstanceNormalization", path: path, inputs: [batched, scale, shift], attributes: [("epsilon", .float(n.eps))])
      return Flow(name: try node("Squeeze", path: path, inputs: [normed, axes]), sample: y)
    case let n as GroupNorm:
      let y = try n(x.sample)
      guard x.sample.count > 0 else { throw ONNXError.invalid("ONNX export: GroupNorm at '\(path)': the sample input \(x.sample.shape) is empty") }
      let grouped = try initializer(join(path, "grouped_shape"), ints: [0, n.groups, -1])
      var out = try standardize(path: path, x.name, viewedAs: grouped, groups: n.groups, eps: n.eps)
      if n.affine {
        let shape = [n.channels] + [Int](repeating: 1, count: x.sample.rank - 2)
        out = try node("Mul", path: path, inputs: [out, try initializer(join(path, "weight"), n.ownParameters[0].tensor.reshape(shape))])
        out = try node("Add", path: path, inputs: [out, try initializer(join(path, "bias"), n.ownParameters[1].tensor.reshape(shape))])
      }
      return Flow(name: out, sample: y)
    default:
      return nil
    }
  }

  /// Layer normalisation of `input` over its last `normalized.count` dimensions (sizes
  /// `normalized`), with an optional element-wise affine map of that shape. Also writes the
  /// LayerNorms inside TransformerEncoderLayer (see ExportAttention.swift).
  func layerNorm(path: String, _ input: String, normalized: [Int], weight: Tensor?, bias: Tensor?, eps: Float) throws -> String {
    if opset >= 17 {
      let scale = try initializer(join(path, "weight"), weight ?? Tensor.ones(normalized))
      let shift = try initializer(join(path, "bias"), bias ?? Tensor.zeros(normalized))
      return try node("LayerNormalization", path: path, inputs: [input, scale, shift],
                      attributes: [("axis", .int(-normalized.count)), ("epsilon", .float(eps))])
    }
    let rows = try initializer(join(path, "rows_shape"), ints: [-1, 1, normalized.reduce(1, *)])
    var out = try standardize(path: path, input, viewedAs: rows, groups: 1, eps: eps)
    if let weight { out = try node("Mul", path: path, inputs: [out, try initializer(join(path, "weight"), weight)]) }
    if let bias { out = try node("Add", path: path, inputs: [out, try initializer(join(path, "bias"), bias)]) }
    return out
  }

  /// `input` reshaped to `shape` (an int64 initialiser naming a [*, groups, *] view),
  /// normalised per (row, group) by InstanceNormalization, and reshaped back to its own shape.
  private func standardize(path: String, _ input: String, viewedAs shape: String, groups: Int, eps: Float) throws -> String {
    let viewed = try node("Reshape", path: path, inputs: [input, shape])
    let ones = try initializer(join(path, "unit_scale"), Tensor.ones([groups]))
    let zeros = try initializer(join(path, "zero_shift"), Tensor.zeros([groups]))
    let normed = try node("InstanceNormalization", path: path, inputs: [viewed, ones, zeros], attributes: [("epsilon", .float(eps))])
    let original = try node("Shape", path: path, inputs: [input])
    return try node("Reshape", path: path, inputs: [normed, original])
  }
}
