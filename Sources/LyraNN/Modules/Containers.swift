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

  public override func forward(_ x: Tensor) throws -> Tensor {
    var y = x
    for c in children { y = try c.module(y) }
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
  public override func forward(_ x: Tensor) throws -> Tensor {
    var y = try children[0].module(x)
    for c in children.dropFirst() {
      let b = try c.module(x)
      guard b.shape == y.shape else {
        throw ShapeError("Add: branch \(c.name) gives \(dims(b.shape)), branch 0 gives \(dims(y.shape))")
      }
      y = y + b
    }
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
  public override func forward(_ x: Tensor) throws -> Tensor {
    let outs = try children.map { try $0.module(x) }
    let d = dim < 0 ? outs[0].rank + dim : dim
    for (i, o) in outs.enumerated() {
      var a = o.shape, b = outs[0].shape
      guard a.count == b.count, d >= 0, d < a.count else {
        throw ShapeError("Concat: branch \(i) gives \(dims(o.shape)), which cannot join \(dims(outs[0].shape)) on dim \(dim)")
      }
      a[d] = 0
      b[d] = 0
      guard a == b else {
        throw ShapeError("Concat: branch \(i) gives \(dims(o.shape)), which cannot join \(dims(outs[0].shape)) on dim \(dim)")
      }
    }
    return Tensor.cat(outs, dim: d)
  }
  public override var arguments: [String: JSON] { ["dim": JSON(dim)] }
}
