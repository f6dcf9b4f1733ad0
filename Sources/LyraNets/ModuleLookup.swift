import LyraNN

/// Finding modules by dotted name, the way fine-grained search keys address them
/// (`backbone.stage2.block1.conv1`). Matching is by whole name components, so
/// `stage2` never matches `stage20`.
extension Module {
  /// The module at `prefix` and everything under it, depth first; "" lists all (self as "").
  public func modules(under prefix: String) -> [(name: String, module: Module)] {
    guard !prefix.isEmpty else { return namedModules() }
    return namedModules().filter { $0.name == prefix || $0.name.hasPrefix(prefix + ".") }
  }

  /// The module with exactly this dotted name ("" is self), or nil.
  public func module(named name: String) -> Module? {
    var m: Module = self
    for part in name.split(separator: ".", omittingEmptySubsequences: false) where !name.isEmpty {
      guard let c = m.children.first(where: { $0.name == part }) else { return nil }
      m = c.module
    }
    return m
  }

  /// Modules of one kind (`Operator.self`, `Block.self`, `Cell.self`) under `prefix`.
  public func modules<T: Module>(ofType type: T.Type, under prefix: String = "") -> [(name: String, module: T)] {
    modules(under: prefix).compactMap { e in (e.module as? T).map { (e.name, $0) } }
  }
}
