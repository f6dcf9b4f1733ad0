import LyraTensor

/// Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", ICLR), with
/// the AMSGrad variant (Reddi, Kale & Kumar 2018, "On the Convergence of Adam and Beyond")
/// and L2 weight decay added to the gradient, exactly as `torch.optim.Adam`.
///
/// Weight decay here is L2 regularisation: it passes through the adaptive scaling, so
/// parameters with large gradient variance are decayed less. Use `AdamW` for decay that
/// does not (usually what is wanted). The update is written out in `AdamBuffers`.
public final class Adam: AdamFamily {
  public init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
              weightDecay: Double = 0, amsgrad: Bool = false) {
    super.init(name: "Adam", decoupled: false, params, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad)
  }
}
