import LyraBase
import LyraTensor

/// Multi-head scaled dot-product attention (PyTorch's `nn.MultiheadAttention`, same
/// parameter names: `in_proj_weight` [3E, E] (Q, K, V rows), `in_proj_bias` [3E],
/// child `out_proj` (a Linear E -> E)).
///
///   head_i = softmax(Q_i K_iᵀ / √d + mask) V_i,   out = concat(head_1..head_h) W_oᵀ + b_o
///
/// `attend(query, key, value, mask:, isCausal:)` returns the output and the attention
/// weights averaged over heads (PyTorch's default `need_weights`, `average_attn_weights`);
/// `forward(x)` is self-attention, output only (so it sits in a `Sequential`).
/// Masks are additive float tensors (−inf forbids a position): `mask` [L, S] or
/// [N·heads, L, S], `keyPaddingMask` [N, S] (per batch element: padded keys);
/// `isCausal` adds the upper-triangular −inf mask.
public final class MultiheadAttention: Module {
  public let embedDim: Int
  public let numHeads: Int
  public let batchFirst: Bool
  public let hasBias: Bool
  /// Dropout on the attention weights (training only).
  public let dropout: Float
  let generator: Generator?

  public var inProjWeight: Tensor { ownParameters[0].tensor }
  public var inProjBias: Tensor? { hasBias ? ownParameters[1].tensor : nil }
  public var outProj: Linear { children[0].module as! Linear }

  public init(_ embedDim: Int, _ numHeads: Int, dropout: Float = 0, bias: Bool = true, batchFirst: Bool = false,
              generator: Generator? = nil) {
    precondition(embedDim > 0 && numHeads > 0 && embedDim % numHeads == 0,
                 "MultiheadAttention: embed_dim \(embedDim) must be a positive multiple of num_heads \(numHeads)")
    precondition(dropout >= 0 && dropout <= 1, "MultiheadAttention: dropout must be in [0, 1]")
    self.embedDim = embedDim
    self.numHeads = numHeads
    self.batchFirst = batchFirst
    self.hasBias = bias
    self.dropout = dropout
    self.generator = generator
    super.init()
    let g = generator ?? Tensor.defaultGenerator
    // PyTorch's _reset_parameters: Xavier-uniform in-projection, zero biases.
    register(parameter: "in_proj_weight", Tensor(Init.xavierUniform(3 * embedDim * embedDim, fanIn: embedDim, fanOut: 3 * embedDim, generator: g),
                                                 shape: [3 * embedDim, embedDim]))
    if bias { register(parameter: "in_proj_bias", Tensor.zeros([3 * embedDim])) }
    let out = Linear(embedDim, embedDim, bias: bias, generator: g)
    if let b = out.bias { Tensor.noGrad { _ = b.fill_(0) } }
    register(child: "out_proj", out)
  }

  public override func forward(_ x: Tensor) throws -> Tensor { try attend(x, x, x).output }

  /// Attention of `query` over `key`/`value`.
  ///
  /// - query [L, N, E], key and value [S, N, E] ([N, L, E] / [N, S, E] with batch_first), or unbatched [L, E], [S, E].
  /// - mask: additive float mask [L, S] or [N·num_heads, L, S].
  /// - keyPaddingMask: additive float mask [N, S] ([S] unbatched), −inf at padded keys.
  /// - Returns output shaped like query and weights [N, L, S] ([L, S] unbatched), averaged over heads.
  public func attend(_ query: Tensor, _ key: Tensor, _ value: Tensor, mask: Tensor? = nil, keyPaddingMask: Tensor? = nil,
                     isCausal: Bool = false)
    throws -> (output: Tensor, weights: Tensor) {
    let E = embedDim, H = numHeads, d = E / H
    for (name, t) in [("query", query), ("key", key), ("value", value)] {
      guard t.dtype == .float32, t.rank == query.rank, t.rank == 2 || t.rank == 3, t.shape[t.rank - 1] == E else {
        let layout = batchFirst ? "[N, L, \(E)]" : "[L, N, \(E)]"
        throw ShapeError("MultiheadAttention: \(name) must be a float tensor \(layout) or unbatched [L, \(E)] (all three of one rank), got \(t.dtype == .float32 ? "" : "\(t.dtype) ")\(ShapeText.format(t.shape))")
      }
    }
    let unbatched = query.rank == 2
    // To [N, L, E].
    func batchMajor(_ t: Tensor) -> Tensor { unbatched ? t.unsqueeze(0) : (batchFirst ? t : t.transpose(0, 1)) }
    let q0 = batchMajor(query), k0 = batchMajor(key), v0 = batchMajor(value)
    let N = q0.shape[0], L = q0.shape[1], S = k0.shape[1]
    guard k0.shape == v0.shape, k0.shape[0] == N else {
      throw ShapeError("MultiheadAttention: key \(ShapeText.format(key.shape)) and value \(ShapeText.format(value.shape)) must match, with the batch of query \(ShapeText.format(query.shape))")
    }
    guard L > 0, S > 0, N > 0 else { throw ShapeError("MultiheadAttention: empty sequence or batch") }
    let w = inProjWeight, b = inProjBias
    func project(_ t: Tensor, _ i: Int) -> Tensor { // [N, len, E] -> [N, H, len, d]
      let y = Tensor.linear(t.contiguous(), w.narrow(0, i * E, E), b?.narrow(0, i * E, E))
      return y.reshape([N, t.shape[1], H, d]).permute([0, 2, 1, 3])
    }
    let q = project(q0, 0), k = project(k0, 1), v = project(v0, 2)
    var scores = q.matmul(k.transpose(-1, -2)).mul(1 / Float(d).squareRoot()) // [N, H, L, S]
    if let mask {
      guard mask.dtype == .float32 else { throw ShapeError("MultiheadAttention: mask must be a float (additive) tensor, got \(mask.dtype)") }
      if mask.shape == [L, S] {
        scores = scores + mask
      } else if mask.shape == [N * H, L, S] {
        scores = scores + mask.reshape([N, H, L, S])
      } else {
        throw ShapeError("MultiheadAttention: mask must be [\(L), \(S)] or [\(N * H), \(L), \(S)] (L = target, S = source length), got \(ShapeText.format(mask.shape))")
      }
    }
    if let keyPaddingMask {
      let want = unbatched ? [S] : [N, S]
      guard keyPaddingMask.dtype == .float32, keyPaddingMask.shape == want else {
        throw ShapeError("MultiheadAttention: key_padding_mask must be a float (additive) tensor \(ShapeText.format(want)) (batch, source length), got \(keyPaddingMask.dtype == .float32 ? "" : "\(keyPaddingMask.dtype) ")\(ShapeText.format(keyPaddingMask.shape))")
      }
      scores = scores + keyPaddingMask.reshape([N, 1, 1, S])
    }
    if isCausal { scores = scores + MultiheadAttention.causalMask(L, S) }
    var attn = scores.softmax(-1)
    if dropout > 0, training { attn = attn.dropout(dropout, training: true, generator: generator) }
    let heads = attn.matmul(v) // [N, H, L, d]
    let merged = heads.permute([0, 2, 1, 3]).reshape([N, L, E])
    var out = try outProj(merged)
    var weights = attn.mean(1) // [N, L, S]
    if unbatched {
      out = out.squeeze(0)
      weights = weights.squeeze(0)
    } else if !batchFirst {
      out = out.transpose(0, 1).contiguous()
    }
    return (out, weights)
  }

  /// [L, S]: 0 on and below the diagonal, −inf above (position i sees positions ≤ i).
  public static func causalMask(_ L: Int, _ S: Int) -> Tensor {
    var v = [Float](repeating: 0, count: L * S)
    for i in 0..<L { for j in 0..<S where j > i { v[i * S + j] = -.infinity } }
    return Tensor(v, shape: [L, S])
  }

  public override var summary: String {
    "\(embedDim), \(numHeads) heads" + (batchFirst ? ", batch_first" : "") + (hasBias ? "" : ", no bias") + (dropout > 0 ? ", dropout \(dropout)" : "")
  }
  public override var arguments: [String: JSON] {
    ["embed_dim": JSON(embedDim), "num_heads": JSON(numHeads), "batch_first": .bool(batchFirst), "bias": .bool(hasBias),
     "dropout": .number(Double(dropout))]
  }
}
