import LyraTensor

/// ReduceSum, ReduceMean, ReduceMax and ReduceMin over float tensors. ReduceSum takes its
/// axes as an input from opset 13, the others as an attribute (until opset 18).
enum ReduceOps {
  static let table: [String: ONNXKernel] = [
    "ReduceSum": { try reduce($0, axesInput: $0.opset >= 13) { x, d in x.sum(d, keepdim: true) } },
    "ReduceMean": { try reduce($0, axesInput: $0.opset >= 18) { x, d in x.mean(d, keepdim: true) } },
    "ReduceMax": { try reduce($0, axesInput: $0.opset >= 18) { x, d in x.max(d, keepdim: true).values } },
    "ReduceMin": { try reduce($0, axesInput: $0.opset >= 18) { x, d in x.min(d, keepdim: true).values } },
  ]

  static func reduce(_ call: OpCall, axesInput: Bool, _ f: (Tensor, Int) -> Tensor) throws -> [Tensor] {
    try call.expectAttributes(axesInput ? ["keepdims", "noop_with_empty_axes"] : ["keepdims", "axes"])
    let x = try call.float(0)
    let keep = try call.int("keepdims", 1) != 0
    let given = axesInput ? try call.intValues(1) : try call.ints("axes")
    let noop = try call.int("noop_with_empty_axes", 0) != 0
    if (given ?? []).isEmpty && noop { return [x] }
    let axes = try Set((given?.isEmpty == false ? given! : Array(0..<x.rank)).map { try Axes.normalize($0, rank: x.rank) })
    guard axes.allSatisfy({ x.shape[$0] > 0 }) else { throw ONNXError.unsupported("reducing an empty dimension") }
    var y = x
    for d in axes.sorted() { y = f(y, d) }
    if !keep { y = y.reshape(x.shape.indices.filter { !axes.contains($0) }.map { x.shape[$0] }) }
    return [y.contiguous()]
  }
}
