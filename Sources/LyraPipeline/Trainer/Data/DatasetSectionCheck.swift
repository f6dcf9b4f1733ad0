import LyraBase

extension DatasetSection {
  /// Every problem of the three loaders' keys, found as `loader(_:)` finds them but with
  /// nothing read (`checkOnly`): unknown keys, bad values, a missing `data_path`, a
  /// `data_path` that does not exist.
  ///
  /// Why the keys are rewritten: a mistake in `common` shows up in all three loaders, as
  /// `<path>.train...`, `<path>.val...` and `<path>.test...`. It is one problem, so it is
  /// named once: at `<path>.common.<key>` when the key is in `common`, or at `<path>` when
  /// every loader reports it about the section as a whole (a missing `data_path`).
  public func checkProblems() -> [KeyedError] {
    var found: [(mode: DatasetRegistry.Mode, error: KeyedError)] = []
    for mode in DatasetRegistry.Mode.allCases {
      do { _ = try loader(mode, checkOnly: true) } catch {
        found.append((mode, SearchStep.keyed(error) ?? KeyedError("\(path).\(mode.rawValue)", "\(error)")))
      }
    }
    var out: [KeyedError] = []
    for (mode, k) in found {
      let prefix = "\(path).\(mode.rawValue)"
      var named = k
      if k.key == prefix {
        let everywhere = DatasetRegistry.Mode.allCases.allSatisfy { m in
          found.contains { $0.mode == m && $0.error == KeyedError("\(path).\(m.rawValue)", k.message) }
        }
        if everywhere { named = KeyedError(path, k.message) }
      } else if k.key.hasPrefix(prefix + ".") {
        let rest = k.key.dropFirst(prefix.count + 1)
        let first = String(rest.prefix { $0 != "." && $0 != "[" })
        if modes[mode.rawValue]?[first] == nil, common[first] != nil { named = KeyedError("\(path).common.\(rest)", k.message) }
      }
      if !out.contains(named) { out.append(named) }
    }
    return out
  }
}
