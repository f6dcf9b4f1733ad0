import Foundation
import LyraTensor

/// An imported ONNX model, compiled to a list of Lyra kernels and run on Lyra tensors.
///
/// Loading checks everything that can be checked without data: operator support (an
/// unsupported operator is an error naming it and its node), the opset, element types
/// of inputs and outputs, and that every node's inputs exist before it runs. Values are
/// float32 tensors, or int32 tensors for ONNX's integer types (shapes, indices).
///
/// ```swift
/// let model = try ONNXModel(path: "model.onnx")
/// let y = try model(x)                       // one input, one output
/// let outs = try model.run(["input": x])     // by name
/// ```
public final class ONNXModel {
  public let graph: ONNXGraph
  /// The default-domain opset the operators follow.
  public let opset: Int
  private let constants: [String: Tensor]
  private let steps: [Step]

  private struct Step {
    let node: ONNXNode
    let kernel: ONNXKernel
    /// Values no later step (nor the graph output) reads: freed after this step.
    var release: [String]
  }

  /// Operators run per inference (after batch norms are folded into convolutions).
  public var operatorCount: Int { steps.count }

  /// The inputs a caller feeds (graph inputs that are not initialisers).
  public var inputs: [ONNXValueInfo] { graph.feedInputs }
  public var outputs: [ONNXValueInfo] { graph.outputs }

  /// Operator types the importer runs.
  public static var supportedOperators: [String] { Operators.table.keys.sorted() }

  /// The operators in `graph` that Lyra cannot run (non-default domains count as unsupported).
  public static func unsupportedOperators(in graph: ONNXGraph) -> [String] {
    Array(Set(graph.nodes.filter { !isDefaultDomain($0.domain) || Operators.table[$0.opType] == nil }
      .map { isDefaultDomain($0.domain) ? $0.opType : "\($0.domain).\($0.opType)" })).sorted()
  }

  public convenience init(path: String) throws {
    do { try self.init(proto: try ONNXProtoModel(path: path)) } catch let e as ONNXError {
      throw e.message.hasPrefix(path) ? e : ONNXError(e.kind, "\(path): \(e.message)")
    }
  }

  public convenience init(data: Data) throws { try self.init(proto: try ONNXProtoModel(data: data)) }

  public convenience init(proto: ONNXProtoModel) throws { try self.init(graph: try proto.graph()) }

  /// `foldBatchNorms` folds BatchNormalization into the Conv before it (see `FoldBatchNorm`).
  public init(graph: ONNXGraph, foldBatchNorms: Bool = true) throws {
    self.graph = graph
    let program = foldBatchNorms ? FoldBatchNorm.apply(graph) : graph
    guard let opset = graph.opset else { throw ONNXError.invalid("the model imports no default (ai.onnx) operator set") }
    self.opset = opset
    for v in graph.feedInputs + graph.outputs where !v.dataType.isSupportedByRuntime {
      throw ONNXError.unsupported("graph value '\(v.name)' has element type \(v.dataType); Lyra runs float32, int32 and int64 values")
    }
    var constants: [String: Tensor] = [:]
    let initializers = Dictionary(program.initializers.map { ($0.name, $0) }) { a, _ in a }
    let read = Set(program.nodes.flatMap(\.inputs)).union(program.outputs.map(\.name))
    for t in program.initializers where read.contains(t.name) { constants[t.name] = t.tensor() }
    self.constants = constants

    var known = Set(constants.keys).union(graph.feedInputs.map(\.name))
    var steps: [Step] = []
    for node in program.nodes {
      guard ONNXModel.isDefaultDomain(node.domain) else {
        throw ONNXError.unsupported("\(node.label): operator domain '\(node.domain)' is not supported")
      }
      guard let kernel = Operators.table[node.opType] else {
        throw ONNXError.unsupported("\(node.label): operator '\(node.opType)' is not supported by Lyra's ONNX importer")
      }
      try AttributeLimits.check(node)
      try WeightShapeChecks.check(node, initializers: initializers)
      for name in node.inputs where !name.isEmpty && !known.contains(name) {
        throw ONNXError.invalid("\(node.label): input '\(name)' is not produced by any earlier node, input or initialiser")
      }
      known.formUnion(node.outputs.filter { !$0.isEmpty })
      steps.append(Step(node: node, kernel: kernel, release: []))
    }
    for o in graph.outputs where !known.contains(o.name) {
      throw ONNXError.invalid("graph output '\(o.name)' is not produced by any node")
    }
    // Free intermediate values after their last reader, so deep models stay small.
    let keep = Set(graph.outputs.map(\.name)).union(constants.keys)
    var lastUse: [String: Int] = [:]
    for (i, s) in steps.enumerated() { for name in s.node.inputs + s.node.outputs where !name.isEmpty { lastUse[name] = i } }
    for (name, i) in lastUse where !keep.contains(name) { steps[i].release.append(name) }
    self.steps = steps
  }

  static func isDefaultDomain(_ d: String) -> Bool { d.isEmpty || d == "ai.onnx" }

  /// Runs the graph on named inputs and returns every graph output by name.
  public func run(_ feeds: [String: Tensor]) throws -> [String: Tensor] {
    var env = constants
    for v in inputs {
      guard let t = feeds[v.name] else { throw ONNXError.invalid("missing input '\(v.name)'") }
      try check(t, against: v)
      env[v.name] = t
    }
    for name in feeds.keys where !inputs.contains(where: { $0.name == name }) {
      throw ONNXError.invalid("unknown input '\(name)' (the model takes \(inputs.map(\.name)))")
    }
    try Tensor.noGrad {
      for step in steps {
        let call = OpCall(node: step.node, opset: opset, inputs: step.node.inputs.map { $0.isEmpty ? nil : env[$0] })
        let outs: [Tensor]
        do { outs = try step.kernel(call) } catch let e as ONNXError { throw ONNXError(e.kind, "\(step.node.label): \(e.message)") }
        for (k, name) in step.node.outputs.enumerated() where !name.isEmpty && k < outs.count { env[name] = outs[k] }
        for name in step.release { env[name] = nil }
      }
    }
    var result: [String: Tensor] = [:]
    for o in outputs { result[o.name] = env[o.name] }
    return result
  }

  /// Runs a model with one input and one output.
  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    guard inputs.count == 1, outputs.count == 1 else {
      throw ONNXError.invalid("the model has \(inputs.count) inputs and \(outputs.count) outputs; use run([name: tensor])")
    }
    return try run([inputs[0].name: x])[outputs[0].name]!
  }

  /// A fed tensor must have the declared element kind, rank and fixed sizes.
  private func check(_ t: Tensor, against v: ONNXValueInfo) throws {
    let wantsFloat = v.dataType == .float
    if wantsFloat != (t.dtype == .float32) {
      throw ONNXError.invalid("input '\(v.name)' must be \(v.dataType), got a \(t.dtype) tensor")
    }
    guard let shape = v.shape else { return }
    let fits = shape.count == t.rank && zip(shape, t.shape).allSatisfy { $0.0 == nil || $0.0 == $0.1 }
    if !fits {
      let want = "[" + shape.enumerated().map { $0.element.map(String.init) ?? (v.dimParams[$0.offset].isEmpty ? "?" : v.dimParams[$0.offset]) }
        .joined(separator: ", ") + "]"
      throw ONNXError.invalid("input '\(v.name)' must have shape \(want), got \(t.shape)")
    }
  }
}
