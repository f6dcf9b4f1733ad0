import LyraBase
import LyraNN
import LyraTensor

/// VEGA's `DartsNetwork` description (its darts_cnn example and `darts_cifar10.json`):
///
///     {type: DartsNetwork, search: true, init_channels: 16, num_classes: 10, auxiliary: false,
///      stem: {type: PreOneStem, init_channels: 16, stem_multi: 3}, head: {type: LinearClassificationHead},
///      cells: {modules: [normal, normal, reduce, ...],
///              normal: {type: NormalCell, steps: 4, concat: [2, 3, 4, 5], genotype: [[[candidates], 2, 0], ...]},
///              reduce: {type: ReduceCell, ...}}}
///
/// With `search: true` each genotype entry is `[candidate list, to node, from node]` and
/// the network is a `DartsSupernet` over that list (the same list on every edge, edges in
/// the supernet's order 2←0, 2←1, 3←0, ...); with `search: false` an entry is `[op, to,
/// from]` (what the search hands on) and the network is the derived `DartsNetwork`, with
/// `drop_path_prob`, `auxiliary` and `auxiliary_layer`. `aux_size` (the head's pooling of
/// CIFAR's 8×8 maps) is accepted and unused: Lyra's head pools adaptively to 2×2.
/// `in_channels` comes from the data when not given.
public enum DartsDescription {
  static func build(_ r: DescriptionReader) throws -> Module {
    let search = try r.bool("search", false)
    let classes = try r.numClasses()
    let channels = try r.width("init_channels", 16)
    let inChannels = try r.width("in_channels", 3)
    _ = r.raw("aux_size")
    var stemMulti = 3, stemInit: Int?
    if let s = r.raw("stem") {
      guard let o = s.object else { throw DescriptionError("\(r.path).stem: expected {type: PreOneStem, init_channels, stem_multi}, got \(s.text)") }
      let sr = DescriptionReader(o, path: r.path + ".stem")
      let t = try sr.string("type", "PreOneStem")
      guard t == "PreOneStem" else { throw DescriptionError("\(r.path).stem.type: only PreOneStem (a 3×3 conv and BN), got '\(t)'") }
      stemInit = try sr.width("init_channels", channels)
      stemMulti = try sr.int("stem_multi", 3, min: 1, max: 16)
      try sr.finish()
    }
    if let h = r.raw("head") {
      let t = h["type"]?.string ?? "LinearClassificationHead"
      guard t == "LinearClassificationHead", h.object?.keys.allSatisfy({ $0 == "type" || $0 == "num_classes" }) ?? false else {
        throw DescriptionError("\(r.path).head: only {type: LinearClassificationHead} (global pooling and a linear layer), got \(h.text)")
      }
    }
    guard let cellsJSON = r.raw("cells")?.object else { throw DescriptionError("\(r.path).cells: missing {modules: [normal, reduce, ...], normal: {...}, reduce: {...}}") }
    let cr = DescriptionReader(cellsJSON, path: r.path + ".cells")
    let order = try cr.array("modules").map { v -> String in
      guard let s = v.string, s == "normal" || s == "reduce" else {
        throw DescriptionError("\(r.path).cells.modules: entries must be 'normal' or 'reduce', got \(v.text)")
      }
      return s
    }
    guard !order.isEmpty, order.count <= 64 else { throw DescriptionError("\(r.path).cells.modules: 1…64 cells, got \(order.count)") }
    let reductions = order.indices.filter { order[$0] == "reduce" }
    func cell(_ name: String) throws -> (steps: Int, concat: [Int], genotype: [JSON]) {
      guard let o = cr.raw(name)?.object else {
        if name == "reduce" && reductions.isEmpty, let n = cr.object["normal"]?.object {
          return try cellParts(n, path: "\(r.path).cells.normal")
        }
        throw DescriptionError("\(r.path).cells.\(name): missing {steps, genotype, concat}")
      }
      return try cellParts(o, path: "\(r.path).cells.\(name)")
    }
    let normal = try cell("normal"), reduce = try cell("reduce")
    try cr.finish()
    if search {
      var o = DartsSupernet.Options()
      (o.inChannels, o.channels, o.classes, o.layers) = (inChannels, channels, classes, order.count)
      (o.stemMulti, o.stemChannels, o.reductions) = (stemMulti, stemInit, reductions)
      o.steps = normal.steps
      guard reduce.steps == normal.steps else {
        throw DescriptionError("\(r.path).cells.reduce.steps: the supernet shares one α shape, so normal and reduce need the same steps (\(normal.steps)), got \(reduce.steps)")
      }
      o.multiplier = try multiplier(normal.concat, steps: o.steps, path: "\(r.path).cells.normal.concat")
      guard try multiplier(reduce.concat, steps: o.steps, path: "\(r.path).cells.reduce.concat") == o.multiplier else {
        throw DescriptionError("\(r.path).cells.reduce.concat: must concatenate as many nodes as normal's (\(o.multiplier))")
      }
      let pn = try candidates(normal.genotype, steps: o.steps, path: "\(r.path).cells.normal.genotype")
      let pr = try candidates(reduce.genotype, steps: o.steps, path: "\(r.path).cells.reduce.genotype")
      guard pn == pr else { throw DescriptionError("\(r.path).cells.reduce.genotype: the candidates must be normal's \(pn), got \(pr)") }
      o.primitives = pn
      try r.finishAllowing(["drop_path_prob", "auxiliary", "auxiliary_layer"])
      let net = try DartsSupernet(o)
      return Network(type: "DartsNetwork", desc: .object(r.object), parts: [("net", net)])
    }
    var o = DartsNetwork.Options()
    (o.inChannels, o.channels, o.classes, o.layers) = (inChannels, channels, classes, order.count)
    (o.stemMulti, o.stemChannels, o.reductions) = (stemMulti, stemInit, reductions)
    o.auxiliary = try r.bool("auxiliary", false)
    o.auxiliaryLayer = try r.optionalInt("auxiliary_layer")
    o.dropPath = Float(try r.double("drop_path_prob", 0, range: 0...0.99))
    let g = Genotype(normal: try edges(normal.genotype, path: "\(r.path).cells.normal.genotype"), normalConcat: normal.concat,
                     reduce: try edges(reduce.genotype, path: "\(r.path).cells.reduce.genotype"), reduceConcat: reduce.concat)
    try r.finish()
    let net = try DartsNetwork(g, o)
    return Network(type: "DartsNetwork", desc: .object(r.object), parts: [("net", net)])
  }

  static func cellParts(_ o: [String: JSON], path: String) throws -> (steps: Int, concat: [Int], genotype: [JSON]) {
    let cr = DescriptionReader(o, path: path)
    _ = try cr.string("type", "NormalCell")
    let steps = try cr.int("steps", 4, min: 1, max: 16)
    let genotype = try cr.array("genotype")
    let concat = try (cr.optionalArray("concat") ?? (2..<(2 + steps)).map { JSON($0) }).map { v -> Int in
      guard let i = v.int, (0..<(2 + steps)).contains(i) else { throw DescriptionError("\(path).concat: node numbers in 0…\(1 + steps), got \(v.text)") }
      return i
    }
    try cr.finish()
    return (steps, concat, genotype)
  }

  /// The supernet keeps the last `multiplier` nodes: concat must be exactly those.
  static func multiplier(_ concat: [Int], steps: Int, path: String) throws -> Int {
    let m = concat.count
    guard m >= 1, concat == Array((2 + steps - m)..<(2 + steps)) else {
      throw DescriptionError("\(path): a search cell concatenates its last nodes in order (e.g. \(Array(2..<(2 + steps)))), got \(concat)")
    }
    return m
  }

  /// One `[to, from]` pair of an entry, checked.
  static func link(_ e: [JSON], _ k: Int, path: String) throws -> (to: Int, from: Int) {
    guard e.count == 3, let to = e[1].int, let from = e[2].int, to >= 2, from >= 0, from < to else {
      throw DescriptionError("\(path)[\(k)]: expected [op, to node, from node] with from < to, got \(JSON.array(e).text)")
    }
    return (to, from)
  }

  /// The candidate list of a search genotype: one list shared by every edge, edges in order.
  static func candidates(_ g: [JSON], steps: Int, path: String) throws -> [String] {
    guard g.count == SearchCell.edgeCount(steps: steps) else {
      throw DescriptionError("\(path): \(steps) nodes have \(SearchCell.edgeCount(steps: steps)) edges, got \(g.count) entries")
    }
    var list: [String]?
    var k = 0
    for to in 2..<(2 + steps) {
      for from in 0..<to {
        guard let e = g[k].array else { throw DescriptionError("\(path)[\(k)]: expected [[candidates], to, from], got \(g[k].text)") }
        let l = try link(e, k, path: path)
        guard l == (to, from) else { throw DescriptionError("\(path)[\(k)]: expected the edge \(to) ← \(from) here (edges go node by node, inputs in order), got \(l.to) ← \(l.from)") }
        guard let ops = e[0].array?.compactMap(\.string), !ops.isEmpty, ops.count == e[0].array?.count else {
          throw DescriptionError("\(path)[\(k)]: the candidates must be a list of operation names, got \(e[0].text)")
        }
        if let list, list != ops { throw DescriptionError("\(path)[\(k)]: every edge needs the same candidates (\(list)), got \(ops)") }
        list = ops
        k += 1
      }
    }
    return list ?? []
  }

  /// A derived genotype: `[op, to, from]` entries, two per node, grouped by node.
  static func edges(_ g: [JSON], path: String) throws -> [Genotype.Edge] {
    var out: [(to: Int, edge: Genotype.Edge)] = []
    for (k, v) in g.enumerated() {
      guard let e = v.array else { throw DescriptionError("\(path)[\(k)]: expected [op, to, from], got \(v.text)") }
      let l = try link(e, k, path: path)
      let op = e[0].string ?? (e[0].array?.count == 1 ? e[0].array?[0].string : nil)
      guard let op, DartsOps.builders.contains(op) else {
        throw DescriptionError("\(path)[\(k)]: unknown operation \(e[0].text)\(Suggest.hint(e[0].string ?? "", in: DartsOps.names)); a derived genotype names one operation per edge")
      }
      out.append((l.to, Genotype.Edge(op, l.from)))
    }
    let nodes = Set(out.map(\.to)).sorted()
    guard nodes == Array(2..<(2 + nodes.count)), nodes.allSatisfy({ n in out.filter { $0.to == n }.count == 2 }) else {
      throw DescriptionError("\(path): every node 2, 3, ... needs exactly two incoming edges, got nodes \(out.map(\.to))")
    }
    return out.enumerated().sorted { ($0.element.to, $0.offset) < ($1.element.to, $1.offset) }.map(\.element.edge)
  }

  /// The derived network's description: `template` (the search's own description) with
  /// `search: false` and the genotype as `[op, to, from]` entries, as VEGA's DartsCodec writes it.
  public static func derived(_ template: JSON, genotype g: Genotype) -> JSON {
    func entries(_ e: [Genotype.Edge]) -> JSON {
      .array(e.enumerated().map { k, x in .array([.string(x.op), JSON(2 + k / 2), JSON(x.input)]) })
    }
    var o = template.object ?? [:]
    o["search"] = .bool(false)
    var cells = o["cells"]?.object ?? [:]
    var n = cells["normal"]?.object ?? [:]
    n["genotype"] = entries(g.normal)
    n["concat"] = .array(g.normalConcat.map { JSON($0) })
    var rd = cells["reduce"]?.object ?? [:]
    rd["genotype"] = entries(g.reduce)
    rd["concat"] = .array(g.reduceConcat.map { JSON($0) })
    cells["normal"] = .object(n)
    cells["reduce"] = .object(rd)
    o["cells"] = .object(cells)
    return .object(o)
  }
}

extension DescriptionReader {
  /// `finish()`, with `keys` read and ignored (keys of the derived network a search
  /// description may already carry).
  func finishAllowing(_ keys: [String]) throws {
    for k in keys { _ = raw(k) }
    try finish()
  }
}
