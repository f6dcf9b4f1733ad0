import LyraTensor

/// One operator application as a kernel sees it: the node (attributes), the model's
/// opset (which picks between an operator's attribute and input forms), and the input
/// tensors (nil where an optional input is omitted).
///
/// Accessors throw `ONNXError` rather than trap; the interpreter prefixes the node's name.
struct OpCall {
  let node: ONNXNode
  let opset: Int
  let inputs: [Tensor?]

  /// A required input.
  func input(_ k: Int) throws -> Tensor {
    guard k < inputs.count, let t = inputs[k] else { throw ONNXError.invalid("missing required input \(k)") }
    return t
  }

  /// An optional input (absent, or named "").
  func optionalInput(_ k: Int) -> Tensor? { k < inputs.count ? inputs[k] : nil }

  /// A required float32 input.
  func float(_ k: Int) throws -> Tensor {
    let t = try input(k)
    guard t.dtype == .float32 else { throw ONNXError.unsupported("input \(k) is an integer tensor; this operator takes floats in Lyra") }
    return t
  }

  /// The values of an integer input (a shape, axes, pads, sizes).
  func intValues(_ k: Int) throws -> [Int]? {
    guard let t = optionalInput(k) else { return nil }
    guard t.dtype == .int32 else { throw ONNXError.invalid("input \(k) must be an integer tensor") }
    return t.toIntArray()
  }

  /// A scalar float input (Clip's bounds, Pad's constant); nil when omitted.
  func scalar(_ k: Int) throws -> Float? {
    guard let t = optionalInput(k) else { return nil }
    guard t.count == 1 else { throw ONNXError.invalid("input \(k) must be a scalar, got shape \(t.shape)") }
    return t.dtype == .float32 ? t.contiguous().item() : Float(t.toIntArray()[0])
  }

  // MARK: - Attributes

  func has(_ name: String) -> Bool { node.attributes[name] != nil }

  func int(_ name: String, _ defaultValue: Int) throws -> Int { try optionalInt(name) ?? defaultValue }

  func optionalInt(_ name: String) throws -> Int? {
    switch node.attributes[name] {
    case nil: return nil
    case .int(let v)?: return v
    default: throw ONNXError.invalid("attribute '\(name)' must be an int")
    }
  }

  func float(_ name: String, _ defaultValue: Float) throws -> Float {
    switch node.attributes[name] {
    case nil: return defaultValue
    case .float(let v)?: return v
    case .int(let v)?: return Float(v)
    default: throw ONNXError.invalid("attribute '\(name)' must be a float")
    }
  }

  func ints(_ name: String) throws -> [Int]? {
    switch node.attributes[name] {
    case nil: return nil
    case .ints(let v)?: return v
    case .int(let v)?: return [v]
    default: throw ONNXError.invalid("attribute '\(name)' must be a list of ints")
    }
  }

  /// A list of strings (a single string counts as a list of one); nil when absent.
  func strings(_ name: String) throws -> [String]? {
    guard let a = node.attributes[name] else { return nil }
    if case .strings(let v) = a { return v }
    if case .string(let v) = a { return [v] }
    throw ONNXError.invalid("attribute '\(name)' must be a list of strings")
  }

  func string(_ name: String, _ defaultValue: String) throws -> String {
    switch node.attributes[name] {
    case nil: return defaultValue
    case .string(let s)?: return s
    default: throw ONNXError.invalid("attribute '\(name)' must be a string")
    }
  }

  /// Fails on attributes the kernel does not implement, so none is silently ignored.
  func expectAttributes(_ known: Set<String>) throws {
    for name in node.attributes.keys.sorted() where !known.contains(name) {
      throw ONNXError.unsupported("attribute '\(name)' is not supported")
    }
  }

  /// Fails when the node asks for outputs beyond the first `count` (training statistics,
  /// pooling indices, dropout masks) that the kernel does not produce.
  func expectOutputs(_ count: Int) throws {
    for (k, name) in node.outputs.enumerated() where k >= count && !name.isEmpty {
      throw ONNXError.unsupported("output \(k) ('\(name)') is not supported")
    }
  }
}

/// An operator implementation: inputs → outputs in the node's order.
typealias ONNXKernel = (OpCall) throws -> [Tensor]

/// Axis helpers shared by the kernels.
enum Axes {
  /// A possibly negative axis made absolute for `rank`, or an error.
  static func normalize(_ axis: Int, rank: Int, _ what: String = "axis") throws -> Int {
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0 && a < Swift.max(rank, 1) else { throw ONNXError.invalid("\(what) \(axis) is out of range for rank \(rank)") }
    return a
  }
}
