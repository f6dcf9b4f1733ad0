import LyraKernels
import LyraTensor

/// Conv and ConvTranspose over 1-D and 2-D inputs on LyraKernels' convolution kernels.
/// 1-D runs as 2-D with a height of one; asymmetric pads become an explicit zero pad of
/// the input, since the kernels take one pad per dimension.
enum ConvOps {
  static let table: [String: ONNXKernel] = ["Conv": conv, "ConvTranspose": convTranspose]

  static func conv(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"])
    var x = try call.float(0), w = try call.float(1)
    let n = x.rank - 2
    guard n == 1 || n == 2 else { throw ONNXError.unsupported("\(n)-D convolution (Lyra has 1-D and 2-D)") }
    guard w.rank == x.rank else { throw ONNXError.invalid("weight \(w.shape) does not match input \(x.shape)") }
    let group = try call.int("group", 1), c = x.shape[1], m = w.shape[0]
    guard group > 0, c > 0, c % group == 0, m % group == 0, w.shape[1] == c / group, m > 0 else {
      throw ONNXError.invalid("weight \(w.shape) does not fit \(c) input channels in \(group) groups")
    }
    let kernel = Array(w.shape[2...])
    if let ks = try call.ints("kernel_shape"), ks != kernel {
      throw ONNXError.invalid("kernel_shape \(ks) differs from the weight's \(kernel)")
    }
    var g = try SpatialGeometry.resolve(call, input: Array(x.shape[2...]), kernel: kernel)
    try SizeMath.allocation([x.shape[0], m] + g.output, "the convolution's output")
    // The unfolded input (im2col) the kernel multiplies: [C/group × kernel, output positions].
    try SizeMath.allocation([c / group] + kernel + g.output, "the convolution's unfolded input")
    if !g.isSymmetric { try SizeMath.allocation([x.shape[0], c] + (0..<n).map { x.shape[2 + $0] + g.padBegin[$0] + g.padEnd[$0] }, "the padded input") }
    let bias = call.optionalInput(2)
    if let bias, bias.shape != [m] || bias.dtype != .float32 { throw ONNXError.invalid("bias must be a float [\(m)], got \(bias.shape)") }
    if n == 1 {
      x = x.unsqueeze(2)
      w = w.unsqueeze(2)
      g = g.liftedTo2D()
    }
    var padding = Window2d(g.padBegin[0], g.padBegin[1])
    if !g.isSymmetric {
      x = x.pad([g.padBegin[1], g.padEnd[1], g.padBegin[0], g.padEnd[0]])
      padding = Window2d(0)
    }
    let y = Tensor.conv2d(x, w, bias?.contiguous(), stride: Window2d(g.strides[0], g.strides[1]), padding: padding,
                          dilation: Window2d(g.dilations[0], g.dilations[1]), groups: group)
    return [n == 1 ? y.squeeze(2) : y]
  }

  /// The transposed convolution is the input-gradient of a convolution: LyraKernels'
  /// `conv2dBackwardInput` computes the full (unpadded) output, from which the pads crop
  /// (or output_padding / output_shape extend with zeros) before the bias is added.
  static func convTranspose(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["auto_pad", "dilations", "group", "kernel_shape", "output_padding", "output_shape", "pads", "strides"])
    var x = try call.float(0), w = try call.float(1)
    let n = x.rank - 2
    guard n == 1 || n == 2 else { throw ONNXError.unsupported("\(n)-D transposed convolution (Lyra has 1-D and 2-D)") }
    guard w.rank == x.rank else { throw ONNXError.invalid("weight \(w.shape) does not match input \(x.shape)") }
    let group = try call.int("group", 1), c = x.shape[1]
    guard group > 0, c > 0, c % group == 0, w.shape[0] == c, w.shape[1] > 0 else {
      throw ONNXError.invalid("weight \(w.shape) does not fit \(c) input channels in \(group) groups")
    }
    let m = w.shape[1] * group
    let kernel = Array(w.shape[2...])
    if let ks = try call.ints("kernel_shape"), ks != kernel {
      throw ONNXError.invalid("kernel_shape \(ks) differs from the weight's \(kernel)")
    }
    func list(_ name: String, _ fill: Int, _ count: Int) throws -> [Int] {
      guard let v = try call.ints(name) else { return [Int](repeating: fill, count: count) }
      guard v.count == count else { throw ONNXError.invalid("'\(name)' has \(v.count) values, expected \(count)") }
      return v
    }
    let strides = try list("strides", 1, n), dilations = try list("dilations", 1, n)
    let outputPadding = try list("output_padding", 0, n)
    guard strides.allSatisfy({ $0 > 0 }), dilations.allSatisfy({ $0 > 0 }), outputPadding.allSatisfy({ $0 >= 0 }) else {
      throw ONNXError.invalid("attributes 'strides' and 'dilations' must be positive, 'output_padding' non-negative")
    }
    // ONNX: output_padding adds at most one stride (or dilation) less one.
    for i in 0..<n where outputPadding[i] >= Swift.max(strides[i], dilations[i]) {
      throw ONNXError.invalid("attribute 'output_padding' \(outputPadding) must be smaller than the stride or the dilation")
    }
    let input = Array(x.shape[2...])
    guard input.allSatisfy({ $0 > 0 }) else { throw ONNXError.invalid("empty spatial input \(input)") }
    // Checked: strides and dilations of 2^62 wrapped these sizes (heap corruption).
    let full: [Int] = try (0..<n).map { i -> Int in
      let span = try SizeMath.add(try SizeMath.mul(kernel[i] - 1, dilations[i], "the dilated kernel (attribute 'dilations')"), 1, "the dilated kernel")
      return try SizeMath.add(try SizeMath.mul(input[i] - 1, strides[i], "the output size (attribute 'strides')"), span, "the output size")
    }
    try SizeMath.allocation([x.shape[0], m] + full, "the transposed convolution's output")
    try SizeMath.allocation([m] + kernel + input, "the transposed convolution's columns")
    let autoPad = try call.string("auto_pad", "NOTSET")
    var begin = [Int](repeating: 0, count: n), size = [Int](repeating: 0, count: n)
    var wanted = try call.ints("output_shape")
    if let o = wanted, o.count == n + 2 { wanted = Array(o[2...]) }
    if wanted == nil && (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") { wanted = input.enumerated().map { $0.element * strides[$0.offset] } }
    if let wanted {
      guard wanted.count == n, wanted.allSatisfy({ $0 > 0 }) else { throw ONNXError.invalid("output_shape \(wanted) does not fit \(n) dimensions") }
      try SizeMath.allocation([x.shape[0], m] + wanted, "the output (attribute 'output_shape')")
      // The total padding is never negative (a larger output gets zeros at the end, as ONNX
      // Runtime does); the odd pixel goes to the end except for SAME_LOWER (ONNX 1.12 tests).
      for i in 0..<n {
        let total = Swift.max(0, full[i] + outputPadding[i] - wanted[i])
        begin[i] = autoPad == "SAME_LOWER" ? total - total / 2 : total / 2
        size[i] = wanted[i]
      }
    } else {
      guard autoPad == "NOTSET" || autoPad == "VALID" || autoPad.isEmpty else { throw ONNXError.invalid("unknown auto_pad '\(autoPad)'") }
      let pads = autoPad == "VALID" ? [Int](repeating: 0, count: 2 * n) : try list("pads", 0, 2 * n)
      guard pads.allSatisfy({ $0 >= 0 }) else { throw ONNXError.invalid("attribute 'pads' \(pads) has negative values") }
      for i in 0..<n {
        begin[i] = pads[i]
        size[i] = full[i] + outputPadding[i] - pads[i] - pads[n + i]
      }
      guard size.allSatisfy({ $0 > 0 }) else { throw ONNXError.invalid("attribute 'pads' \(pads) leaves an empty output") }
    }
    if n == 1 {
      x = x.unsqueeze(2)
      w = w.unsqueeze(2)
    }
    let k2 = n == 1 ? [1] + kernel : kernel, s2 = n == 1 ? [1] + strides : strides, d2 = n == 1 ? [1] + dilations : dilations
    let f2 = n == 1 ? [1] + full : full
    let shape = Conv2dShape(batch: x.shape[0], inChannels: m, height: f2[0], width: f2[1], outChannels: c,
                            kernelH: k2[0], kernelW: k2[1], strideH: s2[0], strideW: s2[1],
                            dilationH: d2[0], dilationW: d2[1], groups: group)
    let xc = x.contiguous(), wc = w.contiguous()
    var y = Tensor.empty([x.shape[0], m, f2[0], f2[1]])
    if x.shape[0] > 0 { conv2dBackwardInput(shape, gradOutput: xc.data, weight: wc.data, gradInput: y.data) }
    if n == 1 { y = y.squeeze(2) }
    y = window(y, begin: begin, size: size)
    if let bias = call.optionalInput(2) {
      guard bias.shape == [m], bias.dtype == .float32 else { throw ONNXError.invalid("bias must be a float [\(m)], got \(bias.shape)") }
      y = y.add(bias.reshape([m] + [Int](repeating: 1, count: n)))
    }
    return [y]
  }

  /// The spatial window [begin, begin + size) of `y`, zeros where it leaves `y`.
  static func window(_ y: Tensor, begin: [Int], size: [Int]) -> Tensor {
    var t = y
    var pads: [Int] = []  // Tensor.pad order: last dimension first
    for i in (0..<begin.count).reversed() {
      let d = 2 + i, extent = t.shape[d]
      let lo = Swift.min(extent, Swift.max(0, begin[i])), hi = Swift.max(lo, Swift.min(extent, begin[i] + size[i]))
      t = t.narrow(d, lo, Swift.max(0, hi - lo))
      pads += [Swift.max(0, -begin[i]), size[i] - Swift.max(0, -begin[i]) - Swift.max(0, hi - lo)]
    }
    return pads.allSatisfy({ $0 == 0 }) ? t.contiguous() : t.pad(pads)
  }
}

extension SpatialGeometry {
  /// A 1-D geometry as 2-D with a leading dimension of size one.
  func liftedTo2D() -> SpatialGeometry {
    SpatialGeometry(input: [1] + input, kernel: [1] + kernel, strides: [1] + strides, dilations: [1] + dilations,
                    padBegin: [0] + padBegin, padEnd: [0] + padEnd, output: [1] + output)
  }
}
