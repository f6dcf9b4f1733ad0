import LyraBase
import LyraTensor

/// The second-order term of a factorization machine (Rendle 2010): for field embeddings
/// [N, F, D], Σ_{i<j} ⟨e_i, e_j⟩ per sample, as [N, 1], computed as
/// ½ Σ_d ((Σ_i e_id)² − Σ_i e_id²) in O(F·D) rather than O(F²·D).
public final class FactorizationMachine: Module {
  public override init() { super.init() }
  public override func forward(_ x: Tensor) throws -> Tensor {
    guard x.rank == 3 else { throw ShapeError("FM: expected field embeddings [N, F, D], got \(x.shape)") }
    let s = x.sum(1)
    return s.mul(s).sub(x.mul(x).sum(1)).sum(1, keepdim: true).mul(0.5)
  }
  public override var typeName: String { "FM" }
}
