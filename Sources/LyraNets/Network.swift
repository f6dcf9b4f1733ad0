import LyraBase
import LyraNN
import LyraTensor

/// The paper's Network level: a whole built network that remembers the description it
/// was built from (VEGA's `to_desc()`), so a trial's model is always data that rebuilds it.
///
/// Its parts run in order (`stem`, `stage1`…, `pool`, `flatten`, `head`; or the parts of
/// a `{modules: [...]}` description). `NetworkRegistry.build(net.desc)` rebuilds the same
/// architecture with the same parameter names and shapes, and `describe()` returns `desc`
/// (tagged `type: Network` for a composite), so checkpoints store it beside the weights.
public final class Network: Module {
  /// The description this network was built from, plus the input keys it took from the
  /// data (`in_channels`, ...) when the description left them out.
  public internal(set) var desc: JSON
  private let type: String

  /// `type` names the network ("ResNet"); a composite of named parts is "Network".
  public init(type: String, desc: JSON, parts: [(String, Module)]) {
    self.type = type
    self.desc = desc
    super.init()
    for (n, m) in parts { register(child: n, m) }
  }

  public override var typeName: String { type }

  public override var arguments: [String: JSON] {
    var o = desc.object ?? [:]
    o.removeValue(forKey: "type")
    return o
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    var y = x
    for c in children { y = try c.module(y) }
    return y
  }
}
