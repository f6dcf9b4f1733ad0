import LyraTensor

/// Element-wise activations: stateless modules, one line of forward each.
public final class ReLU: Module {
  public override func forward(_ x: Tensor) throws -> Tensor { x.relu() }
}

public final class ReLU6: Module {
  public override func forward(_ x: Tensor) throws -> Tensor { x.relu6() }
}

public final class LeakyReLU: Module {
  public let slope: Float
  public init(_ slope: Float = 0.01) {
    self.slope = slope
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor { x.leakyRelu(slope) }
  public override var summary: String { "\(slope)" }
  public override var arguments: [String: JSON] { ["negative_slope": .number(Double(slope))] }
}

public final class GELU: Module {
  public override func forward(_ x: Tensor) throws -> Tensor { x.gelu() }
}

public final class Sigmoid: Module {
  public override func forward(_ x: Tensor) throws -> Tensor { x.sigmoid() }
}

public final class Tanh: Module {
  public override func forward(_ x: Tensor) throws -> Tensor { x.tanh() }
}

public final class SiLU: Module {
  public override func forward(_ x: Tensor) throws -> Tensor { x.silu() }
}

public final class Hardswish: Module {
  public override func forward(_ x: Tensor) throws -> Tensor { x.hardswish() }
}

/// x if x > 0 else α (eˣ − 1). Composed from taped ops: relu(x) + α (exp(min(x, 0)) − 1),
/// whose gradient is 1 above zero and α eˣ below (clamp passes no gradient above its max).
public final class ELU: Module {
  public let alpha: Float
  public init(alpha: Float = 1) {
    self.alpha = alpha
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    x.relu().add(x.clamp(max: 0).exp().sub(1).mul(alpha))
  }
  public override var summary: String { "alpha = \(alpha)" }
  public override var arguments: [String: JSON] { ["alpha": .number(Double(alpha))] }
}

/// log(1 + e^(βx)) / β, and x itself where βx > threshold (PyTorch's rule: there the two
/// agree to Float precision and the linear branch cannot overflow).
public final class Softplus: Module {
  public let beta: Float, threshold: Float
  public init(beta: Float = 1, threshold: Float = 20) {
    self.beta = beta
    self.threshold = threshold
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    let bx = x.mul(beta)
    let linear = Tensor.noGrad { bx.detach().gt(threshold) } // 0/1, constant
    let smooth = bx.softplus().div(beta)
    return x.mul(linear).add(smooth.mul(linear.rsub(1)))
  }
  public override var summary: String { "beta = \(beta), threshold = \(threshold)" }
  public override var arguments: [String: JSON] { ["beta": .number(Double(beta)), "threshold": .number(Double(threshold))] }
}

/// x clamped to [min_val, max_val] (gradient 1 inside, 0 outside).
public final class Hardtanh: Module {
  public let minValue: Float, maxValue: Float
  public init(min: Float = -1, max: Float = 1) {
    self.minValue = min
    self.maxValue = max
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor { x.clamp(min: minValue, max: maxValue) }
  public override var summary: String { "\(minValue), \(maxValue)" }
  public override var arguments: [String: JSON] { ["min_val": .number(Double(minValue)), "max_val": .number(Double(maxValue))] }
}
