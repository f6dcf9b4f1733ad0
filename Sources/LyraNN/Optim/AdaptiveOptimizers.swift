import LyraTensor

/// `Optimizers.make` for RMSprop, Adagrad and Adadelta: their option keys (PyTorch's)
/// and defaults, kept here so the SGD/Adam factory stays as it was.
extension Optimizers {
  static let adaptiveOptionKeys: [String: [String]] = [
    "RMSprop": ["alpha", "centered", "eps", "lr", "momentum", "weight_decay"],
    "Adagrad": ["eps", "initial_accumulator_value", "lr", "lr_decay", "weight_decay"],
    "Adadelta": ["eps", "lr", "rho", "weight_decay"],
  ]

  /// The optimiser `kind` built from `o`, or nil when `kind` is not one of these.
  static func makeAdaptive(_ kind: String, _ params: [Tensor], _ o: Reader) throws -> Optimizer? {
    switch kind {
    case "RMSprop":
      let lr = try o.number("lr", 1e-2), alpha = try o.number("alpha", 0.99), eps = try o.number("eps", 1e-8)
      let wd = try o.number("weight_decay", 0), mu = try o.number("momentum", 0)
      try RMSprop.validate(lr: lr, alpha: alpha, eps: eps, weightDecay: wd, momentum: mu)
      return RMSprop(params, lr: lr, alpha: alpha, eps: eps, weightDecay: wd, momentum: mu, centered: try o.flag("centered", false))
    case "Adagrad":
      let lr = try o.number("lr", 1e-2), decay = try o.number("lr_decay", 0), wd = try o.number("weight_decay", 0)
      let initial = try o.number("initial_accumulator_value", 0), eps = try o.number("eps", 1e-10)
      try Adagrad.validate(lr: lr, lrDecay: decay, weightDecay: wd, initial: initial, eps: eps)
      return Adagrad(params, lr: lr, lrDecay: decay, weightDecay: wd, initialAccumulatorValue: initial, eps: eps)
    case "Adadelta":
      let lr = try o.number("lr", 1), rho = try o.number("rho", 0.9), eps = try o.number("eps", 1e-6), wd = try o.number("weight_decay", 0)
      try Adadelta.validate(lr: lr, rho: rho, eps: eps, weightDecay: wd)
      return Adadelta(params, lr: lr, rho: rho, eps: eps, weightDecay: wd)
    default:
      return nil
    }
  }
}
