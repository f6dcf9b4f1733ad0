import LyraNN
import LyraTensor

/// RNN, LSTM and GRU as ONNX's operators of the same names, one node per layer (ONNX's
/// operators are single-layer), forward direction, layout 0 ([T, N, F]; batch_first and
/// unbatched inputs are transposed or unsqueezed around them).
///
/// Gate order: Lyra stores PyTorch's (LSTM i f g o, GRU r z n); ONNX wants LSTM i o f c and
/// GRU z r h, so the weight and bias blocks are reordered. PyTorch's GRU multiplies r with
/// (W_hn·h + b_hn), which is ONNX's `linear_before_reset = 1`. Dropout between layers is
/// training-only, so absent from the inference graph. A relu RNN names its activation
/// (`activations = ["Relu"]`, a string-list attribute; Tanh is ONNX's default).
extension ExportContext {
  func emitRecurrent(_ m: Module, path: String, _ x: Flow) throws -> Flow? {
    guard let r = m as? RecurrentLayer else { return nil }
    let op: String, order: [Int]
    var attributes: [(String, ONNXAttribute)] = [("hidden_size", .int(r.hiddenSize))]
    switch r {
    case is LSTM: (op, order) = ("LSTM", [0, 3, 1, 2])
    case is GRU:
      (op, order) = ("GRU", [1, 0, 2])
      attributes.append(("linear_before_reset", .int(1)))
    case let rnn as RNN:
      (op, order) = ("RNN", [0])
      if rnn.nonlinearity == "relu" { attributes.append(("activations", .strings(["Relu"]))) }
    default:
      throw ONNXError.unsupported("ONNX export: recurrent layer \(m.typeName) at '\(path)' has no ONNX form in Lyra's exporter")
    }
    let y = try r(x.sample)
    let params = Dictionary(r.ownParameters.map { ($0.name, $0.tensor) }) { a, _ in a }
    func param(_ name: String) throws -> Tensor {
      guard let t = params[name] else { throw ONNXError.invalid("ONNX export: \(m.typeName) at '\(path)' lacks parameter '\(name)'") }
      return t
    }
    /// Gate blocks of `t` (along dimension 0) in ONNX's order.
    func reordered(_ t: Tensor) -> Tensor {
      let h = r.hiddenSize
      return Tensor.cat(order.map { t.narrow(0, $0 * h, h) }, dim: 0)
    }
    let unbatched = x.sample.rank == 2
    var seq = x.name
    if unbatched {
      seq = try node("Unsqueeze", path: path, inputs: [seq, try initializer(join(path, "batch_axis"), ints: [1])])
    } else if r.batchFirst {
      seq = try node("Transpose", path: path, inputs: [seq], attributes: [("perm", .ints([1, 0, 2]))])
    }
    let directionAxis = try initializer(join(path, "direction_axis"), ints: [1])
    for l in 0..<r.numLayers {
      let w = try initializer(join(path, "W_l\(l)"), reordered(try param("weight_ih_l\(l)")).unsqueeze(0))
      let rw = try initializer(join(path, "R_l\(l)"), reordered(try param("weight_hh_l\(l)")).unsqueeze(0))
      var inputs = [seq, w, rw]
      if r.hasBias {
        let b = Tensor.cat([reordered(try param("bias_ih_l\(l)")), reordered(try param("bias_hh_l\(l)"))], dim: 0)
        inputs.append(try initializer(join(path, "B_l\(l)"), b.unsqueeze(0)))
      }
      let out = try node(op, path: join(path, "l\(l)"), inputs: inputs, attributes: attributes)  // Y [T, 1, N, H]
      seq = try node("Squeeze", path: path, inputs: [out, directionAxis])
    }
    if unbatched {
      seq = try node("Squeeze", path: path, inputs: [seq, try initializer(join(path, "batch_axis"), ints: [1])])
    } else if r.batchFirst {
      seq = try node("Transpose", path: path, inputs: [seq], attributes: [("perm", .ints([1, 0, 2]))])
    }
    return Flow(name: seq, sample: y)
  }
}
