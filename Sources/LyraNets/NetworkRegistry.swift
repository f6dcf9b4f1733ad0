import LyraBase
import LyraKernels
import LyraNN
import LyraSpace

/// Networks from VEGA model descriptions (docs/config.md#model): `{modules: [backbone, head],
/// backbone: {type: ResNet, depth: 18}, head: {...}}` chains the named parts; a part
/// with a `type` is built by the network registry (whole networks with their own
/// parameters) or, failing that, by LyraNN's module registry (layers and containers).
///
/// ResNet, ResNetGeneral, DNet, MobileNetV2 and composites of several parts build a
/// `Network`, which keeps its description: `describe(_:)` returns it, and `build` of it
/// rebuilds the same architecture (same parameter names and shapes).
public enum NetworkRegistry {
  public typealias Builder = (DescriptionReader) throws -> Module

  static let builders = Registry<Builder>(kind: "network type", [
    ("SimpleCnn", SimpleCnn.build),
    ("FashionCnn", SimpleCnn.buildReference),
    ("SimpleCnnMFKD", SimpleCnnMFKD.build),
    ("MLP", { r in
      let hidden = try r.optionalArray("hidden")?.map { v -> Int in
        guard let i = v.int, i > 0, i <= DescriptionReader.maxInteger else {
          throw DescriptionError("\(r.path).hidden: sizes must be integers in 1…\(DescriptionReader.maxInteger), got \(v.text)")
        }
        return i
      } ?? [256, 128]
      var layers: [Module] = [Flatten()]
      var width = try r.int("in_features", 784, min: 1)
      for (k, h) in hidden.enumerated() {
        try r.checkParameters([h, width], k == 0 ? "weight [hidden[1], in_features]" : "weight [hidden[\(k + 1)], hidden[\(k)]]")
        layers += [Linear(width, h), ReLU()]
        width = h
      }
      let classes = try r.int("num_class", 10, min: 1)
      try r.checkParameters([classes, width], "weight [num_class, last hidden size]")
      layers.append(Linear(width, classes))
      return Sequential(layers)
    }),
    ("ResNet", ResNet.build),
    ("ResNetGeneral", ResNet.buildGeneral),
    ("DNet", DNet.build),
    ("MobileNetV2", MobileNetV2.build),
    ("MobileNetV2Tiny", MobileNetV2Tiny.build),
    ("FmdNetwork", FmdNetwork.build),
    ("GhostNetNas", GhostNetNas.build),
    ("EfficientNet", EfficientNet.build),
    ("NAGO", NAGO.build),
    ("EDSR", EDSR.build),
    ("ESRN", ESRN.build),
    ("DartsNetwork", DartsDescription.build),
    ("LinearClassificationHead", ClassificationHead.build),
    ("Network", { r in
      var o = r.object
      o.removeValue(forKey: "type")
      for k in o.keys { _ = r.raw(k) }
      guard o["modules"] != nil else { throw DescriptionError("\(r.path): missing 'modules'") }
      return try composite(o, desc: .object(r.object), path: r.path).module
    }),
  ] + CTRNetworkBuilder.builders + TensorFlowOnlyNetworks.builders)

  /// The types whose built `Network` describes itself by its network type, so LyraNN's
  /// `ModuleRegistry` (checkpoints, the trainer's model builder) must know them too.
  static let selfDescribing: Set<String> = ["ResNet", "ResNetGeneral", "DNet", "MobileNetV2", "Network", "LinearClassificationHead",
                                            "MobileNetV2Tiny", "FmdNetwork", "GhostNetNas", "EfficientNet", "NAGO",
                                            "EDSR", "ESRN",
                                            "AutoGateModel", "DeepFactorizationMachineModel", "FactorizationMachineModel", "LogisticRegressionModel",
                                            "DartsNetwork"]

  /// Registers the network types whose `describe()` names them (ResNet, DNet, ...) with
  /// `ModuleRegistry`, so `Checkpoint.load` and `ModuleRegistry.build` rebuild them. Runs
  /// once, from `LyraNets.bootstrap()`.
  static let installedModuleTypes: Void = {
    for t in selfDescribing { if let b = builders[t] { ModuleRegistry.register(t, b) } }
  }()

  /// A description may not ask for more parameters than this (a sampled width that
  /// doubles at every block would otherwise exhaust memory instead of failing clearly).
  nonisolated(unsafe) public static var maxParameters = 1_000_000_000

  static func checkSize(_ weights: Int, path: String) throws {
    guard weights <= maxParameters else {
      throw DescriptionError(KeyedError(path, "the architecture has about \(weights) weights, more than NetworkRegistry.maxParameters (\(maxParameters))"))
    }
  }

  /// Adds a network type (Lua registers its own through the binding). Replacing one of the
  /// self-describing types replaces it in `ModuleRegistry` too, so checkpoints follow.
  public static func register(_ type: String, _ builder: @escaping Builder) {
    bootstrap()
    builders.register(type, builder)
    if selfDescribing.contains(type) { ModuleRegistry.register(type, builder) }
  }

  public static var types: [String] { Set(builders.names + ModuleRegistry.types).sorted() }

  /// The description that rebuilds `module`: a `Network`'s own description (VEGA's
  /// `to_desc()`), otherwise LyraNN's `describe()` (which `build` also accepts).
  public static func describe(_ module: Module) -> JSON {
    (module as? Network)?.desc ?? module.describe()
  }

  /// What a network's first part may take from the data when its description is silent:
  /// `in_channels` and `image_size` of a [C, H, W] sample, `in_features` of a flattened one.
  /// So `{type: ResNet, depth: 18}` runs on 1-channel Fashion-MNIST as written (VEGA
  /// configs name the network, not the data's channel count).
  public static func inputHints(_ sampleShape: [Int]?) -> [String: JSON] {
    guard let s = sampleShape, !s.isEmpty, s.allSatisfy({ $0 > 0 }) else { return [:] }
    var h: [String: JSON] = ["in_features": JSON(s.reduce(1, *))]
    if s.count == 3 {
      h["in_channels"] = JSON(s[0])
      h["image_size"] = JSON(s[1])
    }
    return h
  }

  /// Builds a model from a description (see the type's doc). `input`: the shape of one
  /// sample ([C, H, W] or [F]), which fills the first part's unset input keys (`inputHints`).
  public static func build(_ desc: JSON, path: String = "model_desc", input: [Int]? = nil) throws -> Module {
    try buildDescribed(desc, path: path, input: input).module
  }

  /// `build`, and the description completed with the input keys taken from the data, so
  /// that it rebuilds the same model later without the data (records, checkpoints).
  public static func buildDescribed(_ desc: JSON, path: String = "model_desc", input: [Int]? = nil) throws -> (module: Module, desc: JSON) {
    bootstrap()
    guard let o = desc.object else { throw DescriptionError(KeyedError(path, "expected a mapping, got \(desc.text)")) }
    if o["modules"] != nil, o["type"] == nil { return try composite(o, desc: desc, path: path, input: input) }
    guard let type = o["type"]?.string else { throw DescriptionError(KeyedError(path, "missing 'type' (or 'modules')")) }
    if let b = builders[type] {
      let r = DescriptionReader(o, path: "\(path)(\(type))")
      r.inherited = inputHints(input)
      let m = try b(r)
      try r.finish()
      let used = r.inheritedUsed
      guard !used.isEmpty else { return (m, desc) }
      let full = JSON.object(o.merging(used) { a, _ in a })
      if let n = m as? Network { n.desc = full }
      return (m, full)
    }
    // Neither a network nor a module: the error names networks and modules alike. Asked
    // before building, so an unknown type nested deeper keeps its own path in its message.
    guard ModuleRegistry.types.contains(type) else {
      throw DescriptionError(KeyedError(path, "\(UnknownName(kind: builders.kind, name: type, candidates: types))"))
    }
    return (try ModuleRegistry.build(desc, path: path), desc)
  }

  /// `{modules: [names], name: desc, ...}`: the parts in order. One part is returned as
  /// built; several become a `Network` named by their parts (`backbone.…`, `head.…`).
  static func composite(_ o: [String: JSON], desc: JSON, path: String, input: [Int]? = nil) throws -> (module: Module, desc: JSON) {
    guard let names = o["modules"], let list = names.array?.compactMap(\.string), list.count == names.array?.count, !list.isEmpty else {
      throw DescriptionError(KeyedError("\(path).modules", "must be a list of part names"))
    }
    for k in o.keys.sorted() where k != "modules" && k != "type" && !list.contains(k) {
      throw DescriptionError(KeyedError("\(path).\(k)", "not listed in modules \(list)"))
    }
    if let dup = list.first(where: { n in list.filter { $0 == n }.count > 1 }) {
      throw DescriptionError(KeyedError("\(path).modules", "part '\(dup)' is listed twice"))
    }
    if let bad = list.first(where: { $0.isEmpty || $0.contains(".") }) {
      throw DescriptionError(KeyedError("\(path).modules", "part name '\(bad)' must be non-empty and without dots"))
    }
    var full = o
    let parts = try list.enumerated().map { i, name -> (String, Module) in
      guard let sub = o[name] else { throw DescriptionError(KeyedError(path, "part '\(name)' listed in modules has no description")) }
      let built = try buildDescribed(sub, path: "\(path).\(name)", input: i == 0 ? input : nil)
      full[name] = built.desc
      return (name, built.module)
    }
    if parts.count == 1 { return (parts[0].1, .object(full)) }
    return (Network(type: "Network", desc: .object(full), parts: parts), .object(full))
  }

  /// The model description for a sampled config: `network.*` keys merged into `base`.
  public static func description(base: JSON, config: Config) -> JSON { Binding.apply(config, modelDescription: base).model }
}
