import LyraBase
import LyraNN
import LyraTensor

/// A cell of a derived (discrete) DARTS network: the genotype's two operations per
/// intermediate node, summed, with drop-path during training (the paper's evaluation,
/// Appendix A.2: each non-identity path zeroed per sample with probability `dropPath`, the
/// survivors scaled by 1/(1 − p)). BN is affine here.
public final class DerivedCell: Module {
  public let reduction: Bool
  public let edges: [Genotype.Edge]
  public let concat: [Int]
  /// The drop-path probability, set by the trainer per epoch (0: off).
  public var dropPath: Float = 0
  /// Draws the drop-path masks (nil: the global generator).
  public var generator: Generator?

  public init(edges: [Genotype.Edge], concat: [Int], cPrevPrev: Int, cPrev: Int, channels: Int,
              reduction: Bool, reductionPrev: Bool) throws {
    guard !edges.isEmpty, edges.count % 2 == 0 else {
      throw DescriptionError("DARTS genotype: a cell needs two (op, input) pairs per node, got \(edges.count)")
    }
    let nodes = edges.count / 2
    for (k, e) in edges.enumerated() where e.input >= 2 + k / 2 {
      throw DescriptionError("DARTS genotype: edge \(k) ('\(e.op)', \(e.input)) reads node \(e.input), which node \(2 + k / 2) cannot see (inputs 0…\(1 + k / 2))")
    }
    guard !concat.isEmpty, concat.allSatisfy({ (0..<(2 + nodes)).contains($0) }) else {
      throw DescriptionError("DARTS genotype: concat \(concat) must list nodes in 0…\(1 + nodes)")
    }
    self.reduction = reduction
    self.edges = edges
    self.concat = concat
    super.init()
    let (p0, p1) = try DartsOps.cellInputs(cPrevPrev: cPrevPrev, cPrev: cPrev, channels: channels, reductionPrev: reductionPrev, affine: true)
    register(child: "preprocess0", p0)
    register(child: "preprocess1", p1)
    for (k, e) in edges.enumerated() {
      let stride = reduction && e.input < 2 ? 2 : 1
      register(child: "op\(k)", try DartsOps.make(e.op, channels: channels, stride: stride, affine: true))
    }
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    throw ShapeError("DerivedCell.forward needs both inputs: call forward(s0, s1)")
  }

  public func forward(_ s0: Tensor, _ s1: Tensor) throws -> Tensor {
    var states = [try children[0].module(s0), try children[1].module(s1)]
    for node in 0..<(edges.count / 2) {
      var sum: Tensor?
      for k in [2 * node, 2 * node + 1] {
        let op = children[2 + k].module
        var h = try op(states[edges[k].input])
        if training && dropPath > 0 && !(op is DartsIdentity) { h = Self.dropPath(h, dropPath, generator) }
        sum = sum.map { $0 + h } ?? h
      }
      states.append(sum!)
    }
    return Tensor.cat(concat.map { states[$0] }, dim: 1)
  }

  /// Zeroes whole samples with probability `p`, scaling the rest by 1/(1 − p).
  static func dropPath(_ x: Tensor, _ p: Float, _ g: Generator?) -> Tensor {
    let keep = 1 - p
    let mask = Tensor.full([x.shape[0], 1, 1, 1], keep).bernoulli(generator: g)
    return x.mul(mask.div(keep))
  }

  public override var summary: String { "\(reduction ? "reduction" : "normal"), \(edges.count / 2) nodes" }
}
