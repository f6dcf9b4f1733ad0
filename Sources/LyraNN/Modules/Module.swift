import LyraBase
import LyraTensor

/// The base of every layer and network, in Torch7's and PyTorch's shape: `forward`,
/// named parameters and buffers, children, `train()`/`eval()`, a readable description.
///
/// Why a class: a model is a graph of shared, mutable parameters; optimisers, the tape
/// and the Lua host must all see the same objects.
open class Module {
  /// Training mode (dropout active, batch norm on batch statistics).
  public private(set) var training = true
  /// Parameters owned directly by this module, in declaration order.
  public internal(set) var ownParameters: [(name: String, tensor: Tensor)] = []
  /// Buffers (state that is saved but not trained: running statistics).
  public internal(set) var ownBuffers: [(name: String, tensor: Tensor)] = []
  /// Sub-modules in order; their names make the dotted parameter names.
  public internal(set) var children: [(name: String, module: Module)] = []

  public init() {}

  /// The type name used in descriptions and printing ("Conv2d").
  open var typeName: String { String(describing: type(of: self)) }

  /// Hyperparameters shown after the type name ("1 -> 32, 3x3, pad 1").
  open var summary: String { "" }

  /// The computation. Subclasses override; callers use `callAsFunction`.
  ///
  /// It throws so that a bad input shape, a module written in Lua that fails, or
  /// Ctrl-C is an error the caller can report, never a crash of the host.
  open func forward(_ x: Tensor) throws -> Tensor { throw ShapeError("\(typeName).forward is not implemented") }

  /// Runs `forward`, and records the call when a `ModuleTracer` is active (shapes, FLOPs).
  ///
  /// `MemoryGuard` looks first: a network about to outgrow the machine stops here with an
  /// error naming this module, not inside a kernel's allocation.
  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    try MemoryGuard.check("\(typeName) on input \(ShapeText.format(x.shape))")
    guard let tracer = ModuleTracer.current else { return try forward(x) }
    tracer.enter(self)
    let y = try forward(x)
    tracer.leave(self, input: x.shape, output: y.shape)
    return y
  }

  // MARK: - Registration

  @discardableResult
  public func register(parameter name: String, _ t: Tensor) -> Tensor {
    t.requiresGrad_(true)
    ownParameters.removeAll { $0.name == name }
    ownParameters.append((name, t))
    return t
  }

  @discardableResult
  public func register(buffer name: String, _ t: Tensor) -> Tensor {
    ownBuffers.removeAll { $0.name == name }
    ownBuffers.append((name, t))
    return t
  }

  @discardableResult
  public func register(child name: String, _ m: Module) -> Module {
    children.removeAll { $0.name == name }
    children.append((name, m))
    return m
  }

  // MARK: - Traversal

  /// Every parameter with its dotted name (`features.0.weight`), depth first.
  public func namedParameters(prefix: String = "") -> [(name: String, tensor: Tensor)] {
    var out = ownParameters.map { (prefix + $0.name, $0.tensor) }
    for c in children { out += c.module.namedParameters(prefix: prefix + c.name + ".") }
    return out
  }

  public func namedBuffers(prefix: String = "") -> [(name: String, tensor: Tensor)] {
    var out = ownBuffers.map { (prefix + $0.name, $0.tensor) }
    for c in children { out += c.module.namedBuffers(prefix: prefix + c.name + ".") }
    return out
  }

  /// Every module with its dotted name ("" for self).
  public func namedModules(prefix: String = "") -> [(name: String, module: Module)] {
    var out: [(String, Module)] = [(prefix, self)]
    for c in children {
      out += c.module.namedModules(prefix: prefix.isEmpty ? c.name : prefix + "." + c.name)
    }
    return out
  }

  public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

  /// Number of trainable values.
  public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

  // MARK: - Modes

  /// Sets training mode recursively; returns self so calls chain.
  @discardableResult
  public func train(_ on: Bool = true) -> Self {
    for (_, m) in namedModules() { m.training = on }
    return self
  }

  @discardableResult
  public func eval() -> Self { train(false) }

  /// Clears the gradients of every parameter.
  public func zeroGrad(setToNone: Bool = true) {
    for p in parameters() { p.zeroGrad(setToNone: setToNone) }
  }

  // MARK: - State

  /// Parameters and buffers by dotted name (what a checkpoint stores).
  public func stateDict() -> [String: Tensor] {
    var d: [String: Tensor] = [:]
    for (n, t) in namedParameters() { d[n] = t }
    for (n, t) in namedBuffers() { d[n] = t }
    return d
  }

  /// Copies values into parameters and buffers. Missing or unexpected names, or a
  /// shape mismatch, throw before anything is changed (strict, as PyTorch's default).
  public func loadStateDict(_ state: [String: Tensor], strict: Bool = true) throws {
    let mine = stateDict()
    var problems: [String] = []
    for (n, t) in mine {
      guard let src = state[n] else {
        if strict { problems.append("missing \(n)") }
        continue
      }
      if src.shape != t.shape { problems.append("\(n): shape \(src.shape) does not match \(t.shape)") }
    }
    if strict { for n in state.keys where mine[n] == nil { problems.append("unexpected \(n)") } }
    guard problems.isEmpty else {
      throw DescriptionError("\(typeName).loadStateDict: " + problems.sorted().joined(separator: "; "))
    }
    Tensor.noGrad {
      for (n, t) in mine { if let src = state[n] { _ = t.copy_(src) } }
    }
  }

  // MARK: - Description

  /// The constructor arguments as JSON (without `type` or children); subclasses override.
  open var arguments: [String: JSON] { [:] }

  /// A JSON description from which `ModuleRegistry.build` rebuilds the same architecture.
  public func describe() -> JSON {
    var o = arguments
    o["type"] = .string(typeName)
    if self is ContainerModule {
      o["modules"] = .array(children.map { $0.module.describe() })
      if children.contains(where: { Int($0.name) == nil }) {
        o["names"] = .array(children.map { .string($0.name) })
      }
    }
    return .object(o)
  }
}

/// A module got an input it cannot take: names the module, what it expects and what it got.
public struct ShapeError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }

  /// Throws unless `x` is a float tensor of `rank` dimensions (any rank when nil)
  /// whose dimension `dim` (if given) has `size`.
  public static func check(_ module: String, _ x: Tensor, rank: Int? = nil, dim: Int? = nil, size: Int? = nil,
                           expected: @autoclosure () -> String) throws {
    var ok = x.dtype == .float32
    if let rank, x.rank != rank { ok = false }
    if ok, let dim, let size {
      let d = dim < 0 ? x.rank + dim : dim
      if d < 0 || d >= x.rank || x.shape[d] != size { ok = false }
    }
    if !ok {
      throw ShapeError("\(module): expected \(expected()), got \(x.dtype == .float32 ? "" : "\(x.dtype) ")\(ShapeText.format(x.shape))")
    }
  }
}

/// Marks modules whose children are listed in their description (Sequential, Add, Concat).
public protocol ContainerModule: Module {}

extension Module: CustomStringConvertible {
  /// A tree like Torch7's: `Sequential { (0): Conv2d(1 -> 32, 3x3) ... }`.
  public var description: String { render(indent: "") }

  func render(indent: String) -> String {
    let head = summary.isEmpty ? typeName : "\(typeName)(\(summary))"
    guard !children.isEmpty else { return head }
    var lines = [head + " {"]
    for c in children {
      lines.append(indent + "  (\(c.name)): " + c.module.render(indent: indent + "  "))
    }
    lines.append(indent + "}")
    return lines.joined(separator: "\n")
  }
}

