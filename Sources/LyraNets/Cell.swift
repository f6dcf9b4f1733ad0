import LyraNN
import LyraTensor

/// The paper's Cell level: an ordered run of blocks at one resolution (a ResNet stage,
/// the DNet blocks between two `-`), or of operators for a stem. Named parts make the
/// dotted names (`stage2.block1`) that fine-grained search keys and `modules(under:)` use.
public final class Cell: Module {
  public init(_ parts: [(String, Module)]) {
    super.init()
    for (n, m) in parts { register(child: n, m) }
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    var y = x
    for c in children { y = try c.module(y) }
    return y
  }

  /// The blocks of this cell, in order (empty for a stem of operators).
  public var blocks: [Block] { children.compactMap { $0.module as? Block } }
}

/// The paper's Block level: a unit with its own wiring between operators (a residual
/// block, an inverted residual, a DNet encoded block). Subclasses define `forward`.
open class Block: Module {
  /// The operators of this block in execution order (shortcut projections included).
  public var operators: [Operator] { children.compactMap { $0.module as? Operator } }
}
