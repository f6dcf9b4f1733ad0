import LyraTensor

/// Softmax and LogSoftmax. From opset 13 they normalise along one axis (default -1);
/// before, the input is viewed as a matrix split at `axis` (default 1) and each row is
/// normalised over all the trailing dimensions together.
enum SoftmaxOps {
  static let table: [String: ONNXKernel] = [
    "Softmax": { try softmax($0, log: false) },
    "LogSoftmax": { try softmax($0, log: true) },
  ]

  static func softmax(_ call: OpCall, log: Bool) throws -> [Tensor] {
    try call.expectAttributes(["axis"])
    let x = try call.float(0)
    let modern = call.opset >= 13
    let axis = try Axes.normalize(try call.int("axis", modern ? -1 : 1), rank: x.rank)
    if x.rank == 0 { throw ONNXError.invalid("input must have at least one dimension") }
    if modern {
      return [log ? x.logSoftmax(axis) : x.softmax(axis)]
    }
    let rows = x.shape[..<axis].reduce(1, *), cols = x.shape[axis...].reduce(1, *)
    let m = x.contiguous().reshape([rows, cols])
    return [(log ? m.logSoftmax(1) : m.softmax(1)).reshape(x.shape)]
  }
}
