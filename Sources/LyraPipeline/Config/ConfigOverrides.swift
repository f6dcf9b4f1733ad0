import LyraBase

/// `lyra run cfg.yml --set hpo.dataset.train.max_samples=512 --set general.seed=3`:
/// command-line changes to a config, like VEGA's `-dt/-dp/-bs/-es` but for any key.
/// A value is read as YAML (`3` an integer, `[1, 2]` a list, `{a: 1}` a mapping, `SGD`
/// a string); missing mappings on the path are created. The config is checked after the
/// changes, so a misspelt key is the usual error naming it.
public enum ConfigOverrides {
  public static func apply(_ config: JSON, _ assignments: [String]) throws -> JSON {
    var out = config
    for a in assignments {
      guard let eq = a.firstIndex(of: "="), eq != a.startIndex else {
        throw ConfigError(file: "--set", line: nil, key: nil, message: "expected KEY=VALUE (e.g. hpo.trainer.epochs=2), got '\(a)'")
      }
      let key = String(a[..<eq]), text = String(a[a.index(after: eq)...])
      let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
      guard !path.contains(where: \.isEmpty) else {
        throw ConfigError(file: "--set", line: nil, key: key, message: "the key '\(key)' has an empty part")
      }
      let value: JSON
      do { value = try YAMLDocument(text: "v: " + text, file: "--set \(key)").value["v"] ?? .null } catch {
        throw ConfigError(file: "--set", line: nil, key: key, message: "the value '\(text)' is not valid YAML")
      }
      out = try set(out, path[...], value, key: key)
    }
    return out
  }

  static func set(_ node: JSON, _ path: ArraySlice<String>, _ value: JSON, key: String) throws -> JSON {
    guard let first = path.first else { return value }
    var o: [String: JSON]
    switch node {
    case .object(let m): o = m
    case .null: o = [:]
    default: throw ConfigError(file: "--set", line: nil, key: key, message: "'\(first)' is inside a value that is not a mapping")
    }
    o[first] = try set(o[first] ?? .null, path.dropFirst(), value, key: key)
    return .object(o)
  }

  /// The problems a `--set` caused, named after it (`--set hpo.trainer.epoch=2: unknown key
  /// 'epoch' (did you mean 'epochs'?)`) rather than after a line of the file, which does not
  /// hold the value: those at the set key or below it.
  public static func attribute(_ problems: [ConfigError], to assignments: [String]) -> [ConfigError] {
    let sets: [(key: String, text: String)] = assignments.compactMap { a in
      guard let eq = a.firstIndex(of: "="), eq != a.startIndex else { return nil }
      return (String(a[..<eq]), a)
    }
    return problems.map { p in
      guard let k = p.key, let s = sets.last(where: { k == $0.key || k.hasPrefix($0.key + ".") || k.hasPrefix($0.key + "[") })
      else { return p }
      // The set names the place; a deeper key (inside a mapping the set gave) stays.
      return ConfigError(file: "--set \(s.text)", line: nil, key: k == s.key ? nil : k, message: p.message)
    }
  }
}
