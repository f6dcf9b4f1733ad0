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

  public override func forward(_ x: Tensor) -> Tensor {
    var y = x
    for c in children { y = c.module(y) }
    return y
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
  public override func forward(_ x: Tensor) -> Tensor {
    var y = children[0].module(x)
    for c in children.dropFirst() { y = y + c.module(x) }
    return y
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
  public override func forward(_ x: Tensor) -> Tensor { Tensor.cat(children.map { $0.module(x) }, dim: dim) }
  public override var arguments: [String: JSON] { ["dim": JSON(dim)] }
}
