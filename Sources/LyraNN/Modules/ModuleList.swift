import LyraBase
import LyraTensor

/// A list of modules that registers them (their parameters appear in `parameters()`,
/// checkpoints and optimisers) without defining how they are called: PyTorch's
/// `nn.ModuleList`, for models whose forward (often written in Lua) picks the layers.
public final class ModuleList: Module, ContainerModule {
  public init(_ modules: [Module] = []) {
    super.init()
    children = modules.enumerated().map { (String($0.offset), $0.element) }
  }

  /// Appends a module under `name` (non-empty, without dots: the caller checks), by
  /// default its position; returns self so calls chain.
  @discardableResult
  public func add(_ m: Module, name: String? = nil) -> ModuleList {
    register(child: name ?? String(children.count), m)
    return self
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    throw ShapeError("ModuleList has no forward: call its modules (m[i](x)) in the order the model needs, or use Sequential")
  }
}
