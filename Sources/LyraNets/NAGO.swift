import Foundation
import LyraBase
import LyraNN
import LyraTensor

/// VEGA's `NAGO` (Ru et al. 2020, "Neural Architecture Generator Optimization";
/// vega/networks/pytorch/customs/nago.py): a network drawn from a hierarchical graph
/// generator. Three random graphs — top `WS(G1_nodes, G1_P, G1_K)` (Watts–Strogatz), middle
/// `ER(G2_nodes, G2_P)` (Erdős–Rényi), bottom `WS(G3_nodes, G3_P, G3_K)` — are drawn as
/// networkx draws them (`NagoGraph`, Python's generator, so VEGA's graphs exactly). Each top
/// node is a cell; each cell is a copy of the middle graph whose nodes are copies of the
/// bottom graph, whose nodes are ReLU-conv3×3-BN operations (VEGA fixes the operation
/// distribution to conv3×3 and every merge to a sum). Edges run from lower to higher
/// node numbers; several inputs are summed (a 1×1 conv adapts a different width, a
/// learnt sigmoid-bounded scalar weighs a matching one); a graph's output is the mean of
/// its output nodes.
///
/// Widths: top node i of stage s (`stage<k>_ratio` split the nodes; three nodes are one
/// stage each) has ch<s+1>_ratio × m channels, m = ⌊√(n_param_limit / base)⌋ with base the
/// conv3×3 weight count at ratio widths. Resolution: a cell of stage s works at
/// image_size·c/2^(s+1) (c = 2 below 40 pixels, else 1/2), its inputs average-pooled to it.
/// Stem below 40 pixels: conv3×3-BN-ReLU-conv3×3-BN; else a stride-2 separable conv, BN and
/// a stride-2 ReLU-separable-conv-BN unit. Head: ReLU, conv1×1 to 1280, BN, ReLU, global
/// pooling, dropout 0.2, linear.
///
/// Keys: `G1_nodes`, `G1_K`, `G1_P`, `G2_nodes`, `G2_P`, `G3_nodes`, `G3_K`, `G3_P` (the
/// search space's; K is clipped to nodes − 1 as VEGA does), `stage1_ratio`…`stage3_ratio`
/// [1], `ch1_ratio`…`ch3_ratio` [1, 2, 4], `n_param_limit` [4e6], `image_size` (the
/// data's), `num_classes` [10], `in_channels` (the data's; VEGA's stem takes 3).
///
/// Differences from VEGA: the output cells are taken by node number (VEGA's
/// `_parse_outputs` compares output node numbers with positions in its results, which
/// list input nodes first — the same whenever the input nodes are the lowest-numbered);
/// weights start from Lyra's default initialisation, not kaiming-normal (fan out).
public enum NAGO {
  struct Level { var inputs: [Int]; var inWidth: Int; var outWidth: Int; var incoming: [Int] }

  /// Widths (in ratio units) of the nodes of `graph` whose input nodes read `inWidth` and
  /// whose nodes produce `outWidths[i]` (VEGA's compute_input_planes for sums: the last input's).
  static func levels(_ graph: NagoGraph, inWidth: Int, outWidths: [Int]) -> [Level] {
    var out: [Level] = []
    for (i, ins) in graph.inputs.enumerated() {
      out.append(Level(inputs: ins, inWidth: ins.last.map { outWidths[$0] } ?? inWidth, outWidth: outWidths[i],
                       incoming: ins.map { outWidths[$0] }))
    }
    return out
  }

  static func graph(_ r: DescriptionReader, _ level: Int, watts: Bool) throws -> NagoGraph {
    let nodes = try r.int("G\(level)_nodes", min: 3, max: 64)
    let p = try r.double("G\(level)_P", 0, range: 0...1)
    let model: NagoGraph.Model
    if watts {
      let k = min(nodes - 1, try r.int("G\(level)_K", min: 2, max: 64))
      model = .wattsStrogatz(nodes: nodes, p: p, k: k)
    } else {
      model = .erdosRenyi(nodes: nodes, p: p)
    }
    guard let g = NagoGraph.generate(model) else {
      throw DescriptionError("\(r.path).G\(level)_nodes: no usable graph for \(model) in 30 seeds (raise G\(level)_P or G\(level)_nodes)")
    }
    return g
  }

  static func build(_ r: DescriptionReader) throws -> Module {
    let top = try graph(r, 1, watts: true), mid = try graph(r, 2, watts: false), bottom = try graph(r, 3, watts: true)
    let stageRatios = try (1...3).map { try r.double("stage\($0)_ratio", 1, range: 0.001...100) }
    let ch = try zip(1...3, [1, 2, 4]).map { try r.int("ch\($0.0)_ratio", $0.1, min: 1, max: 1024) }
    let limit = try r.double("n_param_limit", 4e6, range: 1...Double(NetworkRegistry.maxParameters))
    let imageSize = try r.int("image_size", 32, min: 1, max: DescriptionReader.maxWindow)
    let classes = try r.numClasses()
    let inChannels = try r.width("in_channels", 3)

    let stages = NagoGraph.stages(top.inputs.count, ratios: stageRatios)
    let cells = levels(top, inWidth: ch[0], outWidths: stages.map { ch[$0] })
    var base = 0
    for c in cells {
      for g in levels(mid, inWidth: c.inWidth, outWidths: mid.inputs.map { _ in c.outWidth }) {
        for o in levels(bottom, inWidth: g.inWidth, outWidths: bottom.inputs.map { _ in g.outWidth }) { base += 9 * o.inWidth * o.outWidth }
      }
    }
    let m = Int((limit / Double(base)).squareRoot())
    guard m >= 1 else {
      throw DescriptionError("\(r.path).n_param_limit: \(limit) is below the architecture's \(base) weights at width 1; raise it")
    }
    try NetworkRegistry.checkSize(base * m * m, path: r.path)

    let small = imageSize < 40
    let stem = ch[0] * m
    let first: Sequential
    if small {
      first = Sequential([Conv2d(inChannels, stem, 3, padding: 1), BatchNorm2d(stem), ReLU(), Conv2d(stem, stem, 3, padding: 1), BatchNorm2d(stem)])
    } else {
      guard stem >= 2 else { throw DescriptionError("\(r.path).n_param_limit: the stem would have \(stem / 2) channels; raise it") }
      func separable(_ i: Int, _ o: Int) -> Sequential {
        Sequential([Conv2d(i, i, 3, stride: 2, padding: 1, groups: i), Conv2d(i, o, 1)])
      }
      first = Sequential([separable(inChannels, stem / 2), BatchNorm2d(stem / 2), ReLU(), separable(stem / 2, stem), BatchNorm2d(stem)])
    }
    let scale = small ? 2.0 : 0.5
    var cellModules: [NagoNode] = []
    for (i, c) in cells.enumerated() {
      let side = Int(Double(imageSize) * scale / Double(1 << (stages[i] + 1)))
      guard side >= 1 else { throw DescriptionError("\(r.path).image_size: \(imageSize) is too small for stage \(stages[i] + 1) of NAGO") }
      var opGraphs: [NagoNode] = []
      for g in levels(mid, inWidth: c.inWidth, outWidths: mid.inputs.map { _ in c.outWidth }) {
        let ops = levels(bottom, inWidth: g.inWidth, outWidths: bottom.inputs.map { _ in g.outWidth }).map { o in
          NagoNode(incoming: o.incoming.map { $0 * m }, width: o.inWidth * m,
                   body: Sequential([ReLU(), Conv2d(o.inWidth * m, o.outWidth * m, 3, padding: 1), BatchNorm2d(o.outWidth * m)]))
        }
        opGraphs.append(NagoNode(incoming: g.incoming.map { $0 * m }, width: g.inWidth * m, graph: bottom, parts: ops))
      }
      cellModules.append(NagoNode(incoming: c.incoming.map { $0 * m }, width: c.inWidth * m, side: side, graph: mid, parts: opGraphs))
    }
    let final = cells[top.outputNodes[top.outputNodes.count - 1]].outWidth * m
    let topModule = NagoTop(graph: top, cells: cellModules, outWidths: top.outputNodes.map { cells[$0].outWidth * m }, finalWidth: final)
    try r.checkParameters([classes, 1280], "fc weight [num_classes, 1280]")
    let parts: [(String, Module)] = [
      ("first_conv", first), ("graph", topModule),
      ("conv_out", Sequential([ReLU(), Conv2d(final, 1280, 1), BatchNorm2d(1280), ReLU()])),
      ("pool", AdaptiveAvgPool2d(1)), ("dropout", Dropout(0.2)), ("flatten", Flatten()), ("fc", Linear(1280, classes)),
    ]
    return Network(type: "NAGO", desc: .object(r.object), parts: parts)
  }
}
