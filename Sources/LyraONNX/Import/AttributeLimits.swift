/// Load-time range checks of the integer attributes that become sizes (issue 14).
///
/// Why at load: a hostile model's `pads` or `dilations` of 2^62 overflowed the geometry
/// arithmetic and reached the pooling, pad and im2col kernels as wrapped sizes (SIGSEGV,
/// heap corruption). Every size-like attribute is bounded here to 2^31 - 1 (far beyond
/// any real model), so the forward-time checks against the input's shape work with
/// products that cannot overflow; they then bound each value by the input itself.
enum AttributeLimits {
  static let maxSize = Int(Int32.max)

  /// Allowed range per attribute name (for every element of a list).
  static func range(_ attribute: String, opType: String) -> ClosedRange<Int>? {
    switch attribute {
    case "kernel_shape", "strides", "dilations", "group", "hidden_size": return 1...maxSize
    case "pads", "paddings": return opType == "Pad" ? -maxSize...maxSize : 0...maxSize
    case "output_padding", "output_shape", "split": return 0...maxSize
    case "shape": return -1...maxSize
    case "axis", "axes", "perm", "start", "end": return -maxSize...maxSize
    default: return nil
    }
  }

  /// Throws `ONNXError.invalid` naming the node (name and operator) and the attribute.
  static func check(_ node: ONNXNode) throws {
    for (name, value) in node.attributes.sorted(by: { $0.key < $1.key }) {
      guard let r = range(name, opType: node.opType) else { continue }
      let values: [Int]
      switch value {
      case .int(let v): values = [v]
      case .ints(let v): values = v
      default: continue  // a wrong type is the kernel's error ("must be an int")
      }
      if let bad = values.first(where: { !r.contains($0) }) {
        throw ONNXError.invalid("\(node.label): attribute '\(name)' has value \(bad), outside \(r.lowerBound)…\(r.upperBound)"
          + (r.lowerBound >= 1 ? " (it must be positive)" : r.lowerBound == 0 ? " (it must not be negative)" : ""))
      }
    }
  }
}
