import LyraNN
import LyraTensor

/// The recursive walk over a module tree: containers here, layers in ExportLayers.swift,
/// activations in ExportActivations.swift. An unknown module type is an error naming
/// it and its place in the tree, never a silently wrong graph.
extension ExportContext {
  func emit(_ m: Module, path: String, _ x: Flow) throws -> Flow {
    switch m {
    case let s as Sequential:
      var y = x
      for c in s.children { y = try emit(c.module, path: join(path, c.name), y) }
      return y
    case let a as Add:
      return try emitAdd(a, path: path, x)
    case let c as Concat:
      return try emitConcat(c, path: path, x)
    default:
      if let y = try emitLayer(m, path: path, x) { return y }
      if let y = try emitActivation(m, path: path, x) { return y }
      if let y = try emitGraph(m, path: path, x) { return y }
      if let y = try emitInferred(m, path: path, x) { return y }
      throw ONNXError.unsupported("ONNX export: module \(m.typeName) at '\(path.isEmpty ? "(root)" : path)' has no ONNX form in Lyra's exporter (not a known layer, and its forward is not a chain or residual of its children)")
    }
  }

  func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : path + "." + name }

  /// Every branch on the same input, summed left to right (as `Add.forward`).
  private func emitAdd(_ a: Add, path: String, _ x: Flow) throws -> Flow {
    var acc: Flow?
    for c in a.children {
      let b = try emit(c.module, path: join(path, c.name), x)
      guard let prev = acc else {
        acc = b
        continue
      }
      guard prev.sample.shape == b.sample.shape else {
        throw ONNXError.invalid("ONNX export: Add at '\(path)': branch \(c.name) gives \(b.sample.shape), branch 0 gives \(prev.sample.shape)")
      }
      acc = Flow(name: try node("Add", path: path, inputs: [prev.name, b.name]), sample: prev.sample + b.sample)
    }
    return acc!
  }

  /// Every branch on the same input, joined along `dim` (made non-negative for ONNX).
  private func emitConcat(_ c: Concat, path: String, _ x: Flow) throws -> Flow {
    let branches = try c.children.map { try emit($0.module, path: join(path, $0.name), x) }
    let y = try c(x.sample)
    let axis = c.dim < 0 ? c.dim + y.rank : c.dim
    if branches.count == 1 { return Flow(name: try node("Identity", path: path, inputs: [branches[0].name]), sample: y) }
    return Flow(name: try node("Concat", path: path, inputs: branches.map(\.name), attributes: [("axis", .int(axis))]), sample: y)
  }
}
