import LyraTensor

/// Constant (a value held by an attribute) and ConstantOfShape.
enum ConstantOps {
  static let table: [String: ONNXKernel] = ["Constant": constant, "ConstantOfShape": constantOfShape]

  static func constant(_ call: OpCall) throws -> [Tensor] {
    guard call.node.attributes.count == 1, let (name, value) = call.node.attributes.first else {
      throw ONNXError.invalid("needs exactly one value attribute")
    }
    switch (name, value) {
    case ("value", .tensor(let t)): return [t.tensor()]
    case ("value_float", .float(let v)): return [Tensor(v)]
    case ("value_floats", .floats(let v)): return [Tensor(v, shape: [v.count])]
    case ("value_int", .int(let v)): return [Tensor(indices: [clamp(v)], shape: [])]
    case ("value_ints", .ints(let v)): return [Tensor(indices: v.map(clamp), shape: [v.count])]
    default: throw ONNXError.unsupported("attribute '\(name)' (of this type)")
    }
  }

  /// A tensor of the given shape filled with `value` (a one-element tensor; float 0 by default).
  static func constantOfShape(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["value"])
    guard let shape = try call.intValues(0), shape.allSatisfy({ $0 >= 0 }) else { throw ONNXError.invalid("invalid shape input") }
    try SizeMath.allocation(shape, "the output")
    switch call.node.attributes["value"] {
    case nil: return [Tensor.zeros(shape)]
    case .tensor(let t)?:
      guard t.count == 1 else { throw ONNXError.invalid("'value' must hold one element") }
      switch t.values {
      case .floats(let v): return [Tensor.full(shape, v[0])]
      case .ints(let v): return [Tensor(indices: [Int](repeating: clamp(Int(v[0])), count: shape.reduce(1, *)), shape: shape)]
      }
    default: throw ONNXError.invalid("'value' must be a tensor")
    }
  }

  static func clamp(_ v: Int) -> Int { Swift.max(Swift.min(v, Int(Int32.max)), Int(Int32.min)) }
}
