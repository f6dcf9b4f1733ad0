import LyraTensor

/// Records each module call during one forward pass: the module's dotted name, input
/// and output shapes. `Profile` turns that into parameters and FLOPs per module, and
/// the REPL's model printer uses the shapes.
///
/// Why a tracer instead of static shape rules: any module, including one written in
/// Lua, reports correct shapes simply by running.
public final class ModuleTracer {
  public struct Call {
    public var name: String
    public var module: Module
    public var input: [Int]
    public var output: [Int]
    public var depth: Int
  }

  nonisolated(unsafe) static var current: ModuleTracer?

  public private(set) var calls: [Call] = []
  private var names: [ObjectIdentifier: String] = [:]
  private var depth = 0

  init(root: Module) {
    for (n, m) in root.namedModules() { names[ObjectIdentifier(m)] = n }
  }

  func enter(_ m: Module) { depth += 1 }

  func leave(_ m: Module, input: [Int], output: [Int]) {
    depth -= 1
    calls.append(Call(name: names[ObjectIdentifier(m)] ?? "?", module: m, input: input, output: output, depth: depth))
  }

  /// Runs `root` on `input` without gradients and returns the calls in completion order.
  public static func trace(_ root: Module, input: Tensor) throws -> [Call] {
    let t = ModuleTracer(root: root)
    let saved = current
    current = t
    defer { current = saved }
    _ = try Tensor.noGrad { try root(input) }
    return t.calls
  }
}
