/// Load-time checks of a convolution against its weight when the weight is an
/// initialiser, the one shape a model file fixes before any input is seen (issue 14:
/// "validate at load where shapes are known"): `kernel_shape` must equal the weight's
/// spatial dims and `group` must divide its output channels. Everything that depends on
/// the input's shape is checked at the first forward.
enum WeightShapeChecks {
  static func check(_ node: ONNXNode, initializers: [String: ONNXTensorData]) throws {
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
}
