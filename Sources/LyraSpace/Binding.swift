import LyraBase

/// Dotted-key binding (docs/architecture.md#search-spaces-and-the-unit-cube; VEGA's `vega/core/pipeline/generator.py`): a flat
/// sampled config becomes nested trees, `network.*` deep-merged into the model
/// description and everything else (`trainer.*`, `dataset.*`, ...) the trial's hps.
public enum Binding {
  /// `{"a.b.c": 1}` → `{"a": {"b": {"c": 1}}}`. Keys are applied in sorted order, so a
  /// deeper key (`a.b.c`) wins over a leaf set at its prefix (`a.b`).
  public static func nest(_ c: Config) -> JSON {
    var root = JSON.object([:])
    for k in c.keys.sorted() { set(&root, path: k.split(separator: ".").map(String.init)[...], to: c[k]!.json) }
    return root
  }

  /// The model description with the `network` subtree deep-merged into it
  /// (`network.backbone.depth` → `backbone.depth`), and the rest as hps.
  public static func apply(_ c: Config, modelDescription: JSON) -> (model: JSON, hps: JSON) {
    var tree = nest(c).object ?? [:]
    let network = tree.removeValue(forKey: "network")
    let model = network.map { merge(modelDescription, $0) } ?? modelDescription
    return (model, .object(tree))
  }

  /// Objects merge key by key, recursively; anything else in `over` replaces `base`.
  public static func merge(_ base: JSON, _ over: JSON) -> JSON {
    guard case .object(var b) = base, case .object(let o) = over else { return over }
    for (k, v) in o { b[k] = b[k].map { merge($0, v) } ?? v }
    return .object(b)
  }

  private static func set(_ node: inout JSON, path: ArraySlice<String>, to value: JSON) {
    guard let head = path.first else { node = value; return }
    var obj = node.object ?? [:]
    var child = obj[head] ?? .object([:])
    set(&child, path: path.dropFirst(), to: value)
    obj[head] = child
    node = .object(obj)
  }
}
