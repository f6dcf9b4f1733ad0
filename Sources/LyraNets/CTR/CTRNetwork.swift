import LyraBase
import LyraNN
import LyraTensor

/// A CTR model over field ids [N, F] (global ids into one table, as `CTRDataset` and
/// VEGA's `input_dim`/`input_dim4lookup` lay them out), returning logits [N, 1]:
///
/// - LR:        bias + Σ_f w[x_f]
/// - FM:        LR + Σ_{i<j} ⟨e_i, e_j⟩                          (Rendle 2010)
/// - DeepFM:    FM + MLP(concat e)                               (Guo et al. 2017; VEGA's DeepFactorizationMachineModel)
/// - AutoGate:  LR + Σ_{(i,j) ∈ pairs} act(α_ij)·BN(⟨e_i, e_j⟩) + MLP  (AutoFIS, Liu et al. KDD 2020; VEGA's AutoGateModel)
///
/// The tables `embedding` and `linear` are `SparseEmbedding`s (stepped by `LazyAdam`, see
/// `CTRSteps`); the gates α are a dense parameter, or, when `gatesOwnedByGRDA`, a forward
/// uses a leaf copy of them so the dense optimiser skips α and `CTRSteps` hands the
/// copy's gradient to GRDA. The batch norm over pair products (no affine, as VEGA's
/// NormalizedWeightedFMLayer) is why a gate's size means something: without it an
/// embedding could grow to undo a gate shrinking to 0.
public final class CTRNetwork: Module {
  public enum Kind: String, CaseIterable { case lr = "LR", fm = "FM", deepFM = "DeepFM", autoGate = "AutoGate" }
  public let kind: Kind
  public let inputDim: Int, fields: Int, embedDim: Int
  /// The interactions the gated layer uses (AutoGate); all pairs for FM/DeepFM.
  public let pairs: [(Int, Int)]
  public let embedding: SparseEmbedding
  public let linear: SparseEmbedding
  public let mlp: Sequential?
  public let pairNorm: BatchNorm1d?
  public let useTanh: Bool
  /// What it was built with (a rebuild over other pairs, `arguments`).
  public let options: Options
  /// Whether GRDA (not the dense optimiser) steps the gates.
  public var gatesOwnedByGRDA = false
  private var gateCopy: Tensor?
  private let fm = FactorizationMachine()

  public struct Options {
    public var hiddenDims: [Int] = []
    public var dropout = 0.0
    public var layerNorm = false
    public var batchNorm = false
    public var alphaInitMean = 0.0
    public var alphaInitRadius = 1e-4
    public var alphaActivation = "tanh"
    /// The gated pairs; nil or [] (VEGA's default) mean all of them unless `emptyMeansNone`.
    public var selectedPairs: [(Int, Int)]?
    /// An empty `selectedPairs` means no interaction (AutoFIS kept none), not all.
    public var emptyMeansNone = false
    /// VEGA's `fis_ratio`: the fraction of pairs AutoFIS keeps at most (read by its callbacks).
    public var fisRatio: Double?
    public init() {}
  }

  public init(_ kind: Kind, inputDim: Int, fields: Int, embedDim: Int, options o: Options = Options(), generator: Generator? = nil) throws {
    guard inputDim > 0, fields > 0, embedDim > 0 else {
      throw DescriptionError("\(kind.rawValue): input_dim, input_dim4lookup and embed_dim must be positive")
    }
    guard o.alphaActivation == "tanh" || o.alphaActivation == "identity" else {
      throw DescriptionError("\(kind.rawValue).alpha_activation: expected tanh or identity, got '\(o.alphaActivation)'")
    }
    self.kind = kind
    self.options = o
    self.inputDim = inputDim
    self.fields = fields
    self.embedDim = embedDim
    let g = generator ?? Tensor.defaultGenerator
    embedding = try SparseEmbedding(inputDim, embedDim, std: 0.01, generator: g)
    linear = try SparseEmbedding(inputDim, 1, std: 0.01, generator: g)
    let all = CTRPairsList.all(fields)
    if let s = o.selectedPairs {
      for (i, j) in s where !(0 <= i && i < j && j < fields) {
        throw DescriptionError("\(kind.rawValue).selected_pairs: (\(i), \(j)) is not a pair i < j of \(fields) fields")
      }
    }
    pairs = kind == .autoGate ? (o.selectedPairs.map { $0.isEmpty && !o.emptyMeansNone ? all : $0 } ?? all) : all
    useTanh = o.alphaActivation == "tanh"
    if (kind == .deepFM || kind == .autoGate) && !o.hiddenDims.isEmpty || kind == .deepFM {
      var layers: [Module] = [], width = fields * embedDim
      for h in o.hiddenDims {
        layers.append(Linear(width, h, generator: g))
        if o.batchNorm { layers.append(BatchNorm1d(h)) }
        if o.layerNorm { layers.append(LayerNorm([h])) }
        layers.append(ReLU())
        if o.dropout > 0 { layers.append(Dropout(Float(o.dropout))) }
        width = h
      }
      layers.append(Linear(width, 1, generator: g))
      mlp = Sequential(layers)
    } else { mlp = nil }
    pairNorm = kind == .autoGate && !pairs.isEmpty ? BatchNorm1d(pairs.count, eps: 1e-3, momentum: 0.01, affine: false) : nil
    super.init()
    register(child: "embedding", embedding)
    register(child: "linear", linear)
    register(parameter: "bias", Tensor([0], shape: [1]))
    if kind == .autoGate && !pairs.isEmpty {
      let a = (0..<pairs.count).map { _ in Float(o.alphaInitMean + o.alphaInitRadius * (2 * g.nextDouble() - 1)) }
      register(parameter: "alpha", Tensor(a, shape: [pairs.count]))
      if let pairNorm { register(child: "pair_norm", pairNorm) }
    }
    if let mlp { register(child: "mlp", mlp) }
  }

  /// The gates α (AutoGate), nil otherwise.
  public var alpha: Tensor? { namedParameters().first { $0.name == "alpha" }?.tensor }

  public override func forward(_ x: Tensor) throws -> Tensor {
    guard x.rank == 2, x.shape[1] == fields else {
      throw ShapeError("\(kind.rawValue): expected field ids [N, \(fields)], got \(x.shape)")
    }
    let n = x.shape[0]
    var out = try linear(x).sum(1).add(ownParameters[0].tensor)  // [N, 1] (ownParameters[0] is the bias)
    if kind == .lr { return out }
    let e = try embedding(x)  // [N, F, D]
    switch kind {
    case .fm, .deepFM: out = out.add(try fm(e))
    case .autoGate:
      if !pairs.isEmpty {
        let i = Tensor(indices: pairs.map(\.0)), j = Tensor(indices: pairs.map(\.1))
        let prod = e.indexSelect(1, i).mul(e.indexSelect(1, j)).sum(2)  // [N, P]
        let normed = try pairNorm!(prod)
        var a = alpha!
        if gatesOwnedByGRDA && training && Tensor.isGradEnabled {
          a = a.detach().clone().requiresGrad_()
          gateCopy = a
        }
        let gate = useTanh ? a.tanh() : a
        out = out.add(normed.mul(gate.reshape([1, pairs.count])).sum(1, keepdim: true))
      }
    case .lr: break
    }
    if let mlp { out = out.add(try mlp(e.reshape([n, fields * embedDim]))) }
    return out
  }

  /// Moves the gradient of the gates' leaf copy onto α (for GRDA); false when none.
  @discardableResult public func moveGateGradient() -> Bool {
    guard let c = gateCopy, let a = alpha else { return false }
    gateCopy = nil
    guard let g = c.grad else { return false }
    a.grad = g
    return true
  }

  /// The pairs whose gate is not exactly 0, with their gate values, in pair order.
  public func keptPairs() -> [(pair: (Int, Int), alpha: Float)] {
    guard let a = alpha?.toArray() else { return pairs.map { ($0, 1) } }
    return zip(pairs, a).filter { $0.1 != 0 }.map { ($0.0, $0.1) }
  }

  public override var arguments: [String: JSON] {
    var a: [String: JSON] = ["input_dim": JSON(inputDim), "input_dim4lookup": JSON(fields)]
    if kind != .lr { a["embed_dim"] = JSON(embedDim) }
    if mlp != nil {
      a["hidden_dims"] = .array(options.hiddenDims.map { JSON($0) })
      a["dropout_prob"] = .number(options.dropout)
      a["batch_norm"] = .bool(options.batchNorm)
      a["layer_norm"] = .bool(options.layerNorm)
    }
    if kind == .autoGate {
      a["alpha_init_mean"] = .number(options.alphaInitMean)
      a["alpha_init_radius"] = .number(options.alphaInitRadius)
      a["alpha_activation"] = .string(options.alphaActivation)
      a["selected_pairs"] = .array(pairs.map { .array([JSON($0.0), JSON($0.1)]) })
      if pairs.isEmpty { a["no_pairs"] = .bool(true) }
      if let r = options.fisRatio { a["fis_ratio"] = .number(r) }
    }
    return a
  }

  public override var typeName: String { CTRNetwork.typeNames[kind]! }

  /// The network types (VEGA's names where VEGA has the model).
  public static let typeNames: [Kind: String] = [.autoGate: "AutoGateModel", .deepFM: "DeepFactorizationMachineModel",
                                                  .fm: "FactorizationMachineModel", .lr: "LogisticRegressionModel"]
  public override var summary: String { "\(kind.rawValue), \(inputDim) ids, \(fields) fields, \(pairs.count) pairs" }
}

/// The pairs (i < j) of F fields in order (0,1), (0,2), ..., (F-2, F-1).
public enum CTRPairsList {
  public static func all(_ fields: Int) -> [(Int, Int)] {
    var p: [(Int, Int)] = []
    for i in 0..<fields { for j in (i + 1)..<max(i + 1, fields) { p.append((i, j)) } }
    return p
  }
}
