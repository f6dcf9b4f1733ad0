import LyraBase
import LyraNN

/// Reads the typed keys of one config object (`params` of a metric, loss or scheduler,
/// or the trainer section itself) and remembers which were read, so `finish()` can
/// reject a key nobody asked for, naming it and the closest known key.
///
/// Why strict: a misspelt `weight_decy` silently ignored costs a whole search (docs/architecture.md#bad-input).
public final class ParamReader {
  public let values: [String: JSON]
  /// Where the object sits in the config ("trainer.metric.params"), for messages.
  public let path: String
  private var known: Set<String> = []
  /// Check only (`lyra run --check`, the check before the first trial): a factory reads
  /// and checks its keys as usual but opens nothing: the files it names must exist.
  public var checkOnly = false

  public init(_ values: [String: JSON], path: String) {
    self.values = values
    self.path = path
  }

  /// From a JSON value that must be an object (null counts as empty).
  public convenience init(_ json: JSON?, path: String) throws {
    switch json {
    case nil, .null?: self.init([:], path: path)
    case .object(let o)?: self.init(o, path: path)
    case let v?: throw TrainerError.config(key: path, "expected an object, got \(v.text)")
    }
  }

  /// Marks keys as known without reading them (accepted for compatibility, no effect).
  public func accept(_ keys: [String]) { known.formUnion(keys) }

  /// Whether `key` was read or accepted already.
  public func isKnown(_ key: String) -> Bool { known.contains(key) }

  /// The raw value (nil when absent or null).
  public func raw(_ key: String) -> JSON? {
    known.insert(key)
    if let v = values[key], v != .null { return v }
    return nil
  }

  public func double(_ key: String, _ fallback: Double) throws -> Double {
    guard let v = raw(key) else { return fallback }
    guard let d = v.double else { throw TrainerError.config(key: "\(path).\(key)", "expected a number, got \(v.text)") }
    return d
  }

  public func optionalDouble(_ key: String) throws -> Double? {
    guard raw(key) != nil else { return nil }
    return try double(key, 0)
  }

  public func int(_ key: String, _ fallback: Int, min: Int? = nil) throws -> Int {
    guard let v = raw(key) else { return fallback }
    guard let i = v.int else { throw TrainerError.config(key: "\(path).\(key)", "expected an integer, got \(v.text)") }
    if let min, i < min { throw TrainerError.config(key: "\(path).\(key)", "must be at least \(min), got \(i)") }
    return i
  }

  public func optionalInt(_ key: String, min: Int? = nil) throws -> Int? {
    guard raw(key) != nil else { return nil }
    return try int(key, 0, min: min)
  }

  public func bool(_ key: String, _ fallback: Bool) throws -> Bool {
    guard let v = raw(key) else { return fallback }
    guard let b = v.bool else { throw TrainerError.config(key: "\(path).\(key)", "expected true or false, got \(v.text)") }
    return b
  }

  public func string(_ key: String, _ fallback: String) throws -> String {
    guard let v = raw(key) else { return fallback }
    guard let s = v.string else { throw TrainerError.config(key: "\(path).\(key)", "expected a string, got \(v.text)") }
    return s
  }

  public func optionalString(_ key: String) throws -> String? {
    guard raw(key) != nil else { return nil }
    return try string(key, "")
  }

  /// A list of integers; a single integer is read as a list of one.
  public func ints(_ key: String, _ fallback: [Int]) throws -> [Int] {
    guard let v = raw(key) else { return fallback }
    if let i = v.int { return [i] }
    let out = v.array?.compactMap(\.int) ?? []
    guard let a = v.array, out.count == a.count else {
      throw TrainerError.config(key: "\(path).\(key)", "expected a list of integers, got \(v.text)")
    }
    return out
  }

  /// Throws on the first key (in sorted order) that was neither read nor accepted.
  public func finish() throws {
    if let first = unknownKeys.first { throw TrainerError.keyed(first) }
  }

  /// Every key nobody read or accepted, each keyed at itself (its line is the one to fix,
  /// and a `--set` that added it or a `ref:` that brought it is found by its key) with the
  /// closest known key.
  public var unknownKeys: [KeyedError] {
    values.keys.sorted().filter { !known.contains($0) }.map { k in
      KeyedError("\(path).\(k)", "unknown key '\(k)'\(Suggest.hint(k, in: known.sorted()))")
    }
  }
}

/// A `{type: Name, params: {...}}` section (optimizer, lr_scheduler, loss, metric), also
/// accepted as a bare name string, as VEGA's configs write `loss: CrossEntropyLoss`.
public struct ComponentSpec: Equatable {
  public var type: String
  public var params: [String: JSON]

  public init(type: String, params: [String: JSON] = [:]) {
    self.type = type
    self.params = params
  }

  /// `extraKeys` are keys allowed beside `type` and `params` (`by_epoch` for schedulers).
  public init(_ json: JSON, path: String, extraKeys: [String] = []) throws {
    if let s = json.string {
      self.init(type: s)
      return
    }
    let r = try ParamReader(json, path: path)
    guard let t = try r.optionalString("type") else { throw TrainerError.config(key: path, "missing 'type'") }
    let p = try ParamReader(r.raw("params"), path: path + ".params")
    r.accept(extraKeys)
    try r.finish()
    self.init(type: t, params: p.values)
  }

  /// The section back as JSON (for records and checkpoints).
  public var json: JSON { .object(["type": .string(type), "params": .object(params)]) }
}
