import LyraBase
import LyraNN
import LyraTensor

/// The α half of DARTS' bilevel step, apart from whoever steps the weights (`DartsSearch`
/// in Lua and Swift loops, the pipeline trainer with `DartsTrainerCallback`): one Adam step
/// of α on a validation batch, first order (∇α L_val(w, α)) or second order (the gradient at
/// the one-step-unrolled weights, eq. 7, with eq. 8's finite-difference Hessian-vector
/// product; `DartsSearch` explains it).
public final class DartsArchitect {
  public let model: Module
  public let alphas: [Tensor]
  public let weights: [Tensor]
  public let unrolled: Bool
  public let optimizer: Adam
  public let loss: (Tensor, Tensor) throws -> Tensor

  public init(model: Module, alphas: [Tensor], weights: [Tensor], unrolled: Bool, optimizer: Adam,
              loss: @escaping (Tensor, Tensor) throws -> Tensor) {
    self.model = model
    self.alphas = alphas
    self.weights = weights
    self.unrolled = unrolled
    self.optimizer = optimizer
    self.loss = loss
  }

  /// One α step; `xi` is the weights' current learning rate and `weightDecay` theirs (the
  /// unrolled step uses both). Leaves every gradient cleared.
  public func step(train: (Tensor, Tensor), valid: (Tensor, Tensor), xi: Float, weightDecay: Float) throws {
    let g = unrolled ? try unrolledGradient(train: train, valid: valid, xi: xi, weightDecay: weightDecay)
                     : try gradients(of: alphas, valid)
    for (a, d) in zip(alphas, g) { a.grad = d }
    optimizer.step()
    for a in alphas { a.zeroGrad() }
  }

  /// The gradients of the loss on `batch` with respect to `targets` (zeros where none reached).
  public func gradients(of targets: [Tensor], _ batch: (Tensor, Tensor)) throws -> [Tensor] {
    zeroAll()
    try loss(try model(batch.0), batch.1).backward()
    let g = targets.map { $0.grad?.clone() ?? Tensor.zerosLike($0) }
    zeroAll()
    return g
  }

  /// ∇α L_val(w', α) − ξ (∇α L_train(w⁺, α) − ∇α L_train(w⁻, α)) / 2ε, w' = w − ξ(∇w L_train + wd·w),
  /// w± = w ± ε∇w' L_val, ε = 0.01/‖∇w' L_val‖. The weights are restored afterwards.
  public func unrolledGradient(train: (Tensor, Tensor), valid: (Tensor, Tensor), xi: Float, weightDecay wd: Float) throws -> [Tensor] {
    let w = weights
    let saved = w.map { $0.detach().clone() }
    defer { Tensor.noGrad { for (p, s) in zip(w, saved) { _ = p.copy_(s) } } }
    let dw = try gradients(of: w, train)
    Tensor.noGrad { for (p, (g, s)) in zip(w, zip(dw, saved)) { _ = p.copy_(s - (g + s * wd) * xi) } }
    let gv = try gradients(of: alphas + w, valid)
    let dAlpha = Array(gv[..<alphas.count]), dwPrime = Array(gv[alphas.count...])
    let norm = dwPrime.reduce(Float(0)) { $0 + $1.square().sum().item() }.squareRoot()
    guard norm > 0, norm.isFinite else { return dAlpha }
    let eps = 0.01 / norm
    func alphaGrad(at sign: Float) throws -> [Tensor] {
      Tensor.noGrad { for (p, (s, v)) in zip(w, zip(saved, dwPrime)) { _ = p.copy_(s + v * (sign * eps)) } }
      return try gradients(of: alphas, train)
    }
    let plus = try alphaGrad(at: 1), minus = try alphaGrad(at: -1)
    return (0..<alphas.count).map { k in dAlpha[k] - (plus[k] - minus[k]) * (xi / (2 * eps)) }
  }

  func zeroAll() {
    for p in weights { p.zeroGrad() }
    for a in alphas { a.zeroGrad() }
  }
}
