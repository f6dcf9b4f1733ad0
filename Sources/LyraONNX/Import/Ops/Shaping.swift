import LyraBase
import LyraTensor

/// Operators that only move or relabel elements: views over LyraTensor storage (copied
/// to contiguous where the next kernel needs it). They work on float and integer tensors.
enum ShapeOps {
  static let table: [String: ONNXKernel] = [
    "Identity": { call in
      try call.expectAttributes([])
      return [try call.input(0)]
    },
    "Flatten": flatten, "Reshape": reshape, "Transpose": transpose, "Squeeze": squeeze, "Unsqueeze": unsqueeze, "Shape": shape,
    "DepthToSpace": DepthToSpaceOp.kernel,
  ]

  /// [d0...d(axis-1)] and [d(axis)...] each merged into one dimension: always a matrix.
  static func flatten(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["axis"])
    let x = try call.input(0)
    var axis = try call.int("axis", 1)
    if axis < 0 { axis += x.rank }
    guard axis >= 0 && axis <= x.rank else { throw ONNXError.invalid("axis \(try call.int("axis", 1)) is out of range for rank \(x.rank)") }
    return [x.contiguous().reshape([x.shape[..<axis].reduce(1, *), x.shape[axis...].reduce(1, *)])]
  }

  /// The target shape is an input from opset 5: 0 copies the input's size (unless
  /// allowzero), -1 is inferred.
  static func reshape(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(call.opset < 5 ? ["shape", "consumed_inputs"] : ["allowzero"])
    let x = try call.input(0)
    guard let requested = call.opset < 5 ? try call.ints("shape") : try call.intValues(1) else {
      throw ONNXError.invalid("missing the target shape")
    }
    let allowZero = try call.int("allowzero", 0) != 0
    var shape = requested
    for (i, s) in requested.enumerated() where s == 0 && !allowZero {
      guard i < x.rank else { throw ONNXError.invalid("shape \(requested) copies dimension \(i), which the input \(x.shape) lacks") }
      shape[i] = x.shape[i]
    }
    let unknown = shape.indices.filter { shape[$0] == -1 }
    guard unknown.count <= 1, shape.allSatisfy({ $0 >= -1 }) else { throw ONNXError.invalid("invalid target shape \(requested)") }
    guard (try? CheckedSize.count(shape.map { Swift.max($0, 0) })) != nil else {
      throw ONNXError.invalid("cannot reshape \(x.shape) to \(requested): too many elements")
    }
    if let u = unknown.first {
      let known = shape.enumerated().filter { $0.offset != u }.reduce(1) { $0 * $1.element }
      guard known > 0, x.count % known == 0 else { throw ONNXError.invalid("cannot reshape \(x.shape) to \(requested)") }
      shape[u] = x.count / known
    }
    guard shape.reduce(1, *) == x.count else { throw ONNXError.invalid("cannot reshape \(x.shape) (\(x.count) elements) to \(requested)") }
    return [x.contiguous().reshape(shape)]
  }

  static func transpose(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["perm"])
    let x = try call.input(0)
    let perm = try call.ints("perm") ?? Array((0..<x.rank).reversed())
    guard perm.count == x.rank, Set(perm) == Set(0..<x.rank) else {
      throw ONNXError.invalid("perm \(perm) is not a permutation of \(x.rank) dimensions")
    }
    return [x.permute(perm).contiguous()]
  }

  /// Axes are an input from opset 13, an attribute before.
  static func axes(_ call: OpCall) throws -> [Int]? {
    try call.expectAttributes(call.opset >= 13 ? [] : ["axes"])
    return call.opset >= 13 ? try call.intValues(1) : try call.ints("axes")
  }

  static func squeeze(_ call: OpCall) throws -> [Tensor] {
    let x = try call.input(0)
    let given = try axes(call)
    let drop = try Set((given ?? x.shape.indices.filter { x.shape[$0] == 1 }).map { try Axes.normalize($0, rank: x.rank) })
    for a in drop where x.shape[a] != 1 { throw ONNXError.invalid("cannot squeeze dimension \(a) of size \(x.shape[a])") }
    let shape = x.shape.indices.filter { !drop.contains($0) }.map { x.shape[$0] }
    return [x.contiguous().reshape(shape)]
  }

  static func unsqueeze(_ call: OpCall) throws -> [Tensor] {
    let x = try call.input(0)
    guard let given = try axes(call) else { throw ONNXError.invalid("missing axes") }
    let rank = x.rank + given.count
    let inserted = try Set(given.map { try Axes.normalize($0, rank: rank) })
    guard inserted.count == given.count else { throw ONNXError.invalid("repeated axes \(given)") }
    var rest = x.shape.makeIterator()
    let shape = (0..<rank).map { inserted.contains($0) ? 1 : rest.next()! }
    return [x.contiguous().reshape(shape)]
  }

  /// The input's shape as int64 values (with opset 15's start/end slice).
  static func shape(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["start", "end"])
    let x = try call.input(0)
    func clampAxis(_ a: Int) -> Int { Swift.min(Swift.max(a < 0 ? a + x.rank : a, 0), x.rank) }
    let s = clampAxis(try call.int("start", 0)), e = clampAxis(try call.int("end", x.rank))
    let dims = s < e ? Array(x.shape[s..<e]) : []
    return [Tensor(indices: dims, shape: [dims.count])]
  }
}
