import LyraBase
import LyraTensor

/// An embedding table trained by sparse updates: a forward copies the looked-up rows into
/// a fresh leaf tensor, so `backward` fills that small tensor's gradient rather than a
/// dense [count, dim] one, and `LazyAdam` updates only the rows the batch touched.
///
/// Why: a CTR table has millions of rows and a batch touches a few thousand; a dense
/// gradient and a dense Adam step would cost the whole table per step. The table itself
/// (`weight`) is a registered parameter (saved, loaded, counted) whose `grad` stays nil,
/// so a dense optimiser over `parameters()` skips it.
///
/// Indices may be int32 or float tensors holding whole numbers (a loader's batch), any shape;
/// the output has the index shape + [dim].
public final class SparseEmbedding: Module {
  public let count: Int, dim: Int
  /// 0, or 1 for Lua's 1-based indices (as `Embedding`'s).
  public let indexBase: Int
  public var weight: Tensor { ownParameters[0].tensor }
  /// Rows looked up and their leaf copies since the last `takeGradient()`.
  private var pending: [(ids: [Int], rows: Tensor)] = []

  public init(_ count: Int, _ dim: Int, std: Double = 0.01, indexBase: Int = 0, generator: Generator? = nil) throws {
    guard count > 0, dim > 0 else { throw ShapeError("SparseEmbedding: sizes must be positive, got \(count) x \(dim)") }
    guard indexBase == 0 || indexBase == 1 else { throw ShapeError("SparseEmbedding: indexBase must be 0 or 1") }
    self.indexBase = indexBase
    self.count = count
    self.dim = dim
    super.init()
    let g = generator ?? Tensor.defaultGenerator
    register(parameter: "weight", Tensor((0..<count * dim).map { _ in Float(std * g.normal()) }, shape: [count, dim]))
  }

  /// The ids of an index tensor, checked against the table.
  public func ids(_ x: Tensor) throws -> [Int] {
    let v: [Int]
    if x.dtype == .int32 || x.dtype == .int64 { v = x.toIntArray() } else {
      let f = x.toArray()
      guard f.allSatisfy({ $0 == $0.rounded() && abs($0) < 16_777_216 }) else { throw ShapeError("SparseEmbedding: indices must be whole numbers") }
      v = f.map { Int($0) }
    }
    if let bad = v.first(where: { $0 < indexBase || $0 >= count + indexBase }) {
      throw ShapeError("SparseEmbedding: index \(bad) is out of range for \(count) rows (\(indexBase)...\(count - 1 + indexBase))")
    }
    return indexBase == 0 ? v : v.map { $0 - indexBase }
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    let v = try ids(x)
    var out = [Float](repeating: 0, count: v.count * dim)
    let w = weight.storage.floats + weight.offset
    out.withUnsafeMutableBufferPointer { o in
      for (k, r) in v.enumerated() { (o.baseAddress! + k * dim).update(from: w + r * dim, count: dim) }
    }
    let rows = Tensor(out, shape: x.shape + [dim])
    if training && Tensor.isGradEnabled {
      rows.requiresGrad = true
      pending.append((v, rows))
    }
    return rows
  }

  /// The gradient of the rows looked up since the last call, summed per row: the touched
  /// rows in ascending order and their gradients (rows × dim). Forgets the lookups.
  public func takeGradient() -> (rows: [Int], grad: [Float]) {
    var sum: [Int: Int] = [:], rows: [Int] = [], grad: [Float] = []
    for (ids, t) in pending {
      guard let g = t.grad else { continue }
      let gv = g.contiguous().toArray()
      for (k, r) in ids.enumerated() {
        let slot: Int
        if let s = sum[r] { slot = s } else {
          slot = rows.count
          sum[r] = slot
          rows.append(r)
          grad += [Float](repeating: 0, count: dim)
        }
        for d in 0..<dim { grad[slot * dim + d] += gv[k * dim + d] }
      }
    }
    pending.removeAll()
    let order = rows.indices.sorted { rows[$0] < rows[$1] }
    var sortedGrad = [Float](repeating: 0, count: grad.count)
    for (n, o) in order.enumerated() { for d in 0..<dim { sortedGrad[n * dim + d] = grad[o * dim + d] } }
    return (order.map { rows[$0] }, sortedGrad)
  }

  /// Forgets pending lookups without using them (a validation pass, an aborted step).
  public func discardGradient() { pending.removeAll() }

  public override var summary: String { "\(count), \(dim), sparse" }
  public override var arguments: [String: JSON] {
    var a: [String: JSON] = ["num_embeddings": JSON(count), "embedding_dim": JSON(dim), "sparse": .bool(true)]
    if indexBase != 0 { a["index_base"] = JSON(indexBase) }
    return a
  }
}
