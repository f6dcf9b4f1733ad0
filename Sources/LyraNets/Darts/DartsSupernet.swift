import LyraBase
import LyraNN
import LyraTensor

/// The DARTS search network (the paper's §3.1, its `model_search.py`; VEGA's `DartsNetwork`
/// with `search: True`): a 3×3 conv stem to `stemMulti · channels`, `layers` search cells
/// (reduction cells at `reductions`, by default ⌊layers/3⌋ and ⌊2·layers/3⌋, where the width
/// doubles), global average pooling and a linear classifier.
///
/// The architecture weights α are two tensors, [edges, candidates], one shared by every
/// normal cell and one by every reduction cell, initialised to 1e-3·N(0, 1) as the paper's.
/// They are buffers, not parameters: `parameters()` are the network weights w (what the
/// weight optimiser steps), `alphas` are stepped by their own optimiser, and a checkpoint
/// (`stateDict`) keeps both.
public final class DartsSupernet: Module {
  public struct Options: Equatable {
    public var inChannels = 3
    public var channels = 16
    public var classes = 10
    public var layers = 8
    public var steps = 4
    public var multiplier = 4
    public var stemMulti = 3
    /// The stem's base width (VEGA's `stem.init_channels`); nil: `channels`. The stem has
    /// `stemMulti` times this many channels.
    public var stemChannels: Int?
    public var primitives = DartsOps.primitives
    /// Indices of the reduction cells; nil: ⌊layers/3⌋ and ⌊2·layers/3⌋.
    public var reductions: [Int]?
    public init() {}

    public var reductionCells: [Int] { reductions ?? [layers / 3, 2 * layers / 3] }

    /// Throws for an option a supernet cannot be built with, naming it.
    public func check() throws {
      func need(_ ok: Bool, _ what: String) throws { if !ok { throw DescriptionError("DartsSupernet: \(what)") } }
      let big = DescriptionReader.maxInteger
      try need((1...big).contains(inChannels), "in_channels must be in 1…\(big), got \(inChannels)")
      try need((1...4096).contains(channels), "init_channels must be in 1…4096, got \(channels)")
      try need((1...big).contains(classes), "num_classes must be in 1…\(big), got \(classes)")
      try need((1...64).contains(layers), "layers must be in 1…64, got \(layers)")
      try need((1...16).contains(steps), "steps must be in 1…16, got \(steps)")
      try need((1...steps).contains(multiplier), "multiplier (concatenated nodes) must be in 1…\(steps), got \(multiplier)")
      try need((1...16).contains(stemMulti), "stem_multi must be in 1…16, got \(stemMulti)")
      try need((1...4096).contains(stemChannels ?? 1), "stem.init_channels must be in 1…4096, got \(stemChannels ?? 0)")
      try need(!primitives.isEmpty && Set(primitives).count == primitives.count, "the candidate list must be non-empty without repeats, got \(primitives)")
      for p in primitives where !DartsOps.builders.contains(p) {
        _ = try DartsOps.make(p, channels: 2, stride: 1, affine: false)  // throws the did-you-mean text
      }
      try need(primitives.contains { $0 != "none" }, "the candidates need an operation besides 'none'")
      try need(reductionCells.allSatisfy { (0..<layers).contains($0) }, "reduction cells \(reductionCells) must be in 0…\(layers - 1)")
      let widest = channels << reductionCells.count
      try need(widest * multiplier <= 1 << 16, "init_channels \(channels) doubled at \(reductionCells.count) reductions is too wide")
    }
  }

  public let options: Options
  public var alphasNormal: Tensor { ownBuffers[0].tensor }
  public var alphasReduce: Tensor { ownBuffers[1].tensor }
  /// Both α tensors, for the architecture optimiser.
  public var alphas: [Tensor] { [alphasNormal, alphasReduce] }

  public init(_ o: Options, generator: Generator? = nil) throws {
    try o.check()
    options = o
    super.init()
    let edges = SearchCell.edgeCount(steps: o.steps)
    register(buffer: "alphas_normal", Tensor.randn([edges, o.primitives.count], generator: generator).mul(1e-3).requiresGrad_())
    register(buffer: "alphas_reduce", Tensor.randn([edges, o.primitives.count], generator: generator).mul(1e-3).requiresGrad_())
    let stemC = o.stemMulti * (o.stemChannels ?? o.channels)
    register(child: "stem", Sequential([Conv2d(o.inChannels, stemC, 3, padding: 1, bias: false), BatchNorm2d(stemC)]))
    var cPP = stemC, cP = stemC, c = o.channels
    var reductionPrev = false
    let cells = Sequential()
    for i in 0..<o.layers {
      let reduction = o.reductionCells.contains(i)
      if reduction { c *= 2 }
      cells.add(try SearchCell(steps: o.steps, multiplier: o.multiplier, cPrevPrev: cPP, cPrev: cP, channels: c,
                               reduction: reduction, reductionPrev: reductionPrev, primitives: o.primitives))
      reductionPrev = reduction
      (cPP, cP) = (cP, o.multiplier * c)
    }
    register(child: "cells", cells)
    register(child: "global_pooling", AdaptiveAvgPool2d(1))
    register(child: "classifier", Linear(cP, o.classes))
  }

  public var cells: [SearchCell] { (children[1].module.children).compactMap { $0.module as? SearchCell } }

  public override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("DartsSupernet", x, rank: 4, dim: 1, size: options.inChannels,
                         expected: "input [N, \(options.inChannels), H, W]")
    let wn = alphasNormal.softmax(-1), wr = alphasReduce.softmax(-1)
    var s0 = try children[0].module(x)
    var s1 = s0
    for cell in cells {
      let s = try cell.forward(s0, s1, weights: cell.reduction ? wr : wn)
      (s0, s1) = (s1, s)
    }
    let pooled = try children[2].module(s1).flatten(1)
    return try children[3].module(pooled)
  }

  /// The derived architecture (two strongest non-`none` inputs per node).
  public func genotype() -> Genotype {
    let o = options
    let concat = Array((2 + o.steps - o.multiplier)..<(2 + o.steps))
    return Genotype(normal: Genotype.derive(alphasNormal, primitives: o.primitives, steps: o.steps), normalConcat: concat,
                    reduce: Genotype.derive(alphasReduce, primitives: o.primitives, steps: o.steps), reduceConcat: concat)
  }

  public override var summary: String {
    "\(options.layers) cells, C \(options.channels), \(options.primitives.count) candidates"
  }
}
