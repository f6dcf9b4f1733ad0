/// A module whose `forward` is a small dataflow graph over its named children — a block
/// with skip links (DNet's encoded blocks) — described as data, so tools that cannot run
/// Swift code (the ONNX exporter) can still write it out.
///
/// Values are numbered: 0 is the module's input, and step i produces value i + 1. The
/// module's output is the last step's value. `forward` and `graph` must agree; exporters
/// check that on a sample input before writing anything.
public protocol GraphDescribed: AnyObject {
  var graph: [GraphStep] { get }
}

/// One step of a `GraphDescribed` module's dataflow.
public enum GraphStep: Equatable {
  /// The named child applied to a value.
  case child(String, input: Int)
  case relu(Int)
  case add(Int, Int)
  /// Values joined along the channel dimension (1).
  case concat([Int])
}
