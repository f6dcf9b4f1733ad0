import LyraTensor

/// Concat, Split and Gather on float or integer tensors.
enum JoinOps {
  static let table: [String: ONNXKernel] = ["Concat": concat, "Split": split, "Gather": gather]

  static func concat(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["axis"])
    let xs = try call.inputs.indices.map { try call.input($0) }
    guard let first = xs.first else { throw ONNXError.invalid("no inputs") }
    guard first.rank >= 1 else { throw ONNXError.invalid("cannot concatenate scalars") }
    guard let axisValue = try call.optionalInt("axis") else { throw ONNXError.invalid("missing attribute 'axis'") }
    let axis = try Axes.normalize(axisValue, rank: first.rank)
    for x in xs {
      guard x.rank == first.rank, x.dtype == first.dtype,
            x.shape.indices.allSatisfy({ $0 == axis || x.shape[$0] == first.shape[$0] }) else {
        throw ONNXError.invalid("cannot join \(x.shape) with \(first.shape) on axis \(axisValue)")
      }
    }
    return [Tensor.cat(xs, dim: axis)]
  }

  /// Sizes are an input from opset 13 (an attribute before); without them the axis is
  /// split into as many equal parts as the node has outputs.
  static func split(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(call.opset >= 13 ? ["axis"] : ["axis", "split"])
    let x = try call.input(0)
    guard x.rank >= 1 else { throw ONNXError.invalid("cannot split a scalar") }
    let axis = try Axes.normalize(try call.int("axis", 0), rank: x.rank)
    let parts = call.node.outputs.count
    let n = x.shape[axis]
    let sizes: [Int]
    if let given = call.opset >= 13 ? try call.intValues(1) : try call.ints("split") {
      guard given.count == parts, given.allSatisfy({ $0 >= 0 && $0 <= n }), given.reduce(0, &+) == n else {
        throw ONNXError.invalid("split sizes \(given) do not divide \(n) into \(parts) outputs")
      }
      sizes = given
    } else {
      guard parts > 0, n % parts == 0 else { throw ONNXError.invalid("cannot split \(n) into \(parts) equal parts") }
      sizes = [Int](repeating: n / parts, count: parts)
    }
    return x.split(sizes: sizes, dim: axis).map { $0.contiguous() }
  }

  /// Entries of `data` along `axis` at `indices` (negative ones count from the end):
  /// out shape = data[..<axis] + indices + data[axis+1...].
  static func gather(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["axis"])
    let data = try call.input(0), indices = try call.input(1)
    guard indices.dtype == .int32 else { throw ONNXError.invalid("indices must be integers") }
    guard data.rank >= 1 else { throw ONNXError.invalid("data must have at least one dimension") }
    let axis = try Axes.normalize(try call.int("axis", 0), rank: data.rank)
    let n = data.shape[axis]
    try SizeMath.allocation(Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...]), "the gathered output")
    let flat = try indices.toIntArray().map { i -> Int in
      let j = i < 0 ? i + n : i
      guard j >= 0 && j < n else { throw ONNXError.invalid("index \(i) is out of range for size \(n)") }
      return j
    }
    let picked = data.indexSelect(axis, Tensor(indices: flat, shape: [flat.count]))
    return [picked.reshape(Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...]))]
  }
}
