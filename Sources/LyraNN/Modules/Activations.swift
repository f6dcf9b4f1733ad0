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
