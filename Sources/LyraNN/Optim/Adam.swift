import LyraTensor

/// Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", ICLR), with
/// the AMSGrad variant (Reddi, Kale & Kumar 2018, "On the Convergence of Adam and Beyond")
/// and L2 weight decay added to the gradient, exactly as `torch.optim.Adam`.
///
/// Weight decay here is L2 regularisation: it passes through the adaptive scaling, so
/// parameters with large gradient variance are decayed less. Use `AdamW` for decay that
/// does not (usually what is wanted). The update is written out in `AdamBuffers`.
public final class Adam: Optimizer {
  public let name = "Adam"
  public let params: [Tensor]
  public var lr: Double
  public var betas: (Double, Double)
  public var eps: Double
  public var weightDecay: Double
  public var amsgrad: Bool
  var buffers: AdamBuffers

  public init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
              weightDecay: Double = 0, amsgrad: Bool = false) {
    OptimizerChecks.checkParams(params, "Adam")
    OptimizerChecks.mustPass {
      try AdamBuffers.validate("Adam", lr: lr, beta1: betas.0, beta2: betas.1, eps: eps, weightDecay: weightDecay)
    }
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
                 weightDecay: weightDecay, amsgrad: amsgrad, decoupled: false)
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
