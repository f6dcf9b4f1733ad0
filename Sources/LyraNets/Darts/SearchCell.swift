import LyraBase
import LyraNN
import LyraTensor

/// A cell of the DARTS supernet: two input nodes (the outputs of the two previous cells,
/// each brought to `channels` by a 1×1 ReLU-Conv-BN, or by a `FactorizedReduce` when the
/// previous-previous output has twice the resolution), `steps` intermediate nodes, each the
/// sum of a `MixedOp` from every earlier node, and the output: the last `multiplier`
/// intermediate nodes concatenated on channels.
///
/// Edges are ordered node by node, each node's from input 0 upwards (node 2: 0, 1; node 3:
/// 0, 1, 2; ...), which is the row order of α: 14 rows for 4 steps.
public final class SearchCell: Module {
  public let steps: Int
  public let multiplier: Int
  public let reduction: Bool

  public init(steps: Int, multiplier: Int, cPrevPrev: Int, cPrev: Int, channels: Int, reduction: Bool,
              reductionPrev: Bool, primitives: [String]) throws {
    self.steps = steps
    self.multiplier = multiplier
    self.reduction = reduction
    super.init()
    let (p0, p1) = try DartsOps.cellInputs(cPrevPrev: cPrevPrev, cPrev: cPrev, channels: channels, reductionPrev: reductionPrev, affine: false)
    register(child: "preprocess0", p0)
    register(child: "preprocess1", p1)
    var e = 0
    for i in 0..<steps {
      for j in 0..<(2 + i) {
        let stride = reduction && j < 2 ? 2 : 1
        register(child: "edge\(e)", try MixedOp(channels: channels, stride: stride, primitives: primitives, affine: false))
        e += 1
      }
    }
  }

  /// Edges of a cell with `steps` intermediate nodes (14 for 4).
  public static func edgeCount(steps: Int) -> Int { steps * (steps + 3) / 2 }

  public override func forward(_ x: Tensor) throws -> Tensor {
    throw ShapeError("SearchCell.forward needs both inputs and the weights: call forward(s0, s1, weights:)")
  }

  /// The cell's output from the two previous outputs; `weights` is softmax(α), [edges, ops].
  public func forward(_ s0: Tensor, _ s1: Tensor, weights: Tensor) throws -> Tensor {
    var states = [try children[0].module(s0), try children[1].module(s1)]
    var offset = 0
    for _ in 0..<steps {
      var s: Tensor?
      for (j, h) in states.enumerated() {
        guard let op = children[2 + offset + j].module as? MixedOp else { throw ShapeError("SearchCell: edge \(offset + j) is not a MixedOp") }
        let y = try op.forward(h, weights: weights.select(0, offset + j))
        s = s.map { $0 + y } ?? y
      }
      offset += states.count
      states.append(s!)
    }
    return Tensor.cat(Array(states.suffix(multiplier)), dim: 1)
  }

  public override var summary: String { "\(reduction ? "reduction" : "normal"), \(steps) nodes" }
}
