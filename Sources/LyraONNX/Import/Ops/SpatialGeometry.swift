/// The geometry of a convolution or pooling over N spatial dimensions from ONNX's
/// attributes: kernel, strides, dilations, begin/end pads (explicit or from auto_pad)
/// and the output sizes, with ONNX's formulas (which differ from PyTorch's in ceil mode).
struct SpatialGeometry {
  var input: [Int]
  var kernel: [Int]
  var strides: [Int]
  var dilations: [Int]
  var padBegin: [Int]
  var padEnd: [Int]
  var output: [Int]

  var rank: Int { kernel.count }
  /// The extent of a dilated kernel.
  func extent(_ i: Int) -> Int { (kernel[i] - 1) * dilations[i] + 1 }
  var isSymmetric: Bool { padBegin == padEnd }

  /// Reads `strides`, `dilations`, `pads` and `auto_pad` for a window of `kernel` over `input`.
  ///
  /// Every value is checked against the input before any size is computed (issue 14:
  /// pads and dilations of 2^62 reached the kernels as wrapped sizes):
  /// - the dilated window must fit the padded input (at least one output);
  /// - each pad is at most the input's size or the window's size less one, whichever is
  ///   larger (`kernelFromWeights`: a convolution's kernel is the weight's, backed by data);
  ///   for pooling, whose window is only an attribute, a pad must also be smaller than the
  ///   window (as ONNX Runtime requires) and at most the input's size, so neither window
  ///   nor output can grow beyond a few times the input;
  /// - all arithmetic is overflow-checked.
  static func resolve(_ call: OpCall, input: [Int], kernel: [Int], ceil: Bool = false,
                      allowDilations: Bool = true, kernelFromWeights: Bool = true) throws -> SpatialGeometry {
    let n = kernel.count
    guard input.count == n else { throw ONNXError.invalid("kernel \(kernel) does not match the \(input.count) spatial dimensions") }
    guard input.allSatisfy({ $0 > 0 }) else { throw ONNXError.invalid("empty spatial input \(input)") }
    func list(_ name: String, _ fill: Int, count: Int) throws -> [Int] {
      guard let v = try call.ints(name) else { return [Int](repeating: fill, count: count) }
      guard v.count == count else { throw ONNXError.invalid("'\(name)' has \(v.count) values, expected \(count)") }
      return v
    }
    let strides = try list("strides", 1, count: n)
    let dilations = allowDilations ? try list("dilations", 1, count: n) : [Int](repeating: 1, count: n)
    guard kernel.allSatisfy({ $0 > 0 }), strides.allSatisfy({ $0 > 0 }), dilations.allSatisfy({ $0 > 0 }) else {
      throw ONNXError.invalid("kernel, strides and dilations must be positive")
    }
    var g = SpatialGeometry(input: input, kernel: kernel, strides: strides, dilations: dilations,
                            padBegin: [], padEnd: [], output: [])
    let extents = try (0..<n).map { i in
      try SizeMath.add(try SizeMath.mul(kernel[i] - 1, dilations[i], "the dilated window (attribute 'dilations')"), 1, "the dilated window")
    }
    let autoPad = try call.string("auto_pad", "NOTSET")
    switch autoPad {
    case "NOTSET", "":
      let pads = try list("pads", 0, count: 2 * n)
      guard pads.allSatisfy({ $0 >= 0 }) else { throw ONNXError.invalid("attribute 'pads' \(pads) has negative values") }
      for (j, p) in pads.enumerated() {
        let i = j % n
        let limit = kernelFromWeights ? Swift.max(input[i], kernel[i] - 1) : Swift.min(input[i], extents[i] - 1)
        guard p <= limit else {
          throw ONNXError.invalid("attribute 'pads' \(pads): pad \(p) of spatial dimension \(i) exceeds \(limit) "
            + (kernelFromWeights ? "(the larger of the input's size \(input[i]) and the kernel's size less one)"
                                 : "(it must be smaller than the window \(extents[i]) and at most the input's size \(input[i]))"))
        }
      }
      g.padBegin = Array(pads[..<n])
      g.padEnd = Array(pads[n...])
      g.output = (0..<n).map { i in
        let span = input[i] + g.padBegin[i] + g.padEnd[i] - extents[i]  // bounded by 3 × input and the window: no overflow
        return span < 0 ? 0 : (ceil ? (span + strides[i] - 1) / strides[i] : span / strides[i]) + 1
      }
    case "VALID":
      g.padBegin = [Int](repeating: 0, count: n)
      g.padEnd = g.padBegin
      g.output = (0..<n).map { i in input[i] < extents[i] ? 0 : (input[i] - extents[i]) / strides[i] + 1 }
    case "SAME_UPPER", "SAME_LOWER":
      g.output = (0..<n).map { input[$0] / strides[$0] + (input[$0] % strides[$0] == 0 ? 0 : 1) }
      for i in 0..<n where extents[i] > input[i] + (kernelFromWeights ? Swift.max(input[i], kernel[i] - 1) : input[i]) {
        throw ONNXError.invalid("the dilated window \(extents[i]) (attributes 'kernel_shape'/'dilations') does not fit the input \(input) with auto_pad \(autoPad)")
      }
      let total = try (0..<n).map { i in
        Swift.max(0, try SizeMath.add(try SizeMath.mul(g.output[i] - 1, strides[i], "the padded size"), extents[i] - input[i], "the padded size"))
      }
      g.padBegin = total.map { autoPad == "SAME_UPPER" ? $0 / 2 : $0 - $0 / 2 }
      g.padEnd = (0..<n).map { total[$0] - g.padBegin[$0] }
    default:
      throw ONNXError.invalid("unknown auto_pad '\(autoPad)'")
    }
    guard g.output.allSatisfy({ $0 > 0 }) else {
      throw ONNXError.invalid("the window \(kernel) (dilated: \(extents)) does not fit the input \(input) with pads \(g.padBegin + g.padEnd)")
    }
    return g
  }
}
