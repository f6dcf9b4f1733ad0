import LyraTensor

/// Pad in constant, reflect and edge modes, with negative pads cropping. Pads are an
/// input from opset 11 ([x1_begin, x2_begin, ..., x1_end, ...]), an attribute before.
enum PadOps {
  static let table: [String: ONNXKernel] = ["Pad": pad]

  static func pad(_ call: OpCall) throws -> [Tensor] {
    let modern = call.opset >= 11
    try call.expectAttributes(modern ? ["mode"] : ["mode", "pads", "value", "paddings"])
    let x = try call.input(0)
    guard let pads = modern ? try call.intValues(1) : try call.ints("pads") ?? call.ints("paddings") else {
      throw ONNXError.invalid("missing pads")
    }
    let r = x.rank
    guard pads.count == 2 * r else { throw ONNXError.invalid("pads \(pads) do not have two values per dimension of \(x.shape)") }
    // Pads from an input tensor are int32 and attributes are bounded at load, so the
    // sums below cannot overflow; the padded size is checked before anything is built.
    let limit = AttributeLimits.maxSize
    if let bad = pads.first(where: { Swift.abs($0) > limit }) { throw ONNXError.invalid("pad \(bad) is outside ±\(limit)") }
    let mode = try call.string("mode", "constant")
    guard ["constant", "reflect", "edge"].contains(mode) else { throw ONNXError.unsupported("mode '\(mode)'") }
    // ONNX (and ONNX Runtime) require reflect pads smaller than the (cropped) dimension:
    // one reflection. A huge reflect pad used to spin for minutes folding indices back.
    for d in 0..<r where mode == "reflect" {
      let n = x.shape[d] - Swift.max(0, -pads[d]) - Swift.max(0, -pads[r + d])
      if Swift.max(pads[d], pads[r + d]) >= n && Swift.max(pads[d], pads[r + d]) > 0 {
        throw ONNXError.invalid("reflect pads \(pads) must be smaller than dimension \(d)'s size \(n)")
      }
    }
    let padded = (0..<r).map { Swift.max(0, x.shape[$0] + pads[$0] + pads[r + $0]) }
    try SizeMath.allocation(padded, "the padded output")
    let value = modern ? try call.scalar(2) ?? 0 : try call.float("value", 0)
    if x.dtype == .int32 && !(value.isFinite && Swift.abs(value) < 2e9) { throw ONNXError.invalid("pad value \(value) is not an int32") }
    // Negative pads crop first.
    var t = x
    for d in 0..<r {
      let lo = Swift.max(0, -pads[d]), hi = Swift.max(0, -pads[r + d])
      guard lo + hi <= t.shape[d] else { throw ONNXError.invalid("pads \(pads) crop more than dimension \(d) holds") }
      if lo > 0 || hi > 0 { t = t.narrow(d, lo, t.shape[d] - lo - hi) }
    }
    let before = pads[..<r].map { Swift.max(0, $0) }, after = pads[r...].map { Swift.max(0, $0) }
    if mode == "constant" {
      var lyraOrder: [Int] = []
      for d in (0..<r).reversed() { lyraOrder += [before[d], after[d]] }
      return [lyraOrder.allSatisfy({ $0 == 0 }) ? t.contiguous() : t.pad(lyraOrder, value: value)]
    }
    for d in 0..<r where before[d] > 0 || after[d] > 0 {
      let n = t.shape[d]
      guard n > 0, mode == "edge" || n > 1 else { throw ONNXError.invalid("cannot \(mode)-pad dimension \(d) of size \(n)") }

      let source = (-before[d]..<(n + after[d])).map { i -> Int in
        if mode == "edge" { return Swift.min(Swift.max(i, 0), n - 1) }
        return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i
      }
      t = t.indexSelect(d, Tensor(indices: source, shape: [source.count]))
    }
    return [t.contiguous()]
  }
}
