import LyraBase
import LyraNN
import LyraTensor

/// DARTS' bilevel optimisation (the paper's Algorithm 1): alternately one step of the
/// architecture weights α on a validation batch (Adam; VEGA's defaults lr 3e-4, betas
/// (0.5, 0.999), weight decay 1e-3) and one step of the network weights w on a training
/// batch (SGD with momentum, cosine-annealed per epoch, gradient norm clipped).
///
/// First order (`unrolled: false`) takes ∇α L_val(w, α). Second order (`unrolled: true`)
/// takes the gradient of L_val at the one-step-unrolled weights w' = w − ξ∇w L_train(w, α)
/// (ξ the current weight learning rate; the paper's eq. 6), which is
///   ∇α L_val(w', α) − ξ ∇²α,w L_train(w, α) ∇w' L_val(w', α)        (eq. 7)
/// with the Hessian-vector product by central differences (eq. 8):
///   (∇α L_train(w⁺, α) − ∇α L_train(w⁻, α)) / 2ε,  w± = w ± ε∇w' L_val,  ε = 0.01/‖∇w' L_val‖.
/// The unrolled step here is plain gradient descent with weight decay (the DARTS code also
/// adds the momentum buffer; Lyra's SGD keeps it private, and the paper's eq. 6 has none).
///
/// Works on any model with architecture tensors: `DartsSupernet` (model and `alphas`), or
/// a custom one; `loss` maps (output, target) to a scalar (cross-entropy by default).
public final class DartsSearch {
  public struct Options: Equatable {
    public var epochs = 50
    public var lr = 0.025
    public var lrMin = 0.001
    public var momentum = 0.9
    public var weightDecay = 3e-4
    public var gradClip = 5.0
    public var archLR = 3e-4
    public var archBeta1 = 0.5
    public var archBeta2 = 0.999
    public var archWeightDecay = 1e-3
    public var unrolled = false
    public init() {}
  }

  public let model: Module
  public let alphas: [Tensor]
  public let options: Options
  public let loss: (Tensor, Tensor) -> Tensor
  public let weightOptimizer: SGD
  /// The α side: Adam and the first- or second-order gradient.
  public let architect: DartsArchitect
  public var archOptimizer: Adam { architect.optimizer }
  let schedule: LRSchedule
  /// softmax(α) of every α tensor after each finished epoch: [epoch][tensor][edge][op].
  public private(set) var trajectory: [[[[Float]]]] = []
  /// The weights' parameters (everything the model trains except α).
  public var weights: [Tensor] { weightOptimizer.params }

  public init(model: Module, alphas: [Tensor], options: Options = Options(),
              loss: @escaping (Tensor, Tensor) -> Tensor = { Tensor.crossEntropy($0, $1) }) throws {
    guard options.epochs >= 1, options.lr >= 0, options.lrMin >= 0, options.momentum >= 0, options.weightDecay >= 0,
          options.gradClip > 0, options.archLR >= 0, (0..<1).contains(options.archBeta1), (0..<1).contains(options.archBeta2),
          options.archWeightDecay >= 0 else {
      throw DescriptionError("DartsSearch: epochs ≥ 1, rates, momentum and decays ≥ 0, grad_clip > 0 and betas in [0, 1) are needed, got \(options)")
    }
    let ids = Set(alphas.map(ObjectIdentifier.init))
    let w = model.parameters().filter { !ids.contains(ObjectIdentifier($0)) }
    guard !w.isEmpty, !alphas.isEmpty else { throw DescriptionError("DartsSearch: the model needs weights and α tensors") }
    self.model = model
    self.alphas = alphas
    self.options = options
    self.loss = loss
    weightOptimizer = SGD(w, lr: options.lr, momentum: options.momentum, weightDecay: options.weightDecay)
    architect = DartsArchitect(model: model, alphas: alphas, weights: w, unrolled: options.unrolled,
                               optimizer: Adam(alphas, lr: options.archLR, betas: (options.archBeta1, options.archBeta2),
                                               weightDecay: options.archWeightDecay), loss: loss)
    schedule = LRSchedule(optimizer: weightOptimizer, scheduler: CosineAnnealingLR(tMax: options.epochs, etaMin: options.lrMin))
  }

  /// One α step on the validation batch, then one weight step on the training batch.
  /// Returns the training loss (before the weight step).
  @discardableResult
  public func step(train: (Tensor, Tensor), valid: (Tensor, Tensor)) throws -> Float {
    try archStep(train: train, valid: valid)
    return try weightStep(train)
  }

  /// One Adam step of α (first or second order, as `options.unrolled`), ξ the current weight rate.
  public func archStep(train: (Tensor, Tensor), valid: (Tensor, Tensor)) throws {
    try architect.step(train: train, valid: valid, xi: Float(weightOptimizer.lr), weightDecay: Float(options.weightDecay))
  }

  /// One SGD step of the weights on `batch`, gradient norm clipped.
  @discardableResult
  public func weightStep(_ batch: (Tensor, Tensor)) throws -> Float {
    zeroAll()
    let l = loss(try model(batch.0), batch.1)
    l.backward()
    _ = clipGradNorm(weights, maxNorm: options.gradClip)
    weightOptimizer.step()
    zeroAll()
    return l.item()
  }

  /// Ends an epoch: records softmax(α) and advances the cosine schedule.
  public func endEpoch() {
    trajectory.append(alphas.map { a in
      let w = a.detach().softmax(-1)
      let cols = a.shape.last ?? 1
      let v = w.toArray()
      return stride(from: 0, to: v.count, by: cols).map { Array(v[$0..<$0 + cols]) }
    })
    schedule.step()
  }

  /// The gradients of the loss on `batch` with respect to `targets` (zeros where none reached).
  public func gradients(of targets: [Tensor], _ batch: (Tensor, Tensor)) throws -> [Tensor] {
    try architect.gradients(of: targets, batch)
  }

  /// The second-order architecture gradient at the current weight rate (eq. 7 with eq. 8).
  public func unrolledGradient(train: (Tensor, Tensor), valid: (Tensor, Tensor)) throws -> [Tensor] {
    try architect.unrolledGradient(train: train, valid: valid, xi: Float(weightOptimizer.lr), weightDecay: Float(options.weightDecay))
  }

  func zeroAll() { architect.zeroAll() }
}
