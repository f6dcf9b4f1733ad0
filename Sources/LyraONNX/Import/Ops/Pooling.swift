import LyraKernels
import LyraTensor

/// MaxPool, AveragePool and the global pools. The common 2-D case runs on LyraKernels'
/// pooling kernels; everything they do not cover (1-D and 3-D, asymmetric pads, pads
/// larger than half the window, ceil-mode windows that PyTorch's rule would drop, average
/// pooling that must not count pads past the input) runs on `ReferencePool`.
enum PoolingOps {
  static let table: [String: ONNXKernel] = [
    "MaxPool": { try pool($0, max: true) },
    "AveragePool": { try pool($0, max: false) },
    "GlobalAveragePool": { try global($0, max: false) },
    "GlobalMaxPool": { try global($0, max: true) },
  ]

  static func pool(_ call: OpCall, max: Bool) throws -> [Tensor] {
    try call.expectAttributes(max ? ["auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"]
                                  : ["auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"])
    try call.expectOutputs(1)
    let x = try call.float(0)
    guard x.rank >= 3 else { throw ONNXError.invalid("input must be [N, C, spatial...], got \(x.shape)") }
    guard let kernel = try call.ints("kernel_shape") else { throw ONNXError.invalid("missing attribute 'kernel_shape'") }
    let ceil = try call.int("ceil_mode", 0) != 0
    let g = try SpatialGeometry.resolve(call, input: Array(x.shape[2...]), kernel: kernel, ceil: ceil, allowDilations: max,
                                        kernelFromWeights: false)
    try SizeMath.allocation(Array(x.shape[..<2]) + g.output, "the pooled output")
    let countPads = try call.int("count_include_pad", 0) != 0
    if let y = fast(x, g, max: max, ceil: ceil, countPads: countPads) { return [y] }
    return [ReferencePool.run(x, g, max: max, countPads: countPads)]
  }

  /// LyraKernels' 2-D pooling when its PyTorch semantics equal ONNX's for this geometry.
  static func fast(_ x: Tensor, _ g: SpatialGeometry, max: Bool, ceil: Bool, countPads: Bool) -> Tensor? {
    guard g.rank == 2, g.isSymmetric, (0..<2).allSatisfy({ 2 * g.padBegin[$0] <= g.kernel[$0] }) else { return nil }
    // Every window must lie within the padded input (no ceil-mode overhang), so counting
    // and PyTorch's output-size rule agree with ONNX's.
    for i in 0..<2 where (g.output[i] - 1) * g.strides[i] + g.extent(i) > g.input[i] + 2 * g.padBegin[i] { return nil }
    let hasPad = g.padBegin.contains { $0 > 0 }
    if !max && hasPad && !countPads { return nil }
    let kernel = Window2d(g.kernel[0], g.kernel[1]), stride = Window2d(g.strides[0], g.strides[1])
    let padding = Window2d(g.padBegin[0], g.padBegin[1])
    let y = max ? x.maxPool2d(kernel, stride: stride, padding: padding, dilation: Window2d(g.dilations[0], g.dilations[1]), ceilMode: ceil)
                : x.avgPool2d(kernel, stride: stride, padding: padding, ceilMode: ceil, countIncludePad: countPads)
    return Array(y.shape[2...]) == g.output ? y : nil
  }

  static func global(_ call: OpCall, max: Bool) throws -> [Tensor] {
    try call.expectAttributes([])
    let x = try call.float(0)
    guard x.rank >= 3, x.shape[2...].allSatisfy({ $0 > 0 }) else { throw ONNXError.invalid("input must be [N, C, spatial...], got \(x.shape)") }
    if !max && x.rank == 4 { return [x.adaptiveAvgPool2d(1, 1)] }
    let spatial = Array(x.shape[2...])
    let g = SpatialGeometry(input: spatial, kernel: spatial, strides: spatial.map { _ in 1 }, dilations: spatial.map { _ in 1 },
                            padBegin: spatial.map { _ in 0 }, padEnd: spatial.map { _ in 0 }, output: spatial.map { _ in 1 })
    return [ReferencePool.run(x, g, max: max, countPads: false)]
  }
}

/// Pooling over any number of spatial dimensions with ONNX's reference semantics: a
/// window element counts when it lies in the input; with `countPads`, an average also
/// counts the explicit pad positions (but never ceil-mode overhang past them).
enum ReferencePool {
  static func run(_ x: Tensor, _ g: SpatialGeometry, max: Bool, countPads: Bool) -> Tensor {
    let n = g.rank
    let planes = x.shape[0] * x.shape[1]
    let inCount = g.input.reduce(1, *), outCount = g.output.reduce(1, *)
    let xc = x.contiguous()
    let y = Tensor.empty(Array(x.shape[..<2]) + g.output)
    let src = xc.data, dst = y.data
    let inStrides = Shape.contiguousStrides(g.input)
    let windowCount = g.kernel.reduce(1, *)
    var outIndex = [Int](repeating: 0, count: n), k = [Int](repeating: 0, count: n)
    for o in 0..<outCount {
      var r = o
      for d in stride(from: n - 1, through: 0, by: -1) {
        outIndex[d] = r % g.output[d]
        r /= g.output[d]
      }
      // Offsets of the window elements inside the input (-1: outside), and the divisor.
      var offsets: [Int] = []
      offsets.reserveCapacity(windowCount)
      var padded = 0
      for w in 0..<windowCount {
        var rw = w
        for d in stride(from: n - 1, through: 0, by: -1) {
          k[d] = rw % g.kernel[d]
          rw /= g.kernel[d]
        }
        var off = 0, inside = true, inPadded = true
        for d in 0..<n {
          let p = outIndex[d] * g.strides[d] - g.padBegin[d] + k[d] * g.dilations[d]
          if p < 0 || p >= g.input[d] { inside = false }
          if p < -g.padBegin[d] || p >= g.input[d] + g.padEnd[d] { inPadded = false }
          off += p * inStrides[d]
        }
        if inside { offsets.append(off) } else if inPadded { padded += 1 }
      }
      let divisor = Float(offsets.count + (countPads ? padded : 0))
      for plane in 0..<planes {
        let base = src + plane * inCount
        var acc: Float = max ? -.infinity : 0
        for off in offsets { acc = max ? Swift.max(acc, base[off]) : acc + base[off] }
        dst[plane * outCount + o] = max ? acc : (divisor > 0 ? acc / divisor : 0)
      }
    }
    return y
  }
}
