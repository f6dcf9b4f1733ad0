import LyraTensor

/// Named per-parameter buffers and step counts of the adaptive optimisers (RMSprop,
/// Adagrad, Adadelta): created on a parameter's first step, saved under PyTorch's names
/// ("<index>.square_avg"), and restored all-or-nothing.
struct ParameterBuffers {
  let names: [String]
  var values: [String: [Tensor?]]
  var steps: [Int]

  init(_ names: [String], count: Int) {
    self.names = names
    values = Dictionary(uniqueKeysWithValues: names.map { ($0, [Tensor?](repeating: nil, count: count)) })
    steps = [Int](repeating: 0, count: count)
  }

  /// Buffer `name` of parameter `k`, created filled with `initial` the first time.
  mutating func buffer(_ name: String, _ k: Int, like p: Tensor, initial: Float = 0) -> UnsafeMutablePointer<Float> {
    if let b = values[name]![k] { return b.data }
    let b = Tensor.full(p.shape, initial)
    values[name]![k] = b
    return b.data
  }

  func save(into s: inout OptimizerState) {
    for name in names {
      for (k, b) in values[name]!.enumerated() { if let b { s.buffers["\(k).\(name)"] = b.optimValues } }
    }
    for (k, n) in steps.enumerated() where n > 0 { s.steps[k] = n }
  }

  /// The buffers of `s` for `params`; throws (leaving the caller untouched) on a size mismatch.
  static func load(_ s: OptimizerState, names: [String], params: [Tensor]) throws -> ParameterBuffers {
    var out = ParameterBuffers(names, count: params.count)
    for (k, p) in params.enumerated() {
      for name in names {
        out.values[name]![k] = try s.buffer(k, name, count: p.count).map { Tensor.optimBuffer($0, like: p) }
      }
      out.steps[k] = s.steps[k] ?? 0
    }
    return out
  }
}

/// An optimiser whose whole state is `ParameterBuffers` (RMSprop, Adagrad, Adadelta):
/// saving is the same for all; loading checks the state before anything changes.
protocol BufferedOptimizer: Optimizer {
  static var bufferNames: [String] { get }
  var state: ParameterBuffers { get set }
}

extension BufferedOptimizer {
  public func stateDict() -> OptimizerState {
    var s = OptimizerState(optimizer: name, hyperparameters: hyperparameters)
    state.save(into: &s)
    return s
  }

  /// The saved hyper-parameters (absent ones: the current values) and buffers of `s`,
  /// checked against this optimiser; `self` is not changed.
  func checkedState(_ s: OptimizerState) throws -> (hyper: [String: Double], buffers: ParameterBuffers) {
    try s.validate(for: name, paramCount: params.count, bufferNames: Set(Self.bufferNames), hyper: Set(hyperparameters.keys))
    let buffers = try ParameterBuffers.load(s, names: Self.bufferNames, params: params)
    return (hyperparameters.merging(s.hyperparameters) { _, saved in saved }, buffers)
  }
}

extension OptimizerChecks {
  /// `value` must be finite and at least `least`: PyTorch's "Invalid <name>" checks.
  static func atLeast(_ who: String, _ name: String, _ value: Double, _ least: Double = 0) throws {
    try require(value.isFinite && value >= least, "\(who): invalid \(name) \(value) (must be >= \(least))")
  }
}
