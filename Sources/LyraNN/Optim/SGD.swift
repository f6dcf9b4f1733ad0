import LyraKernels
import LyraTensor

/// Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight
/// decay, exactly as `torch.optim.SGD`:
///
///     g ← ∇w + wd·w
///     v ← g (first step),  v ← μ·v + (1 − dampening)·g (after)
///     g ← g + μ·v (Nesterov)   or   g ← v
///     w ← w − lr·g
///
/// This is PyTorch's form of momentum (Sutskever et al. 2013 with lr outside the buffer),
/// not the "v = μv − lr·g" form: a learning-rate change does not rescale the buffer, and
/// the reference models (docs/architecture.md#reference-models-and-benchmark-problems) are trained with it.
public final class SGD: Optimizer {
  public let name = "SGD"
  public let params: [Tensor]
  public var lr: Double
  public var momentum: Double
  public var dampening: Double
  public var weightDecay: Double
  public var nesterov: Bool
  /// Momentum buffers, created on a parameter's first step with a gradient.
  var momentumBuffers: [Tensor?]

  public init(_ params: [Tensor], lr: Double, momentum: Double = 0, dampening: Double = 0,
              weightDecay: Double = 0, nesterov: Bool = false) {
    OptimizerChecks.checkParams(params, "SGD")
    OptimizerChecks.mustPass {
      try SGD.validate(lr: lr, momentum: momentum, dampening: dampening, weightDecay: weightDecay, nesterov: nesterov)
    }
    self.params = params
    self.lr = lr
    self.momentum = momentum
    self.dampening = dampening
    self.weightDecay = weightDecay
    self.nesterov = nesterov
    self.momentumBuffers = Array(repeating: nil, count: params.count)
  }

  /// PyTorch's constructor checks, as thrown errors (a config gets a message, not a crash).
  static func validate(lr: Double, momentum: Double, dampening: Double, weightDecay: Double, nesterov: Bool) throws {
    try OptimizerChecks.require(lr >= 0, "SGD: invalid learning rate \(lr) (must be >= 0)")
    try OptimizerChecks.require(momentum >= 0, "SGD: invalid momentum \(momentum) (must be >= 0)")
    try OptimizerChecks.require(weightDecay >= 0, "SGD: invalid weight_decay \(weightDecay) (must be >= 0)")
    try OptimizerChecks.require(!nesterov || (momentum > 0 && dampening == 0),
                                "SGD: nesterov momentum requires momentum > 0 and zero dampening")
  }

  public var hyperparameters: [String: Double] {
    ["lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weightDecay, "nesterov": nesterov ? 1 : 0]
  }

  public func step() {
    // Float hyper-parameters, as PyTorch casts a Python float `alpha` for float32 tensors.
    let negLr = Float(-lr), wd = Float(weightDecay), mu = Float(momentum)
    let keep = Float(1 - dampening), useWd = weightDecay != 0, nest = nesterov
    for (k, p) in params.enumerated() {
      guard let grad = OptimizerChecks.gradient(of: p, "SGD.step") else { continue }
      let n = p.count, w = p.data, g = UnsafePointer(grad.data)
      if momentum == 0 {
        if useWd {
          for i in 0..<n { w[i] += negLr * (g[i] + wd * w[i]) }
        } else {
          for i in 0..<n { w[i] += negLr * g[i] }
        }
        continue
      }
      let first = momentumBuffers[k] == nil
      if first { momentumBuffers[k] = Tensor.empty(p.shape) }
      // One fused pass in C: decay, buffer update, (Nesterov) look-ahead, parameter update.
      OptimizerKernels.sgdMomentum(w: w, g: g, v: momentumBuffers[k]!.data, count: n, negLr: negLr,
                                   weightDecay: useWd ? wd : 0, momentum: mu, keep: keep, nesterov: nest, first: first)
    }
  }

  public func stateDict() -> OptimizerState {
    var s = OptimizerState(optimizer: name, hyperparameters: hyperparameters)
    for (k, b) in momentumBuffers.enumerated() { if let b { s.buffers["\(k).momentum_buffer"] = b.optimValues } }
    return s
  }

  public func loadStateDict(_ state: OptimizerState) throws {
    try state.validate(for: name, paramCount: params.count, bufferNames: ["momentum_buffer"],
                       hyper: Set(hyperparameters.keys))
    let h = state.hyperparameters
    let (nlr, nmu, ndamp, nwd) = (h["lr"] ?? lr, h["momentum"] ?? momentum, h["dampening"] ?? dampening, h["weight_decay"] ?? weightDecay)
    let nnest = h["nesterov"].map { $0 != 0 } ?? nesterov
    try SGD.validate(lr: nlr, momentum: nmu, dampening: ndamp, weightDecay: nwd, nesterov: nnest)
    var bufs: [Tensor?] = []
    for (k, p) in params.enumerated() {
      bufs.append(try state.buffer(k, "momentum_buffer", count: p.count).map { Tensor.optimBuffer($0, like: p) })
    }
    (lr, momentum, dampening, weightDecay, nesterov) = (nlr, nmu, ndamp, nwd, nnest)
    momentumBuffers = bufs
  }
}
