import LyraBase
import LyraNN
import LyraTensor

/// One edge of the DARTS supernet: every candidate operation applied to the input and
/// mixed by the softmax of the edge's α (the paper's eq. 1), `ō(x) = Σ_o w_o · o(x)`.
///
/// `none` is not run: its output is zero, so its term is zero whatever its weight (its α
/// still takes part in the softmax, which is what lets it absorb weight).
public final class MixedOp: Module {
  public let primitives: [String]
  public let stride: Int

  public init(channels: Int, stride: Int, primitives: [String], affine: Bool) throws {
    self.primitives = primitives
    self.stride = stride
    super.init()
    for (k, p) in primitives.enumerated() {
      var op = try DartsOps.make(p, channels: channels, stride: stride, affine: affine)
      // The DARTS search follows each pooling with an affine-free BN (model_search.py),
      // so pooled outputs are on the scale of the convolutions' normalised ones.
      if p.contains("pool") && !affine { op = Sequential([op, BatchNorm2d(channels, affine: false)]) }
      register(child: "\(k)", op)
    }
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    throw ShapeError("MixedOp.forward needs the edge's weights: call forward(x, weights:)")
  }

  /// The mixed output for `weights`, a vector of one weight per candidate.
  public func forward(_ x: Tensor, weights: Tensor) throws -> Tensor {
    guard weights.rank == 1, weights.shape[0] == primitives.count else {
      throw ShapeError("MixedOp: weights must be [\(primitives.count)], got \(ShapeText.format(weights.shape))")
    }
    var sum: Tensor?
    for (k, p) in primitives.enumerated() where p != "none" {
      let term = try children[k].module(x).mul(weights.select(0, k))
      sum = sum.map { $0 + term } ?? term
    }
    return try sum ?? children[0].module(x)
  }

  public override var summary: String { "stride \(stride), \(primitives.count) candidates" }
}
