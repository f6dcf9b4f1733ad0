import LyraBase
import LyraNN
import LyraTensor

/// The discrete network a DARTS genotype describes (the paper's evaluation network, its
/// `model.py` NetworkCIFAR): a 3×3 conv stem to `stemMulti · channels`, `layers` derived
/// cells with reductions at ⌊layers/3⌋ and ⌊2·layers/3⌋, global average pooling and a linear
/// classifier; optionally the auxiliary head after the second reduction cell (its logits
/// are kept in `auxiliaryLogits` in training, for a loss weighted by `aux_weight`), and
/// drop-path in every cell.
public final class DartsNetwork: Module {
  public struct Options: Equatable {
    public var inChannels = 3
    public var channels = 36
    public var classes = 10
    public var layers = 20
    public var stemMulti = 3
    /// The stem's base width (VEGA's `stem.init_channels`); nil: `channels`. The stem has
    /// `stemMulti` times this many channels.
    public var stemChannels: Int?
    public var auxiliary = false
    public var reductions: [Int]?
    /// The cell after which the auxiliary head reads (VEGA's `auxiliary_layer`); nil: ⌊2·layers/3⌋.
    public var auxiliaryLayer: Int?
    /// Drop-path probability of every cell in training.
    public var dropPath: Float = 0
    public init() {}
    public var reductionCells: [Int] { reductions ?? [layers / 3, 2 * layers / 3] }
  }

  public let options: Options
  public let genotype: Genotype
  /// The auxiliary head's logits of the last training forward (nil in eval or without one).
  public private(set) var auxiliaryLogits: Tensor?
  let auxiliaryAfter: Int

  public init(_ genotype: Genotype, _ o: Options) throws {
    let big = DescriptionReader.maxInteger
    guard (1...4096).contains(o.channels), (1...64).contains(o.layers), (1...16).contains(o.stemMulti),
          (1...big).contains(o.inChannels), (1...big).contains(o.classes), (1...4096).contains(o.stemChannels ?? 1),
          (0..<1).contains(o.dropPath), (0..<o.layers).contains(o.auxiliaryLayer ?? 0),
          o.reductionCells.allSatisfy({ (0..<o.layers).contains($0) }) else {
      throw DescriptionError("DartsNetwork: init_channels 1…4096, layers 1…64, stem_multi 1…16 and reduction cells inside the layers, got C \(o.channels), layers \(o.layers), stem_multi \(o.stemMulti), reductions \(o.reductionCells)")
    }
    options = o
    self.genotype = genotype
    auxiliaryAfter = o.auxiliaryLayer ?? 2 * o.layers / 3
    super.init()
    let stemC = o.stemMulti * (o.stemChannels ?? o.channels)
    register(child: "stem", Sequential([Conv2d(o.inChannels, stemC, 3, padding: 1, bias: false), BatchNorm2d(stemC)]))
    var cPP = stemC, cP = stemC, c = o.channels
    var reductionPrev = false
    var auxC = 0
    let cells = Sequential()
    for i in 0..<o.layers {
      let reduction = o.reductionCells.contains(i)
      if reduction { c *= 2 }
      let cell = try DerivedCell(edges: reduction ? genotype.reduce : genotype.normal,
                                 concat: reduction ? genotype.reduceConcat : genotype.normalConcat,
                                 cPrevPrev: cPP, cPrev: cP, channels: c, reduction: reduction, reductionPrev: reductionPrev)
      cells.add(cell)
      reductionPrev = reduction
      (cPP, cP) = (cP, cell.concat.count * c)
      if i == auxiliaryAfter { auxC = cP }
    }
    register(child: "cells", cells)
    register(child: "global_pooling", AdaptiveAvgPool2d(1))
    register(child: "classifier", Linear(cP, o.classes))
    setDropPath(o.dropPath)
    if o.auxiliary {
      // The paper's head pools 8×8 CIFAR maps 5×5/3 to 2×2; an adaptive pool to 2×2 gives
      // the same shape on any input size (Fashion-MNIST's 7×7 maps too).
      register(child: "auxiliary_head", Sequential([
        ReLU(), AdaptiveAvgPool2d(2), Conv2d(auxC, 128, 1, bias: false), BatchNorm2d(128), ReLU(),
        Conv2d(128, 768, 2, bias: false), BatchNorm2d(768), ReLU(), Flatten(), Linear(768, o.classes)]))
    }
  }

  public var cells: [DerivedCell] { children[1].module.children.compactMap { $0.module as? DerivedCell } }

  /// Sets the drop-path probability of every cell (the trainer raises it linearly per epoch).
  public func setDropPath(_ p: Float) { for c in cells { c.dropPath = p } }

  public override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("DartsNetwork", x, rank: 4, dim: 1, size: options.inChannels,
                         expected: "input [N, \(options.inChannels), H, W]")
    auxiliaryLogits = nil
    var s0 = try children[0].module(x)
    var s1 = s0
    for (i, cell) in cells.enumerated() {
      (s0, s1) = (s1, try cell.forward(s0, s1))
      if i == auxiliaryAfter, training, options.auxiliary, let head = children.first(where: { $0.name == "auxiliary_head" }) {
        auxiliaryLogits = try head.module(s1)
      }
    }
    return try children[3].module(try children[2].module(s1).flatten(1))
  }

  public override var summary: String { "\(options.layers) cells, C \(options.channels)" }
}
