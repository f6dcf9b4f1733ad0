import LyraTensor

/// What Adam and AdamW share: hyperparameters, the per-parameter moment buffers, state
/// save/restore. They differ only in how weight decay enters the update (`decoupled`),
/// which `AdamBuffers.step` writes out once for both.
public class AdamFamily: Optimizer {
  public let name: String
  let decoupled: Bool
  public let params: [Tensor]
  public var lr: Double
  public var betas: (Double, Double)
  public var eps: Double
  public var weightDecay: Double
  public var amsgrad: Bool
  var buffers: AdamBuffers

  init(name: String, decoupled: Bool, _ params: [Tensor], lr: Double, betas: (Double, Double), eps: Double,
       weightDecay: Double, amsgrad: Bool) {
    OptimizerChecks.checkParams(params, name)
    OptimizerChecks.mustPass {
      try AdamBuffers.validate(name, lr: lr, beta1: betas.0, beta2: betas.1, eps: eps, weightDecay: weightDecay)
    }
    self.name = name
    self.decoupled = decoupled
    self.params = params
    self.lr = lr
    self.betas = betas
    self.eps = eps
    self.weightDecay = weightDecay
    self.amsgrad = amsgrad
    self.buffers = AdamBuffers(count: params.count)
  }

  public var hyperparameters: [String: Double] {
    ["lr": lr, "beta1": betas.0, "beta2": betas.1, "eps": eps, "weight_decay": weightDecay, "amsgrad": amsgrad ? 1 : 0]
  }

  public func step() {
    buffers.step(params, who: name, lr: lr, beta1: betas.0, beta2: betas.1, eps: eps,
                 weightDecay: weightDecay, amsgrad: amsgrad, decoupled: decoupled)
  }

  public func stateDict() -> OptimizerState {
    var s = OptimizerState(optimizer: name, hyperparameters: hyperparameters)
    buffers.save(into: &s)
    return s
  }

  public func loadStateDict(_ state: OptimizerState) throws {
    try state.validate(for: name, paramCount: params.count, bufferNames: AdamBuffers.bufferNames,
                       hyper: Set(hyperparameters.keys))
    let h = state.hyperparameters
    let nlr = h["lr"] ?? lr, nb = (h["beta1"] ?? betas.0, h["beta2"] ?? betas.1)
    let neps = h["eps"] ?? eps, nwd = h["weight_decay"] ?? weightDecay
    let nams = h["amsgrad"].map { $0 != 0 } ?? amsgrad
    try AdamBuffers.validate(name, lr: nlr, beta1: nb.0, beta2: nb.1, eps: neps, weightDecay: nwd)
    let loaded = try AdamBuffers.load(state, params: params)
    (lr, betas, eps, weightDecay, amsgrad) = (nlr, nb, neps, nwd, nams)
    buffers = loaded
  }
}
