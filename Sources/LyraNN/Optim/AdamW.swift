import LyraTensor

/// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019, "Decoupled Weight
/// Decay Regularization", ICLR), exactly as `torch.optim.AdamW`: before the Adam update
/// (Kingma & Ba 2015) the weights shrink by w ← w·(1 − lr·wd), outside the adaptive
/// scaling, so every weight decays at the same relative rate. Default wd 0.01 as PyTorch.
/// The decay scales with `lr`, so an `LRSchedule` anneals it along with the rate.
public final class AdamW: AdamFamily {
  public init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
              weightDecay: Double = 0.01, amsgrad: Bool = false) {
    super.init(name: "AdamW", decoupled: true, params, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad)
  }
}
