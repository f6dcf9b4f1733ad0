import LyraBase
import LyraKernels
import LyraNN
import LyraSpace

/// Networks from VEGA model descriptions (vega.md §10): `{modules: [backbone, head],
/// backbone: {type: ResNet, depth: 18}, head: {...}}` chains the named parts; a part
/// with a `type` is built by the network registry (whole networks with their own
/// parameters) or, failing that, by LyraNN's module registry (layers and containers).
///
/// ResNet, ResNetGeneral, DNet, MobileNetV2 and composites of several parts build a
/// `Network`, which keeps its description: `describe(_:)` returns it, and `build` of it
/// rebuilds the same architecture (same parameter names and shapes).
public enum NetworkRegistry {
  public typealias Builder = (DescriptionReader) throws -> Module

  nonisolated(unsafe) static var builders: [String: Builder] = [
    "SimpleCnn": SimpleCnn.build,
    "FashionCnn": SimpleCnn.buildReference,
    "MLP": { r in
      let hidden = try r.optionalArray("hidden")?.map { v -> Int in
        guard let i = v.int, i > 0 else { throw DescriptionError("\(r.path).hidden: sizes must be positive integers") }
        return i
      } ?? [256, 128]
      var layers: [Module] = [Flatten()]
      var width = try r.int("in_features", 784, min: 1)
      for h in hidden {
        layers += [Linear(width, h), ReLU()]
        width = h
      }
      layers.append(Linear(width, try r.int("num_class", 10, min: 1)))
      return Sequential(layers)
    },
    "ResNet": ResNet.build,
    "ResNetGeneral": ResNet.buildGeneral,
    "DNet": DNet.build,
    "MobileNetV2": MobileNetV2.build,
    "Network": { r in
      var o = r.object
      o.removeValue(forKey: "type")
      for k in o.keys { _ = r.raw(k) }
      guard o["modules"] != nil else { throw DescriptionError("\(r.path): missing 'modules'") }
      return try composite(o, desc: .object(r.object), path: r.path)
    },
  ]

  /// The types whose built `Network` describes itself by its network type, so LyraNN's
  /// `ModuleRegistry` (checkpoints, the trainer's model builder) must know them too.
  static let selfDescribing: Set<String> = ["ResNet", "ResNetGeneral", "DNet", "MobileNetV2", "Network"]

  private static let installed: Void = {
    for t in selfDescribing { if let b = builders[t] { ModuleRegistry.register(t, b) } }
  }()

  /// Registers the network types whose `describe()` names them (ResNet, DNet, ...) with
  /// `ModuleRegistry`, so `Checkpoint.load` and `ModuleRegistry.build` rebuild them.
  /// Idempotent; `build` and `register` call it, and a host that loads checkpoints before
  /// building any network should call it at start-up.
  public static func installModuleTypes() { _ = installed }

  /// A description may not ask for more parameters than this (a sampled width that
  /// doubles at every block would otherwise exhaust memory instead of failing clearly).
  nonisolated(unsafe) public static var maxParameters = 1_000_000_000

  static func checkSize(_ weights: Int, path: String) throws {
    guard weights <= maxParameters else {
      throw DescriptionError("\(path): the architecture has about \(weights) weights, more than NetworkRegistry.maxParameters (\(maxParameters))")
    }
  }

  /// Adds a network type (Lua registers its own through the binding). Replacing one of the
  /// self-describing types replaces it in `ModuleRegistry` too, so checkpoints follow.
  public static func register(_ type: String, _ builder: @escaping Builder) {
    installModuleTypes()
    builders[type] = builder
    if selfDescribing.contains(type) { ModuleRegistry.register(type, builder) }
  }

  public static var types: [String] { Set(Array(builders.keys) + ModuleRegistry.types).sorted() }

  /// The description that rebuilds `module`: a `Network`'s own description (VEGA's
  /// `to_desc()`), otherwise LyraNN's `describe()` (which `build` also accepts).
  public static func describe(_ module: Module) -> JSON {
    (module as? Network)?.desc ?? module.describe()
  }

  /// Builds a model from a description (see the type's doc).
  public static func build(_ desc: JSON, path: String = "model_desc") throws -> Module {
    installModuleTypes()
    guard let o = desc.object else { throw DescriptionError("\(path): expected a mapping, got \(desc.text)") }
    if o["modules"] != nil, o["type"] == nil { return try composite(o, desc: desc, path: path) }
    guard let type = o["type"]?.string else { throw DescriptionError("\(path): missing 'type' (or 'modules')") }
    if let b = builders[type] {
      let r = DescriptionReader(o, path: "\(path)(\(type))")
      let m = try b(r)
      try r.finish()
      return m
    }
    do { return try ModuleRegistry.build(desc, path: path) } catch let e as DescriptionError where e.message.contains("unknown module type") {
      let hint = Suggest.closest(type, in: types).map { " (did you mean '\($0)'?)" } ?? ""
      throw DescriptionError("\(path): unknown network type '\(type)'\(hint)")
    }
  }

  /// `{modules: [names], name: desc, ...}`: the parts in order. One part is returned as
  /// built; several become a `Network` named by their parts (`backbone.…`, `head.…`).
  static func composite(_ o: [String: JSON], desc: JSON, path: String) throws -> Module {
    guard let names = o["modules"], let list = names.array?.compactMap(\.string), list.count == names.array?.count, !list.isEmpty else {
      throw DescriptionError("\(path).modules: must be a list of part names")
    }
    for k in o.keys.sorted() where k != "modules" && k != "type" && !list.contains(k) {
      throw DescriptionError("\(path).\(k): not listed in modules \(list)")
    }
    if let dup = list.first(where: { n in list.filter { $0 == n }.count > 1 }) {
      throw DescriptionError("\(path).modules: part '\(dup)' is listed twice")
    }
    if let bad = list.first(where: { $0.isEmpty || $0.contains(".") }) {
      throw DescriptionError("\(path).modules: part name '\(bad)' must be non-empty and without dots")
    }
    let parts = try list.map { name -> (String, Module) in
      guard let sub = o[name] else { throw DescriptionError("\(path): part '\(name)' listed in modules has no description") }
      return (name, try build(sub, path: "\(path).\(name)"))
    }
    if parts.count == 1 { return parts[0].1 }
    return Network(type: "Network", desc: desc, parts: parts)
  }

  /// The model description for a sampled config: `network.*` keys merged into `base`.
  public static func description(base: JSON, config: Config) -> JSON { Binding.apply(config, modelDescription: base).model }
}
