import Foundation

/// A name → entry table that the rest of Lyra extends at run time: module and network
/// types, metrics, losses, callbacks, datasets, augmentation ops, trial executors (VEGA's
/// ClassFactory, docs/architecture.md#registries-and-bootstrap).
///
/// Why one type: eight registries each kept a dictionary, a `names` that sorted its keys,
/// a lookup that built the same "unknown x 'y' (did you mean 'z'?)" text and, in one of
/// them only, a lock. Here the policy is written once:
///
/// - **Order.** Entries remember the order they were first registered in (`namesInOrder`);
///   `names` is sorted, which is what error texts and listings show (and what makes
///   `Suggest`'s tie-breaking deterministic).
/// - **Duplicates replace.** Registering a name again replaces its entry and keeps its
///   place, as every registry did before: a Lua plug-in re-run in the same process
///   (notebook cells, a resumed task) redefines its types instead of failing.
/// - **Thread safety.** Every access takes one lock, so workers' threads, the prefetch
///   thread and a plug-in registering at the same time see a consistent table. Entries are
///   called outside the lock (a builder may itself look something up).
/// - **Unknown names.** `lookup` throws `UnknownName` whose text names the kind and the
///   closest registered name; callers prefix the key or path that held the name.
public final class Registry<Entry>: @unchecked Sendable {
  /// What one entry is, in words, for error texts: "module type", "metric", "dataset".
  public let kind: String
  private let lock = NSLock()
  private var entries: [String: Entry] = [:]
  private var order: [String] = []

  /// A registry holding `builtIns` in the order given (a repeated name: the later entry
  /// replaces the earlier one, in the earlier one's place).
  public init(kind: String, _ builtIns: [(String, Entry)] = []) {
    self.kind = kind
    for (name, entry) in builtIns { store(name, entry) }
  }

  /// A registry holding `builtIns`, registered in sorted name order.
  public convenience init(kind: String, _ builtIns: [String: Entry]) {
    self.init(kind: kind, builtIns.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
  }

  /// Adds `entry` as `name`, or replaces the entry already registered as `name` (keeping
  /// its place in `namesInOrder`). Returns the entry it replaced.
  @discardableResult
  public func register(_ name: String, _ entry: Entry) -> Entry? {
    lock.lock(); defer { lock.unlock() }
    return store(name, entry)
  }

  /// Removes `name`; returns its entry, or nil when it was not registered.
  @discardableResult
  public func unregister(_ name: String) -> Entry? {
    lock.lock(); defer { lock.unlock() }
    guard let old = entries.removeValue(forKey: name) else { return nil }
    order.removeAll { $0 == name }
    return old
  }

  /// The entry registered as exactly `name`, or nil.
  public subscript(name: String) -> Entry? {
    lock.lock(); defer { lock.unlock() }
    return entries[name]
  }

  public func contains(_ name: String) -> Bool { self[name] != nil }

  /// Every registered name, sorted (listings, "did you mean" candidates).
  public var names: [String] {
    lock.lock(); defer { lock.unlock() }
    return entries.keys.sorted()
  }

  /// Every registered name in the order first registered.
  public var namesInOrder: [String] {
    lock.lock(); defer { lock.unlock() }
    return order
  }

  /// The entry called `name`. With `ignoringCase`, an exact match wins and otherwise the
  /// first sorted name equal to it ignoring case is taken (`psnr` finds `PSNR`).
  /// Unknown: throws `UnknownName`, "unknown <kind> '<name>'" with the closest of
  /// `candidates` (default: `names`) as a hint.
  public func lookup(_ name: String, ignoringCase: Bool = false, candidates: [String]? = nil) throws -> Entry {
    lock.lock()
    var found = entries[name]
    if found == nil, ignoringCase {
      let folded = name.lowercased()
      found = entries.keys.sorted().first { $0.lowercased() == folded }.flatMap { entries[$0] }
    }
    lock.unlock()
    if let found { return found }
    throw UnknownName(kind: kind, name: name, candidates: candidates ?? names)
  }

  /// `lookup`, turning its message into the caller's own error (which adds the key or path).
  public func lookup(_ name: String, ignoringCase: Bool = false, candidates: [String]? = nil,
                     orThrow wrap: (String) -> Error) throws -> Entry {
    do { return try lookup(name, ignoringCase: ignoringCase, candidates: candidates) } catch let e as UnknownName {
      throw wrap(e.message)
    }
  }

  @discardableResult
  private func store(_ name: String, _ entry: Entry) -> Entry? {
    let old = entries.updateValue(entry, forKey: name)
    if old == nil { order.append(name) }
    return old
  }
}

/// A name no registry entry has: "unknown metric 'acuracy' (did you mean 'accuracy'?)".
public struct UnknownName: Error, CustomStringConvertible {
  public let kind: String
  public let name: String
  public let message: String

  public init(kind: String, name: String, candidates: [String]) {
    self.kind = kind
    self.name = name
    message = "unknown \(kind) '\(name)'\(Suggest.hint(name, in: candidates))"
  }

  public var description: String { message }
}
