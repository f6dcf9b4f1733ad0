/// A model's graph as plain Swift values, read once from the `ModelProto`: what the
/// importer compiles and what tools (the conformance suite, `lyra export`) inspect.
public struct ONNXGraph {
  public var name: String
  /// Operator-set versions by domain ("" is ai.onnx).
  public var opsets: [String: Int]
  public var nodes: [ONNXNode]
  public var initializers: [ONNXTensorData]
  public var inputs: [ONNXValueInfo]
  public var outputs: [ONNXValueInfo]
  public var valueInfo: [ONNXValueInfo]

  /// The default-domain opset (what operator semantics follow).
  public var opset: Int? { opsets[""] ?? opsets["ai.onnx"] }

  /// Graph inputs that are not initialisers: what a caller must feed (IR < 4 lists
  /// initialisers among the inputs too).
  public var feedInputs: [ONNXValueInfo] {
    let initialised = Set(initializers.map(\.name))
    return inputs.filter { !initialised.contains($0.name) }
  }

  /// Every operator type used, sorted.
  public var operatorTypes: [String] { Array(Set(nodes.map(\.opType))).sorted() }
}

/// One node: operator, wiring (an empty input name is an omitted optional input) and attributes.
public struct ONNXNode {
  public var opType: String
  public var name: String
  public var domain: String
  public var inputs: [String]
  public var outputs: [String]
  public var attributes: [String: ONNXAttribute]

  /// How messages name the node: `Conv node 'conv1'` (or its first output when unnamed).
  public var label: String { "\(opType) node '\(name.isEmpty ? (outputs.first ?? "?") : name)'" }
}

/// An attribute value; kinds Lyra never reads (graphs, sparse tensors, types) keep only their type code.
public enum ONNXAttribute {
  case int(Int)
  case float(Float)
  case string(String)
  case ints([Int])
  case floats([Float])
  /// A list of strings (RNN/LSTM/GRU `activations`).
  case strings([String])
  case tensor(ONNXTensorData)
  case other(typeCode: Int32)
}

/// A graph input, output or intermediate value: name, element type and shape. A nil
/// shape is unknown; a nil dimension is symbolic (its name, if any, in `dimParams`).
public struct ONNXValueInfo {
  public var name: String
  public var dataType: ONNXDataType
  public var shape: [Int?]?
  public var dimParams: [String]

  public init(name: String, dataType: ONNXDataType, shape: [Int?]?, dimParams: [String] = []) {
    self.name = name
    self.dataType = dataType
    self.shape = shape
    self.dimParams = dimParams
  }
}
