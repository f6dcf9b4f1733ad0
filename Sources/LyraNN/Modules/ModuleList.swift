import LyraBase
import LyraTensor

/// A list of modules that registers them (their parameters appear in `parameters()`,
/// checkpoints and optimisers) without defining how they are called: PyTorch's
/// `nn.ModuleList`, for models whose forward (often written in Lua) picks the layers.
public final class ModuleList: Module, ContainerModule {
  public init(_ modules: [Module] = []) {
    super.init()
    for m in modules { add(m) }
  }

  /// Appends a module named by its position; returns self so calls chain.
  @discardableResult
  public func add(_ m: Module) -> ModuleList {
    register(child: String(children.count), m)
    return self
  }

  /// Appends a module under a chosen name (non-empty, without dots: the caller checks).
  @discardableResult
  public func add(_ name: String, _ m: Module) -> ModuleList {
    register(child: name, m)
    return self
  }

  public var count: Int { children.count }
  public subscript(i: Int) -> Module { children[i].module }

  public override func forward(_ x: Tensor) throws -> Tensor {
    throw ShapeError("ModuleList has no forward: call its modules (m[i](x)) in the order the model needs, or use Sequential")
  }
}
