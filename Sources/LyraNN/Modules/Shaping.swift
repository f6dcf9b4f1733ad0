import LyraBase
import LyraTensor

/// Flattens dimensions `start...end` into one (default: all but the batch).
public final class Flatten: Module {
  public let start: Int, end: Int
  public init(start: Int = 1, end: Int = -1) {
    self.start = start
    self.end = end
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    let s = start < 0 ? x.rank + start : start, e = end < 0 ? x.rank + end : end
    if s < 0 || e >= x.rank || s > e {
      throw ShapeError("Flatten: dimensions \(start)...\(end) do not exist in input \(ShapeText.format(x.shape))")
    }
    return x.flatten(start, end)
  }
  public override var arguments: [String: JSON] { ["start_dim": JSON(start), "end_dim": JSON(end)] }
}

/// The identity (a skip connection, or "no op" in a search space).
public final class Identity: Module {
  public override func forward(_ x: Tensor) throws -> Tensor { x }
}

/// Outputs zeros shaped like the input (subsampled by `stride`): the "none" operation of
/// cell-based search spaces, which removes an edge while keeping shapes consistent.
public final class Zero: Module {
  public let stride: Int
  public init(stride: Int = 1) {
    precondition(stride > 0, "Zero: stride must be positive")
    self.stride = stride
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    guard stride > 1, x.rank == 4 else { return x.mul(0) }
    return x.slice(2, 0, nil, step: stride).slice(3, 0, nil, step: stride).mul(0)
  }
  public override var summary: String { stride > 1 ? "stride \(stride)" : "" }
  public override var arguments: [String: JSON] { ["stride": JSON(stride)] }
}

/// Inverted dropout; the identity in evaluation mode.
public final class Dropout: Module {
  public let p: Float
  let generator: Generator?
  public init(_ p: Float = 0.5, generator: Generator? = nil) {
    precondition(p >= 0 && p <= 1, "Dropout: p must be in [0, 1], got \(p)")
    self.p = p
    self.generator = generator
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor { x.dropout(p, training: training, generator: generator) }
  public override var summary: String { "p = \(p)" }
  public override var arguments: [String: JSON] { ["p": .number(Double(p))] }
}

/// A lookup table: integer indices → rows of a [num, dim] weight (initialised N(0, 1) as PyTorch).
///
/// `indexBase` is the index of the first row: 0 as PyTorch (descriptions, configs), 1 as Torch7's
/// LookupTable and every position at Lyra's Lua boundary (`lyra.nn.Embedding` builds it so).
public final class Embedding: Module {
  public let count: Int, dim: Int, indexBase: Int
  public var weight: Tensor { ownParameters[0].tensor }
  public init(_ count: Int, _ dim: Int, indexBase: Int = 0, generator: Generator? = nil) {
    precondition(count > 0 && dim > 0, "Embedding: sizes must be positive, got \(count) x \(dim)")
    precondition(indexBase == 0 || indexBase == 1, "Embedding: indexBase must be 0 or 1")
    self.indexBase = indexBase
    self.count = count
    self.dim = dim
    super.init()
    register(parameter: "weight", Tensor(Init.normal(count * dim, generator: generator ?? Tensor.defaultGenerator), shape: [count, dim]))
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    guard x.dtype == .int32 else { throw ShapeError("Embedding: expected integer indices, got a \(x.dtype) tensor") }
    let ids = x.toIntArray()
    if let bad = ids.first(where: { $0 < indexBase || $0 >= count + indexBase }) {
      throw ShapeError("Embedding: index \(bad) is out of range for \(count) embeddings (\(indexBase)...\(count - 1 + indexBase))")
    }
    return Tensor.embedding(weight, indexBase == 0 ? x : Tensor(indices: ids.map { $0 - indexBase }, shape: x.shape))
  }
  public override var summary: String { "\(count), \(dim)" }
  public override var arguments: [String: JSON] {
    var a: [String: JSON] = ["num_embeddings": JSON(count), "embedding_dim": JSON(dim)]
    if indexBase != 0 { a["index_base"] = JSON(indexBase) }
    return a
  }
}
