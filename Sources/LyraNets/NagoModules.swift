import LyraNN
import LyraTensor

/// VEGA's `BoundedScalarMultiply`: x · sigmoid(w), w a learnt scalar starting at 1 (the
/// weight of one summed input whose width already matches).
final class BoundedScalar: Module {
  override init() {
    super.init()
    register(parameter: "mean", Tensor([1], shape: [1]))
  }
  override func forward(_ x: Tensor) throws -> Tensor { x.mul(ownParameters[0].tensor.sigmoid()) }
}

/// One node of a NAGO graph at any level: its inputs summed (each through a 1×1 conv when
/// its width differs from the node's, else through a `BoundedScalar`; a single input as
/// it is), then its `body` — a ReLU-conv3×3-BN operation at the bottom level, a whole
/// lower-level graph above it (whose output is the mean of its output nodes).
final class NagoNode: Module {
  let mergers: [Module]
  let body: Module?
  let graph: NagoGraph?
  let parts: [NagoNode]
  /// Resize the inputs to this side first (a cell's `image_size`), nil: as they come.
  let side: Int?

  /// `incoming`: the widths of the inputs (channels), `width` the node's input width.
  init(incoming: [Int], width: Int, side: Int? = nil, body: Module? = nil, graph: NagoGraph? = nil, parts: [NagoNode] = []) {
    mergers = incoming.count > 1 ? incoming.map { $0 == width ? BoundedScalar() : Conv2d($0, width, 1) } : []
    self.body = body
    self.graph = graph
    self.parts = parts
    self.side = side
    super.init()
    for (i, m) in mergers.enumerated() { register(child: "merge\(i)", m) }
    if let body { register(child: "op", body) }
    for (i, p) in parts.enumerated() { register(child: "node\(i)", p) }
  }

  func run(_ inputs: [Tensor]) throws -> Tensor {
    var xs = inputs
    if let side { xs = try xs.map { $0.shape[2] != side ? try AdaptiveAvgPool2d(side)($0) : $0 } }
    var x = xs[0]
    if !mergers.isEmpty {
      x = try mergers[0](xs[0])
      for i in 1..<xs.count { x = x + (try mergers[i](xs[i])) }
    }
    if let body { return try body(x) }
    guard let graph else { return x }
    return try NagoNode.process(graph, parts, x)
  }

  override func forward(_ x: Tensor) throws -> Tensor { try run([x]) }

  /// Every node of `graph` in order (input nodes on `x`), then the mean of the output nodes.
  static func process(_ graph: NagoGraph, _ nodes: [NagoNode], _ x: Tensor) throws -> Tensor {
    var results: [Tensor?] = Array(repeating: nil, count: nodes.count)
    for i in 0..<nodes.count {
      let ins = graph.inputs[i]
      results[i] = try ins.isEmpty ? nodes[i].run([x]) : nodes[i].run(ins.map { results[$0]! })
    }
    if nodes.count == 1 { return results[0]! }
    var out = results[graph.outputNodes[0]]!
    for o in graph.outputNodes.dropFirst() { out = out + results[o]! }
    return graph.outputNodes.count > 1 ? out.mul(1 / Float(graph.outputNodes.count)) : out
  }
}

/// The top-level graph of NAGO (VEGA's `MasterNetwork._process_graph`): every cell in
/// order, the output cells' results pooled to the smallest size among them, each through
/// a 1×1 conv when narrower or wider than the last output cell (else as is), averaged.
final class NagoTop: Module {
  let graph: NagoGraph
  let cells: [NagoNode]
  let outMergers: [Module?]

  init(graph: NagoGraph, cells: [NagoNode], outWidths: [Int], finalWidth: Int) {
    self.graph = graph
    self.cells = cells
    outMergers = outWidths.count > 1 ? outWidths.map { $0 == finalWidth ? nil : Conv2d($0, finalWidth, 1) } : [nil]
    super.init()
    for (i, c) in cells.enumerated() { register(child: "cell\(i)", c) }
    for (i, m) in outMergers.enumerated() { if let m { register(child: "out_merge\(i)", m) } }
  }

  override func forward(_ x: Tensor) throws -> Tensor {
    var results: [Tensor?] = Array(repeating: nil, count: cells.count)
    for i in 0..<cells.count {
      let ins = graph.inputs[i]
      results[i] = try ins.isEmpty ? cells[i].run([x]) : cells[i].run(ins.map { results[$0]! })
    }
    let outputs = graph.outputNodes.map { results[$0]! }
    let side = outputs.map { $0.shape[3] }.min()!
    var sum: Tensor?
    for (o, m) in zip(outputs, outMergers) {
      var y = o.shape[2] != side ? try AdaptiveAvgPool2d(side)(o) : o
      if let m { y = try m(y) }
      sum = sum.map { $0 + y } ?? y
    }
    return sum!.mul(1 / Float(outputs.count))
  }
}
