import Foundation
import LyraTensor

/// A snapshot of an optimiser's state, enough to resume a run so that the next step is
/// bit-identical to the one the uninterrupted run would have taken.
///
/// Buffers are keyed "<parameter index>.<name>" with PyTorch's names (`momentum_buffer`,
/// `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`); `steps` holds per-parameter step counts
/// (Adam's bias correction depends on them). Values are copies, not views.
public struct OptimizerState: Equatable, Sendable {
  /// The optimiser that wrote it ("SGD", "Adam", "AdamW").
  public var optimizer: String
  /// Hyper-parameters by snake_case name (as `Optimizer.hyperparameters`).
  public var hyperparameters: [String: Double]
  /// Per-parameter buffers, "<index>.<name>" → values in row-major order.
  public var buffers: [String: [Float]]
  /// Per-parameter step counts by parameter index (absent: never stepped).
  public var steps: [Int: Int]

  public init(optimizer: String, hyperparameters: [String: Double] = [:],
              buffers: [String: [Float]] = [:], steps: [Int: Int] = [:]) {
    self.optimizer = optimizer
    self.hyperparameters = hyperparameters
    self.buffers = buffers
    self.steps = steps
  }

  /// The buffer `name` of parameter `index`, checked against the parameter's size.
  func buffer(_ index: Int, _ name: String, count: Int) throws -> [Float]? {
    guard let b = buffers["\(index).\(name)"] else { return nil }
    try OptimizerChecks.require(b.count == count,
      "\(optimizer) state: buffer \(index).\(name) has \(b.count) values, parameter \(index) has \(count)")
    return b
  }

  /// Throws unless every buffer key is "<index>.<one of names>" for an existing parameter
  /// and every hyper-parameter is one the optimiser knows (catches a state saved for
  /// another model or optimiser instead of silently ignoring part of it).
  func validate(for expected: String, paramCount: Int, bufferNames: Set<String>, hyper: Set<String>) throws {
    try OptimizerChecks.require(optimizer == expected,
      "cannot load \(optimizer) state into \(expected)")
    for key in buffers.keys {
      let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
      guard parts.count == 2, let i = Int(parts[0]), i >= 0, i < paramCount, bufferNames.contains(parts[1]) else {
        throw OptimizerError("\(expected) state: unexpected buffer '\(key)' (\(paramCount) parameters; buffers: \(bufferNames.sorted().joined(separator: ", ")))")
      }
    }
    for (i, s) in steps {
      try OptimizerChecks.require(i >= 0 && i < paramCount && s >= 0, "\(expected) state: bad step entry \(i): \(s)")
    }
    for key in hyperparameters.keys where !hyper.contains(key) {
      throw OptimizerError("\(expected) state: unknown hyper-parameter '\(key)' (valid: \(hyper.sorted().joined(separator: ", ")))")
    }
  }
}

extension OptimizerState {
  /// The state as safetensors, to sit next to the model's weights in a checkpoint:
  /// buffers as 1-D float32 "state.<index>.<name>", steps as int64 "step.<index>",
  /// the optimiser name and hyper-parameters in the metadata (Double descriptions round-trip).
  public var safeTensors: SafeTensors {
    var st = SafeTensors()
    for (k, v) in buffers { st.entries["state.\(k)"] = .init(floats: v, shape: [v.count]) }
    for (i, s) in steps { st.entries["step.\(i)"] = .init(int64s: [Int64(s)], shape: [1]) }
    st.metadata["optimizer"] = optimizer
    for (k, v) in hyperparameters { st.metadata["hyper.\(k)"] = "\(v)" }
    return st
  }

  /// Reads back what `safeTensors` wrote.
  public init(safeTensors st: SafeTensors) throws {
    guard let name = st.metadata["optimizer"] else { throw OptimizerError("optimizer state: no 'optimizer' in the metadata") }
    self.init(optimizer: name)
    for (k, v) in st.metadata where k.hasPrefix("hyper.") {
      guard let d = Double(v) else { throw OptimizerError("optimizer state: hyper-parameter \(k) = '\(v)' is not a number") }
      hyperparameters[String(k.dropFirst(6))] = d
    }
    for (k, e) in st.entries {
      if k.hasPrefix("state."), e.dtype == .f32 {
        buffers[String(k.dropFirst(6))] = e.floats()
      } else if k.hasPrefix("step."), let i = Int(k.dropFirst(5)), e.dtype == .i64, e.count == 1 {
        steps[i] = Int(e.int64s()[0])
      } else {
        throw OptimizerError("optimizer state: unexpected entry '\(k)' (\(e.dtype))")
      }
    }
  }
}

extension Tensor {
  /// A fresh tensor holding a copy of `values`, shaped like `like` (restoring buffers).
  static func optimBuffer(_ values: [Float], like: Tensor) -> Tensor { Tensor(values, shape: like.shape) }
  /// The values of a contiguous buffer (saving state).
  var optimValues: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }
}
