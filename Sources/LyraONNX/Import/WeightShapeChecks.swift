/// Load-time checks of a convolution against its weight when the weight is an
/// initialiser, the one shape a model file fixes before any input is seen (issue 14:
/// "validate at load where shapes are known"): `kernel_shape` must equal the weight's
/// spatial dims and `group` must divide its output channels. Everything that depends on
/// the input's shape is checked at the first forward.
///
/// Recurrent operators (RNN, GRU, LSTM) likewise: W [1, gates·hidden, input] and R
/// [1, gates·hidden, hidden] must agree with `hidden_size` when they are initialisers.
enum WeightShapeChecks {
  static func check(_ node: ONNXNode, initializers: [String: ONNXTensorData]) throws {
    if let gates = ["RNN": 1, "GRU": 3, "LSTM": 4][node.opType] {
      try checkRecurrent(node, gates: gates, initializers: initializers)
      return
    }
    guard node.opType == "Conv" || node.opType == "ConvTranspose", node.inputs.count >= 2,
          let w = initializers[node.inputs[1]] else { return }
    guard w.dims.count >= 3 else {
      throw ONNXError.invalid("\(node.label): the weight '\(w.name)' has shape \(w.dims); a convolution's weight is [M, C/group, kernel...]")
    }
    if case .ints(let ks)? = node.attributes["kernel_shape"], ks != Array(w.dims[2...]) {
      throw ONNXError.invalid("\(node.label): attribute 'kernel_shape' \(ks) differs from the weight '\(w.name)' \(Array(w.dims[2...]))")
    }
    if node.opType == "Conv", case .int(let g)? = node.attributes["group"], g > 0, w.dims[0] % g != 0 {
      throw ONNXError.invalid("\(node.label): attribute 'group' \(g) does not divide the weight's \(w.dims[0]) output channels")
    }
  }

  static func checkRecurrent(_ node: ONNXNode, gates: Int, initializers: [String: ONNXTensorData]) throws {
    guard case .int(let h)? = node.attributes["hidden_size"], h > 0, h <= AttributeLimits.maxSize else { return }
    let rows = gates * h  // both at most 2^31 - 1 (AttributeLimits), so no overflow
    if node.inputs.count > 2, let r = initializers[node.inputs[2]], r.dims != [1, rows, h] {
      throw ONNXError.invalid("\(node.label): the recurrence weight '\(r.name)' has shape \(r.dims); hidden_size \(h) needs [1, \(rows), \(h)]")
    }
    if node.inputs.count > 1, let w = initializers[node.inputs[1]], w.dims.count != 3 || w.dims[0] != 1 || w.dims[1] != rows {
      throw ONNXError.invalid("\(node.label): the input weight '\(w.name)' has shape \(w.dims); hidden_size \(h) needs [1, \(rows), input_size]")
    }
  }
}
