import LyraNN
import LyraTensor

/// The state of one export: the model being built, the names already taken, and shared
/// scalar constants. Tensor and node names follow module paths (`layer1.0.conv`), so a
/// graph viewer shows the network as Lyra printed it.
final class ExportContext {
  /// A value flowing through the export: its name in the graph and the native activation
  /// for the sample input (which gives every shape exactly, and the reference values).
  struct Flow {
    var name: String
    var sample: Tensor
  }

  let proto: ONNXProtoModel
  let opset: Int
  private var taken: Set<String> = []
  private var scalars: [String: String] = [:]

  init(proto: ONNXProtoModel, opset: Int) {
    self.proto = proto
    self.opset = opset
  }

  func reserve(_ name: String) { taken.insert(name) }

  /// `base`, or `base_1`, `base_2`... when taken.
  func unique(_ base: String) -> String {
    var name = base.isEmpty ? "value" : base
    var k = 1
    while taken.contains(name) {
      name = "\(base)_\(k)"
      k += 1
    }
    taken.insert(name)
    return name
  }

  /// A float initialiser holding `t`'s values.
  func initializer(_ name: String, _ t: Tensor) throws -> String {
    let n = unique(name)
    try proto.addInitializer(name: n, t.contiguous())
    return n
  }

  /// An int64 initialiser (a shape, axes).
  func initializer(_ name: String, ints: [Int]) throws -> String {
    let n = unique(name)
    try proto.addInitializer(name: n, ints: ints.map { Int64($0) }, shape: [ints.count])
    return n
  }

  /// A float scalar initialiser, shared by every node that needs the same value.
  func scalar(_ v: Float) throws -> String {
    let key = "\(v.bitPattern)"
    if let n = scalars[key] { return n }
    let n = unique("const_\(String(v).replacingOccurrences(of: "-", with: "neg"))")
    try proto.addInitializer(name: n, Tensor(v))
    scalars[key] = n
    return n
  }

  /// Appends a node named after the module path and returns its output's name
  /// (`output` forces the name, e.g. the graph output).
  @discardableResult
  func node(_ op: String, path: String, inputs: [String], attributes: [(String, ONNXAttribute)] = [],
            output: String? = nil) throws -> String {
    let base = path.isEmpty ? op.lowercased() : path
    let out = output ?? unique(base)
    let nodeName = unique((path.isEmpty ? "" : path + "/") + op)
    try proto.addNode(op, name: nodeName, inputs: inputs, outputs: [out], attributes: attributes)
    return out
  }
}
