import LyraNN
import LyraTensor

/// Layers with parameters or geometry: convolution, linear (float or quantised, see
/// ExportQuantized.swift), batch norm, pooling, shaping; issue 17's layers in
/// ExportConvPool.swift, ExportNorms.swift, ExportShaping.swift, ExportRecurrent.swift and
/// ExportAttention.swift.
extension ExportContext {
  /// The ONNX nodes for a layer, or nil when `m` is not one of these layers.
  func emitLayer(_ m: Module, path: String, _ x: Flow) throws -> Flow? {
    switch m {
    case let conv as Conv2d:
      return Flow(name: try convNode(path: path, x.name, weight: conv.weight, bias: conv.bias, kernel: conv.kernel, stride: conv.stride,
                                     padding: conv.padding, dilation: conv.dilation, groups: conv.groups), sample: try conv(x.sample))
    case let linear as Linear:
      return Flow(name: try linearNode(path: path, x.name, rank: x.sample.rank, weight: linear.weight, bias: linear.bias),
                  sample: try linear(x.sample))
    case let q as QuantConv2d:
      let input = try fakeQuantInput(q, path: path, x)
      return Flow(name: try convNode(path: path, input, weight: q.effectiveWeight(), bias: q.bias, kernel: q.kernel, stride: q.stride,
                                     padding: q.padding, dilation: q.dilation, groups: q.groups), sample: try q(x.sample))
    case let q as QuantLinear:
      let input = try fakeQuantInput(q, path: path, x)
      return Flow(name: try linearNode(path: path, input, rank: x.sample.rank, weight: q.effectiveWeight(), bias: q.bias),
                  sample: try q(x.sample))
    case let bn as BatchNorm:
      let y = try bn(x.sample)
      let scale = try initializer(join(path, "weight"), bn.weight ?? Tensor.ones([bn.features]))
      let shift = try initializer(join(path, "bias"), bn.bias ?? Tensor.zeros([bn.features]))
      let mean = try initializer(join(path, "running_mean"), bn.runningMean)
      let variance = try initializer(join(path, "running_var"), bn.runningVar)
      return Flow(name: try node("BatchNormalization", path: path, inputs: [x.name, scale, shift, mean, variance],
                                 attributes: [("epsilon", .float(bn.eps)), ("momentum", .float(1 - bn.momentum))]), sample: y)
    case let p as MaxPool2d:
      let y = try p(x.sample)
      try checkCeil("MaxPool2d", path, x.sample, y, kernel: p.kernel, stride: p.stride, padding: p.padding, ceil: p.ceilMode)
      return Flow(name: try node("MaxPool", path: path, inputs: [x.name],
                                 attributes: poolAttributes(p.kernel, p.stride, p.padding, p.ceilMode)), sample: y)
    case let p as AvgPool2d:
      let y = try p(x.sample)
      try checkCeil("AvgPool2d", path, x.sample, y, kernel: p.kernel, stride: p.stride, padding: p.padding, ceil: p.ceilMode)
      return Flow(name: try node("AveragePool", path: path, inputs: [x.name],
                                 attributes: poolAttributes(p.kernel, p.stride, p.padding, p.ceilMode)
                                   + [("count_include_pad", .int(p.countIncludePad ? 1 : 0))]), sample: y)
    case let p as AdaptiveAvgPool2d:
      return try emitAdaptive("AdaptiveAvgPool2d", outH: p.outH, outW: p.outW, max: false, path: path, x, try p(x.sample))
    case let f as Flatten:
      return try emitFlatten(f, path: path, x)
    case is Identity, is Dropout, is Dropout2d:
      // Dropout2d is the identity in eval, as Dropout (the export is the inference graph).
      return Flow(name: try node("Identity", path: path, inputs: [x.name]), sample: x.sample)
    case let z as Zero:
      let y = try z(x.sample)
      var from = x.name
      if z.stride > 1 && x.sample.rank == 4 {
        // Keeps every stride-th pixel, as Zero's slicing does; the values are then zeroed.
        from = try node("AveragePool", path: path, inputs: [x.name],
                        attributes: [("kernel_shape", .ints([1, 1])), ("strides", .ints([z.stride, z.stride]))])
      }
      return Flow(name: try node("Mul", path: path, inputs: [from, try scalar(0)]), sample: y)
    default:
      if let y = try emitConvPool(m, path: path, x) { return y }
      if let y = try emitNorm(m, path: path, x) { return y }
      if let y = try emitShaping(m, path: path, x) { return y }
      if let y = try emitRecurrent(m, path: path, x) { return y }
      if let y = try emitAttention(m, path: path, x) { return y }
      return nil
    }
  }

  /// A Conv node reading `input`, with the weight and bias as initialisers named after the module.
  private func convNode(path: String, _ input: String, weight: Tensor, bias: Tensor?, kernel: Window2d, stride: Window2d,
                        padding: Window2d, dilation: Window2d, groups: Int) throws -> String {
    var inputs = [input, try initializer(join(path, "weight"), weight)]
    if let b = bias { inputs.append(try initializer(join(path, "bias"), b)) }
    let attributes: [(String, ONNXAttribute)] = [
      ("kernel_shape", .ints([kernel.h, kernel.w])), ("strides", .ints([stride.h, stride.w])),
      ("pads", .ints([padding.h, padding.w, padding.h, padding.w])), ("dilations", .ints([dilation.h, dilation.w])),
      ("group", .int(groups)),
    ]
    return try node("Conv", path: path, inputs: inputs, attributes: attributes)
  }

  /// Gemm (transB) for the usual [N, in] input; MatMul with the transposed weight plus Add
  /// for higher ranks, since Gemm only takes matrices.
  func linearNode(path: String, _ input: String, rank: Int, weight: Tensor, bias: Tensor?) throws -> String {
    if rank == 2 {
      var inputs = [input, try initializer(join(path, "weight"), weight)]
      if let b = bias { inputs.append(try initializer(join(path, "bias"), b)) }
      return try node("Gemm", path: path, inputs: inputs, attributes: [("transB", .int(1))])
    }
    let wt = try initializer(join(path, "weight_transposed"), weight.t().contiguous())
    var out = try node("MatMul", path: path, inputs: [input, wt])
    if let b = bias { out = try node("Add", path: path, inputs: [out, try initializer(join(path, "bias"), b)]) }
    return out
  }

  private func poolAttributes(_ k: Window2d, _ s: Window2d, _ p: Window2d, _ ceil: Bool) -> [(String, ONNXAttribute)] {
    [("kernel_shape", .ints([k.h, k.w])), ("strides", .ints([s.h, s.w])), ("pads", .ints([p.h, p.w, p.h, p.w])),
     ("ceil_mode", .int(ceil ? 1 : 0))]
  }

  /// ONNX's ceil mode lets the last window start in the right padding; PyTorch's (and
  /// Lyra's) drops such a window. Where the two disagree the export would change the
  /// output size, so it is refused.
  private func checkCeil(_ type: String, _ path: String, _ x: Tensor, _ y: Tensor, kernel: Window2d, stride: Window2d,
                         padding: Window2d, ceil: Bool) throws {
    guard ceil else { return }
    func onnx(_ n: Int, _ k: Int, _ s: Int, _ p: Int) -> Int { (n + 2 * p - k + s - 1) / s + 1 }
    let h = onnx(x.shape[2], kernel.h, stride.h, padding.h), w = onnx(x.shape[3], kernel.w, stride.w, padding.w)
    if h != y.shape[2] || w != y.shape[3] {
      throw ONNXError.unsupported("ONNX export: \(type) at '\(path)' uses ceil_mode where ONNX would give \(h)x\(w) instead of \(y.shape[2])x\(y.shape[3])")
    }
  }

  /// Adaptive pooling (average or max) of `type` to outH×outW: 1×1 is the global pool;
  /// other sizes that divide the input are a plain pool with window = stride; uneven
  /// windows have no ONNX form and are refused naming the module.
  func emitAdaptive(_ type: String, outH: Int, outW: Int, max: Bool, path: String, _ x: Flow, _ y: Tensor) throws -> Flow {
    if outH == 1 && outW == 1 { return Flow(name: try node(max ? "GlobalMaxPool" : "GlobalAveragePool", path: path, inputs: [x.name]), sample: y) }
    let h = x.sample.shape[2], w = x.sample.shape[3]
    guard h % outH == 0, w % outW == 0 else {
      throw ONNXError.unsupported("ONNX export: \(type) at '\(path)' maps \(h)x\(w) to \(outH)x\(outW), which is not a whole-window pooling; ONNX has no pooling with uneven windows (use an output size that divides the input, or 1x1)")
    }
    let k = [h / outH, w / outW]
    return Flow(name: try node(max ? "MaxPool" : "AveragePool", path: path, inputs: [x.name],
                               attributes: [("kernel_shape", .ints(k)), ("strides", .ints(k))]), sample: y)
  }

  /// Flatten(1...last) is ONNX Flatten; other ranges are a Reshape that copies the leading
  /// dimensions (0 keeps the batch symbolic) and spells out the trailing ones.
  private func emitFlatten(_ f: Flatten, path: String, _ x: Flow) throws -> Flow {
    let y = try f(x.sample)
    let r = x.sample.rank
    let s = f.start < 0 ? f.start + r : f.start, e = f.end < 0 ? f.end + r : f.end
    if s == 1 && e == r - 1 {
      return Flow(name: try node("Flatten", path: path, inputs: [x.name], attributes: [("axis", .int(1))]), sample: y)
    }
    let target = [Int](repeating: 0, count: s) + [-1] + Array(x.sample.shape[(e + 1)...])
    let shape = try initializer(join(path, "shape"), ints: target)
    return Flow(name: try node("Reshape", path: path, inputs: [x.name, shape]), sample: y)
  }
}
