import LyraTensor

/// A first-order optimiser over a flat list of parameters, with PyTorch's semantics
/// (`torch.optim`) so that hyper-parameters from PyTorch code or VEGA configs carry over.
///
/// One parameter group per optimiser: every parameter shares `lr` and the other
/// hyper-parameters. Why: Lyra's trainers and configs only ever use one group; per-layer
/// rates can be had with one optimiser per group of parameters, stepped together.
///
/// `step()` reads each parameter's `grad` and updates the parameter's values in place;
/// parameters whose `grad` is nil are skipped (their state does not advance), as in PyTorch.
public protocol Optimizer: AnyObject {
  /// The name `Optimizers.make` knows this optimiser by ("SGD", "Adam", "AdamW").
  var name: String { get }
  /// The parameters updated by `step()`, in the order state is indexed by.
  var params: [Tensor] { get }
  /// The learning rate of the next `step()` (an `LRSchedule` sets it).
  var lr: Double { get set }
  /// All hyper-parameters by PyTorch's snake_case names (booleans as 0/1), `lr` included.
  var hyperparameters: [String: Double] { get }
  /// One update of every parameter that has a gradient.
  func step()
  /// Clears the gradients: to nil (PyTorch's default since 2.0, frees memory) or to zeros.
  func zeroGrad(setToNone: Bool)
  /// A copy of everything a resumed run needs for a bit-identical next step.
  func stateDict() -> OptimizerState
  /// Replaces the state (buffers, step counts, hyper-parameters) with a saved one.
  /// Throws when it was saved by another kind of optimiser or for other parameter shapes.
  func loadStateDict(_ state: OptimizerState) throws
}

extension Optimizer {
  public func zeroGrad(setToNone: Bool = true) {
    for p in params { p.zeroGrad(setToNone: setToNone) }
  }
}

/// Why an optimiser could not be built or restored; the text names what is valid.
public struct OptimizerError: Error, CustomStringConvertible, Equatable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Checks shared by every optimiser's constructor.
enum OptimizerChecks {
  /// Parameters must be float leaves with contiguous storage (the fused loops walk raw
  /// pointers) and appear once (a duplicate would be stepped twice).
  static func checkParams(_ params: [Tensor], _ who: String) {
    var seen = Set<ObjectIdentifier>()
    for (i, p) in params.enumerated() {
      precondition(p.dtype == .float32, "\(who): parameter \(i) is not a float tensor")
      precondition(p.isLeaf, "\(who): parameter \(i) is not a leaf (can't optimise a computed tensor)")
      precondition(p.isContiguous, "\(who): parameter \(i) is not contiguous")
      precondition(seen.insert(ObjectIdentifier(p)).inserted, "\(who): parameter \(i) appears more than once")
    }
  }

  /// Throws PyTorch's "Invalid ..." error when `ok` is false.
  static func require(_ ok: Bool, _ message: @autoclosure () -> String) throws {
    if !ok { throw OptimizerError(message()) }
  }

  /// Turns a validation error into a crash with its text (constructors called from code).
  static func mustPass(_ body: () throws -> Void) {
    do { try body() } catch { preconditionFailure("\(error)") }
  }

  /// The gradient of `p` as a contiguous tensor of the same shape, or nil to skip `p`.
  @inline(__always)
  static func gradient(of p: Tensor, _ who: String) -> Tensor? {
    guard let g = p.grad else { return nil }
    precondition(g.shape == p.shape, "\(who): gradient shape \(g.shape) differs from parameter shape \(p.shape)")
    return g.isContiguous ? g : Tensor.noGrad { g.contiguous() }
  }
}
