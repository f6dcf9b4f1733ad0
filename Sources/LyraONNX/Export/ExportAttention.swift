import LyraNN
import LyraTensor

/// MultiheadAttention (self-attention, as its `forward`), TransformerEncoderLayer and
/// TransformerEncoder, decomposed into MatMul, Add, Mul, Softmax, Transpose and Reshape
/// (ONNX has no attention operator in the default domain before opset 23), with their
/// LayerNorms written by `layerNorm` (LayerNormalization at opset 17). Dropout is the
/// identity in the inference graph. Reshapes copy the batch and length with 0, so both
/// stay free in the exported file.
extension ExportContext {
  func emitAttention(_ m: Module, path: String, _ x: Flow) throws -> Flow? {
    switch m {
    case let a as MultiheadAttention:
      return Flow(name: try selfAttention(a, path: path, x.name, rank: x.sample.rank), sample: try a(x.sample))
    case let l as TransformerEncoderLayer:
      return try encoderLayer(l, path: path, x)
    case let e as TransformerEncoder:
      var y = x
      for (i, l) in e.layers.enumerated() { y = try encoderLayer(l, path: join(path, "layers.\(i)"), y) }
      guard e.hasNorm, let norm = e.children.first(where: { $0.name == "norm" })?.module, let first = e.layers.first else { return y }
      return try encoderNorm(norm, eps: first.layerNormEps, path: join(path, "norm"), y)
    default:
      return nil
    }
  }

  /// softmax(q·kᵀ / √d)·v per head, with the in-projection split into its q, k and v rows
  /// and the out-projection as a Linear. Input [L, N, E], [N, L, E] (batch_first) or [L, E].
  private func selfAttention(_ a: MultiheadAttention, path: String, _ input: String, rank: Int) throws -> String {
    let e = a.embedDim, heads = a.numHeads, d = e / heads
    var x = input
    if rank == 2 {
      x = try node("Unsqueeze", path: path, inputs: [x, try initializer(join(path, "batch_axis"), ints: [0])])
    } else if !a.batchFirst {
      x = try node("Transpose", path: path, inputs: [x], attributes: [("perm", .ints([1, 0, 2]))])
    }
    // [N, L, E] -> [N, L, heads, d], then to [N, heads, L, d] (k: [N, heads, d, L]).
    let split = try initializer(join(path, "heads_shape"), ints: [0, 0, heads, d])
    let names = ["q", "k", "v"]
    let projected = try (0..<3).map { i -> String in
      let w = a.inProjWeight.narrow(0, i * e, e), b = a.inProjBias?.narrow(0, i * e, e)
      let p = try linearNode(path: join(path, "\(names[i])_proj"), x, rank: 3, weight: w, bias: b)
      let perm = i == 1 ? [0, 2, 3, 1] : [0, 2, 1, 3]
      return try node("Transpose", path: path, inputs: [try node("Reshape", path: path, inputs: [p, split])], attributes: [("perm", .ints(perm))])
    }
    let scores = try node("Mul", path: path, inputs: [try node("MatMul", path: path, inputs: [projected[0], projected[1]]),
                                                       try scalar(1 / Float(d).squareRoot())])
    let weights = try node("Softmax", path: path, inputs: [scores], attributes: [("axis", .int(3))])
    let context = try node("Transpose", path: path, inputs: [try node("MatMul", path: path, inputs: [weights, projected[2]])],
                           attributes: [("perm", .ints([0, 2, 1, 3]))])
    let merged = try node("Reshape", path: path, inputs: [context, try initializer(join(path, "merged_shape"), ints: [0, 0, e])])
    var out = try linearNode(path: join(path, "out_proj"), merged, rank: 3, weight: a.outProj.weight, bias: a.outProj.bias)
    if rank == 2 {
      out = try node("Squeeze", path: path, inputs: [out, try initializer(join(path, "batch_axis"), ints: [0])])
    } else if !a.batchFirst {
      out = try node("Transpose", path: path, inputs: [out], attributes: [("perm", .ints([1, 0, 2]))])
    }
    return out
  }

  /// Post-norm: norm2(y + ff(y)) with y = norm1(x + sa(x)); pre-norm (norm_first):
  /// y + ff(norm2(y)) with y = x + sa(norm1(x)). ff = linear2(activation(linear1)).
  private func encoderLayer(_ l: TransformerEncoderLayer, path: String, _ x: Flow) throws -> Flow {
    func child(_ name: String) throws -> Module {
      guard let c = l.children.first(where: { $0.name == name })?.module else {
        throw ONNXError.invalid("ONNX export: TransformerEncoderLayer at '\(path)' lacks its '\(name)'")
      }
      return c
    }
    func norm(_ name: String, _ t: Flow) throws -> Flow { try encoderNorm(try child(name), eps: l.layerNormEps, path: join(path, name), t) }
    func sa(_ t: Flow) throws -> Flow { try emit(l.selfAttn, path: join(path, "self_attn"), t) }
    func ff(_ t: Flow) throws -> Flow {
      let h = try emit(try child("linear1"), path: join(path, "linear1"), t)
      let activation: Module = l.activation == "gelu" ? GELU() : ReLU()
      guard let a = try emitActivation(activation, path: join(path, "activation"), h) else {
        throw ONNXError.unsupported("ONNX export: TransformerEncoderLayer at '\(path)': activation '\(l.activation)'")
      }
      return try emit(try child("linear2"), path: join(path, "linear2"), a)
    }
    func add(_ a: Flow, _ b: Flow) throws -> Flow {
      Flow(name: try node("Add", path: path, inputs: [a.name, b.name]), sample: a.sample + b.sample)
    }
    let want = try l(x.sample)
    let out: Flow
    if l.normFirst {
      let y = try add(x, try sa(try norm("norm1", x)))
      out = try add(y, try ff(try norm("norm2", y)))
    } else {
      let y = try norm("norm1", try add(x, try sa(x)))
      out = try norm("norm2", try add(y, try ff(y)))
    }
    // The decomposition must give the layer's own output (a drifted forward is an error, not a wrong file).
    guard out.sample.shape == want.shape, out.sample.sub(want).abs().max().item() <= 1e-4 * Swift.max(1, want.abs().max().item()) else {
      throw ONNXError.invalid("ONNX export: TransformerEncoderLayer at '\(path)': the decomposed layer does not reproduce its forward")
    }
    return Flow(name: out.name, sample: want)
  }

  /// The encoder's own LayerNorm (over the last dimension, weight and bias of d_model).
  private func encoderNorm(_ norm: Module, eps: Float, path: String, _ x: Flow) throws -> Flow {
    guard norm.ownParameters.count == 2 else {
      throw ONNXError.invalid("ONNX export: the LayerNorm at '\(path)' has \(norm.ownParameters.count) parameters, expected weight and bias")
    }
    let w = norm.ownParameters[0].tensor, b = norm.ownParameters[1].tensor
    return Flow(name: try layerNorm(path: path, x.name, normalized: [w.count], weight: w, bias: b, eps: eps), sample: try norm(x.sample))
  }
}
