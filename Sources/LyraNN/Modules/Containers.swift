import LyraBase
import LyraTensor

/// Modules applied in order (`Sequential():add(a):add(b)` in Torch7).
public final class Sequential: Module, ContainerModule {
  public init(_ modules: [Module] = []) {
    super.init()
    for m in modules { add(m) }
  }

  /// Appends a module named by its position; returns self so calls chain.
  @discardableResult
  public func add(_ m: Module) -> Sequential {
    register(child: String(children.count), m)
    return self
  }

  /// Appends a module under a chosen name (`features.conv1`).
  @discardableResult
  public func add(_ name: String, _ m: Module) -> Sequential {
    precondition(!name.isEmpty && !name.contains("."), "Sequential.add: a child name must be non-empty and without dots, got '\(name)'")
    register(child: name, m)
    return self
  }

  public var count: Int { children.count }
  public subscript(i: Int) -> Module { children[i].module }

  /// Whether `forward` runs common patterns as fused ops (same results, fewer sweeps):
  /// BN → ReLU and Add → ReLU as one op, and in inference without gradients conv → BN
  /// (→ ReLU) with BN folded into the convolution (into the integer epilogue for a quantised
  /// convolution on integer kernels, `IntegerInference`). Off while a `ModuleTracer` records
  /// (profiles see every module).
  nonisolated(unsafe) public static var fusion = true

  public override func forward(_ x: Tensor) throws -> Tensor {
    var y = x
    let n = children.count
    guard Sequential.fusion, ModuleTracer.current == nil, n > 1 else {
      for c in children { y = try c.module(y) }
      return y
    }
    let modules = children.map(\.module)
    var i = 0
    while i < n {
      if !Tensor.isGradEnabled, y.rank == 4, let (stage, pool) = PoolFusion.match(modules, at: i) {
        y = try PoolFusion.run(y, pool: pool) { part in
          var (z, j) = (part, i)
          while j < i + stage { (z, j) = try fusedStep(modules, z, at: j) }
          return z
        }
        i += stage + 1
        continue
      }
      (y, i) = try fusedStep(modules, y, at: i)
    }
    return y
  }

  /// One step of the fused forward from child i: the output and the index of the next child.
  private func fusedStep(_ modules: [Module], _ y: Tensor, at i: Int) throws -> (Tensor, Int) {
    let n = modules.count
    let m = modules[i]
    let nextIsReLU = i + 1 < n && type(of: modules[i + 1]) == ReLU.self
    if let conv = m as? Conv2d, i + 1 < n, let bn = modules[i + 1] as? BatchNorm, bn.spatial, !bn.training,
       !Tensor.isGradEnabled, bn.features == conv.outChannels {
      let relu = i + 2 < n && type(of: modules[i + 2]) == ReLU.self
      return (try conv.forwardFolding(y, bn, relu: relu), i + (relu ? 3 : 2))
    }
    if let q = m as? QuantConv2d, let (out, used) = try q.integerForward(y, following: modules[(i + 1)...]) {
      return (out, i + used)
    }
    if let q = m as? QuantLinear, let out = try q.integerForward(y, relu: nextIsReLU) {
      return (out, i + (nextIsReLU ? 2 : 1))
    }
    if nextIsReLU, let bn = m as? BatchNorm { return (try bn.forward(y, relu: true), i + 2) }
    if nextIsReLU, let add = m as? Add { return (try add.forward(y, relu: true), i + 2) }
    return (try m(y), i + 1)
  }
}

/// Applies every branch to the same input and sums the outputs (a residual join:
/// `Add(body, shortcut)`), as VEGA's `Add` connection.
public final class Add: Module, ContainerModule {
  public init(_ branches: [Module]) {
    precondition(!branches.isEmpty, "Add: needs at least one branch")
    super.init()
    for (i, b) in branches.enumerated() { register(child: String(i), b) }
  }
  public override func forward(_ x: Tensor) throws -> Tensor { try forward(x, relu: false) }

  /// The sum followed by ReLU, the last addition and the ReLU in one sweep (ResNet's block output).
  public func forward(_ x: Tensor, relu: Bool) throws -> Tensor {
    var y = try children[0].module(x)
    let last = children.count - 1
    for (k, c) in children.enumerated().dropFirst() {
      let b = try c.module(x)
      guard b.shape == y.shape else {
        throw ShapeError("Add: branch \(c.name) gives \(ShapeText.format(b.shape)), branch 0 gives \(ShapeText.format(y.shape))")
      }
      y = relu && k == last ? Tensor.addRelu(y, b) : y + b
    }
    return relu && last == 0 ? y.relu() : y
  }
}

/// Applies every branch to the same input and concatenates the outputs along `dim`
/// (channels by default), as VEGA's `Concat` connection.
public final class Concat: Module, ContainerModule {
  public let dim: Int
  public init(_ branches: [Module], dim: Int = 1) {
    precondition(!branches.isEmpty, "Concat: needs at least one branch")
    self.dim = dim
    super.init()
    for (i, b) in branches.enumerated() { register(child: String(i), b) }
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    let outs = try children.map { try $0.module(x) }
    let d = dim < 0 ? outs[0].rank + dim : dim
    for (i, o) in outs.enumerated() {
      var a = o.shape, b = outs[0].shape
      guard a.count == b.count, d >= 0, d < a.count else {
        throw ShapeError("Concat: branch \(i) gives \(ShapeText.format(o.shape)), which cannot join \(ShapeText.format(outs[0].shape)) on dim \(dim)")
      }
      a[d] = 0
      b[d] = 0
      guard a == b else {
        throw ShapeError("Concat: branch \(i) gives \(ShapeText.format(o.shape)), which cannot join \(ShapeText.format(outs[0].shape)) on dim \(dim)")
      }
    }
    return Tensor.cat(outs, dim: d)
  }
  public override var arguments: [String: JSON] { ["dim": JSON(dim)] }
}
