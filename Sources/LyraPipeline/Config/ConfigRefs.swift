import LyraBase

/// `ref:` merging and `{placeholder}` substitution (VEGA's UserConfig).
enum ConfigRefs {
  /// Keys a `ref:` never copies (VEGA's exceptions): per-step behaviour stays local.
  static let notInherited: Set<String> = ["callbacks", "lazy_built", "max_train_steps", "with_train", "with_vaild"]

  /// Resolves every `ref: a.b.c` inside `node`: the referenced subtree is deep-merged
  /// under the local keys (local values win). References may chain; cycles are errors.
  static func resolve(_ node: JSON, path: String, root: [String: JSON], seen: [String],
                      fail: (String?, String) -> ConfigError) throws -> JSON {
    switch node {
    case .object(var o):
      if let r = o["ref"] {
        guard let target = r.string else { throw fail("\(path).ref", "must be a dotted path such as nas.trainer") }
        guard !seen.contains(target) else { throw fail("\(path).ref", "reference cycle: \((seen + [target]).joined(separator: " -> "))") }
        guard let found = lookup(target, in: root) else { throw fail("\(path).ref", "'\(target)' does not exist in this config") }
        let base = try resolve(found, path: target, root: root, seen: seen + [target], fail: fail)
        o.removeValue(forKey: "ref")
        var merged = base.object?.filter { !notInherited.contains($0.key) } ?? [:]
        for (k, v) in o { merged[k] = referenceMerge(merged[k], v, key: k) }
        o = merged
      }
      var out: [String: JSON] = [:]
      for (k, v) in o { out[k] = try resolve(v, path: "\(path).\(k)", root: root, seen: seen, fail: fail) }
      return .object(out)
    case .array(let a):
      return .array(try a.enumerated().map { try resolve($1, path: "\(path)[\($0 + 1)]", root: root, seen: seen, fail: fail) })
    default:
      return node
    }
  }

  /// Every `ref:` below `node` (at dotted `path`): where it is and what it names.
  static func references(_ node: JSON, path: String) -> [(path: String, target: String)] {
    switch node {
    case .object(let o):
      var out: [(path: String, target: String)] = []
      if let t = o["ref"]?.string { out.append((path, t)) }
      for (k, v) in o.sorted(by: { $0.key < $1.key }) { out += references(v, path: path.isEmpty ? k : "\(path).\(k)") }
      return out
    case .array(let a):
      return a.enumerated().flatMap { references($1, path: "\(path)[\($0 + 1)]") }
    default:
      return []
    }
  }

  static func lookup(_ dotted: String, in root: [String: JSON]) -> JSON? {
    var cur: JSON = .object(root)
    for part in dotted.split(separator: ".") {
      guard let next = cur[String(part)] else { return nil }
      cur = next
    }
    return cur
  }

  /// Deep merge: mappings merge key by key, anything else is replaced by `over`.
  static func merge(_ base: JSON?, _ over: JSON) -> JSON {
    guard let b = base?.object, let o = over.object else { return over }
    var out = b
    for (k, v) in o { out[k] = merge(b[k], v) }
    return .object(out)
  }

  /// Keys a `ref:` merge replaces whole instead of key by key (VEGA's `update_dict`
  /// exclusions): `fully_train.trainer: {ref: nas.trainer, lr_scheduler: {type: MultiStepLR, ...}}`
  /// takes its own schedule, not StepLR's `step_size` merged under MultiStepLR's params.
  static let replacedWhole: Set<String> = ["loss", "metric", "lr_scheduler", "optim", "model_desc", "transforms"]

  /// `merge` for a `ref:`: the keys of `replacedWhole`, at any depth, are taken from `over` as they are.
  static func referenceMerge(_ base: JSON?, _ over: JSON, key: String) -> JSON {
    guard !replacedWhole.contains(key), let b = base?.object, let o = over.object else { return over }
    var out = b
    for (k, v) in o { out[k] = referenceMerge(b[k], v, key: k) }
    return .object(out)
  }

  /// Replaces placeholders such as `{local_base_path}` in every string.
  static func substitute(_ node: JSON, _ values: [String: String]) -> JSON {
    switch node {
    case .string(var s):
      for (k, v) in values { s = s.replacingOccurrences(of: k, with: v) }
      return .string(s)
    case .array(let a): return .array(a.map { substitute($0, values) })
    case .object(let o): return .object(o.mapValues { substitute($0, values) })
    default: return node
    }
  }
}
