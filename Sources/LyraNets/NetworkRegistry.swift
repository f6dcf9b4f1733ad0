import LyraBase
import LyraKernels
import LyraNN
import LyraSpace

/// Networks from VEGA model descriptions (vega.md §10): `{modules: [backbone, head],
/// backbone: {type: ResNet, depth: 18}, head: {...}}` chains the named parts; a part
/// with a `type` is built by the network registry (whole networks with their own
/// parameters) or, failing that, by LyraNN's module registry (layers and containers).
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
  ]

  /// Adds a network type (Lua registers its own through the binding).
  public static func register(_ type: String, _ builder: @escaping Builder) { builders[type] = builder }

  public static var types: [String] { (Array(builders.keys) + ModuleRegistry.types).sorted() }

  /// Builds a model from a description (see the type's doc).
  public static func build(_ desc: JSON, path: String = "model_desc") throws -> Module {
    guard let o = desc.object else { throw DescriptionError("\(path): expected a mapping, got \(desc.text)") }
    if let names = o["modules"], o["type"] == nil {
      guard let list = names.array?.compactMap(\.string), list.count == names.array?.count, !list.isEmpty else {
        throw DescriptionError("\(path).modules: must be a list of part names")
      }
      for k in o.keys where k != "modules" && !list.contains(k) {
        throw DescriptionError("\(path).\(k): not listed in modules \(list)")
      }
      let parts = try list.map { name -> (String, Module) in
        guard let sub = o[name] else { throw DescriptionError("\(path): part '\(name)' listed in modules has no description") }
        return (name, try build(sub, path: "\(path).\(name)"))
      }
      if parts.count == 1 { return parts[0].1 }
      let s = Sequential()
      for (n, m) in parts { s.add(n, m) }
      return s
    }
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

  /// The model description for a sampled config: `network.*` keys merged into `base`.
  public static func description(base: JSON, config: Config) -> JSON { Binding.apply(config, modelDescription: base).model }
}
