/// One recorded op on the tape: its inputs and how to turn the output's gradient into theirs.
///
/// The closure returns one gradient per input (nil where an input needs none), already
/// reduced to that input's shape.
public final class GradNode {
  /// Op name, for debugging and error messages.
  public let name: String
  let inputs: [Tensor]
  let backward: (Tensor) -> [Tensor?]

  init(_ name: String, _ inputs: [Tensor], _ backward: @escaping (Tensor) -> [Tensor?]) {
    self.name = name
    self.inputs = inputs
    self.backward = backward
  }
}

extension Tensor {
  /// Whether an op over `a` should be recorded. `requiresGrad` is read first: it is a field,
  /// while the grad mode is a thread-local lookup, and most small ops run without grad.
  @inline(__always)
  static func needsGrad(_ a: Tensor) -> Bool { a.requiresGrad && isGradEnabled }

  /// Whether an op over `a` and `b` should be recorded. Not variadic: a variadic call
  /// allocates its argument array, which costs more than a 4-element add (issue 15).
  @inline(__always)
  static func needsGrad(_ a: Tensor, _ b: Tensor) -> Bool { (a.requiresGrad || b.requiresGrad) && isGradEnabled }

  /// Whether an op over `inputs` should be recorded.
  @inline(__always)
  static func needsGrad(_ inputs: Tensor...) -> Bool {
    guard isGradEnabled else { return false }
    for t in inputs where t.requiresGrad { return true }
    return false
  }

  /// `needsGrad` over an array.
  @inline(__always)
  static func needsGrad(_ inputs: [Tensor]) -> Bool {
    guard isGradEnabled else { return false }
    for t in inputs where t.requiresGrad { return true }
    return false
  }

  /// Records `self` as the output of an op when any input requires grad; returns self for chaining.
  @discardableResult
  func recorded(_ name: String, _ inputs: [Tensor], _ backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
    guard Tensor.isGradEnabled, inputs.contains(where: { $0.requiresGrad }) else { return self }
    requiresGrad = true
    gradFn = GradNode(name, inputs, backward)
    return self
  }

  /// Marks a leaf as needing gradients; returns self so calls chain.
  @discardableResult
  public func requiresGrad_(_ flag: Bool = true) -> Tensor {
    precondition(!flag || dtype == .float32, "Tensor.requiresGrad_: only float32 tensors can require gradients, not \(dtype)")
    requiresGrad = flag
    return self
  }

  /// The same data cut off from the tape.
  public func detach() -> Tensor {
    Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
  }

  /// Clears `grad` (to nil by default, as PyTorch does; otherwise fills it with zeros).
  public func zeroGrad(setToNone: Bool = true) {
    if setToNone { grad = nil } else { grad?.zero_() }
  }

  /// Back-propagates from this tensor, accumulating into `.grad` of every leaf that requires grad.
  ///
  /// `gradient` defaults to 1 for a one-element tensor. Gradients add up across calls
  /// until `zeroGrad`; the computation runs without recording. Unless `retainGraph`, each
  /// node is dropped once used (as PyTorch does): activations are freed early, and a deep
  /// graph is torn down iteratively instead of by a recursive chain of deinits.
  public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) {
    propagate(gradient, retainGraph: retainGraph) { _ in }
  }

  /// `backward` with `MemoryGuard` consulted before each node: a backward pass about to
  /// outgrow the machine throws `MemoryError` (the gradients accumulated so far are partial;
  /// the caller drops the step). Training loops call this one.
  public func backwardChecked(_ gradient: Tensor? = nil, retainGraph: Bool = false) throws {
    try propagate(gradient, retainGraph: retainGraph) { try MemoryGuard.check("backward of \($0)") }
  }

  /// The backward pass, calling `check` with each node's name before running it.
  private func propagate(_ gradient: Tensor?, retainGraph: Bool, check: (String) throws -> Void) rethrows {
    precondition(requiresGrad, "Tensor.backward: tensor does not require grad")
    let seed: Tensor
    if let g = gradient {
      precondition(g.shape == shape, "Tensor.backward: gradient shape \(Shape.describe(g.shape)) differs from \(Shape.describe(shape))")
      seed = g
    } else {
      precondition(count == 1, "Tensor.backward: a gradient is needed for a non-scalar output of shape \(Shape.describe(shape))")
      seed = Tensor.ones(shape)
    }
    // Topological order by iterative DFS (deep networks would overflow recursion).
    var order: [Tensor] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(Tensor, Bool)] = [(self, false)]
    while let (t, expanded) = stack.popLast() {
      if expanded { order.append(t); continue }
      if visited.contains(ObjectIdentifier(t)) { continue }
      visited.insert(ObjectIdentifier(t))
      stack.append((t, true))
      if let node = t.gradFn {
        for i in node.inputs where i.requiresGrad && !visited.contains(ObjectIdentifier(i)) { stack.append((i, false)) }
      }
    }
    var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
    try Tensor.noGrad {
      for t in order.reversed() {
        guard let g = grads.removeValue(forKey: ObjectIdentifier(t)) else { continue }
        guard let node = t.gradFn else {
          t.accumulateGrad(g)
          continue
        }
        try check(node.name)
        let inGrads = node.backward(g)
        if !retainGraph { t.gradFn = nil }
        for (input, ig) in zip(node.inputs, inGrads) {
          guard input.requiresGrad, let ig else { continue }
          precondition(ig.shape == input.shape, "autograd: \(node.name) returned gradient \(Shape.describe(ig.shape)) for input \(Shape.describe(input.shape))")
          let id = ObjectIdentifier(input)
          if let prev = grads[id] {
            // Out of place: a closure may hand the same tensor to several inputs.
            grads[id] = prev.mapBinary(ig, "autograd", FAdd())
          } else {
            grads[id] = ig
          }
        }
      }
    }
  }

  /// Adds `g` into `.grad`, allocating a fresh contiguous gradient the first time.
  func accumulateGrad(_ g: Tensor) {
    if let existing = grad {
      existing.add_(g)
    } else {
      // Always a private copy: `g` may also be another tensor's gradient or a view of it.
      grad = g.contiguousCopy()
    }
  }
}
