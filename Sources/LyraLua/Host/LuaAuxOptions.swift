import CLua
import LyraBase

/// Option readers of the Lua host's auxiliary library: a trailing `{key = value}` table
/// (`{padding = 1, bias = false}`) read key by key with type checks; `finish()` rejects keys
/// nobody asked for, so a typo is an error naming the closest known key, not a silent
/// default.
///
/// Every binding reads its options here, so every option error has the same words:
/// `option 'key' must be <kind>, got <type>`, `unknown option 'key' (did you mean ...)`.
/// Reads are raw (no metamethod runs), and errors are thrown, never raised
/// (docs/architecture.md#the-lua-error-rule).
final class LuaOptions {
  let call: LuaCall
  let index: Int32
  /// Keys asked for so far; `finish()` accepts only these.
  var used: Set<String> = []

  init(call: LuaCall, index: Int32) {
    self.call = call
    self.index = index
  }

  /// Runs `read` with the raw value of `key` on top of the stack (nil when absent), marks
  /// `key` as known, and pops it afterwards, whatever `read` does.
  func withValue<T>(_ key: String, _ read: (LuaStack) throws -> T) rethrows -> T {
    used.insert(key)
    let s = call.stack
    s.rawGet(index, key)
    defer { s.pop() }
    return try read(s)
  }

  /// The value of `key` as a `LuaValue` (`.nil` when absent).
  func value(_ key: String) -> LuaValue { withValue(key) { $0.value(-1) } }

  /// The error for option `key` holding something else than `what`.
  func invalid(_ key: String, _ what: String) -> LuaArgumentError {
    LuaArgumentError(Int(index), "option '\(key)' must be \(what)")
  }

  /// The value of `key` read by `item`; nil when absent, an error when of another kind.
  func get<T>(_ key: String, _ item: LuaItemReader<T>) throws -> T? {
    try withValue(key) { s in
      if s.type(-1) == .nil { return nil }
      guard let v = item.read(s) else { throw invalid(key, "\(item.what), got \(s.typeName(-1))") }
      return v
    }
  }

  func int(_ key: String) throws -> Int? { try get(key, LuaItem.integer) }
  func number(_ key: String) throws -> Double? { try get(key, LuaItem.number) }
  func bool(_ key: String) throws -> Bool? { try get(key, LuaItem.boolean) }
  func string(_ key: String) throws -> String? { try get(key, LuaItem.string) }

  /// A seed option: a non-negative integer (a negative seed is an error, not a bit pattern).
  func seed(_ key: String) throws -> UInt64? {
    guard let v = try int(key) else { return nil }
    guard v >= 0 else { throw LuaArgumentError(Int(index), "option '\(key)' must be a non-negative integer seed, got \(v)") }
    return UInt64(v)
  }

  /// A Swift object of class `T` (a userdata made by Lyra); `what` is its Lua class name.
  func object<T: AnyObject>(_ key: String, _ type: T.Type, what: String) throws -> T? {
    try withValue(key) { s in
      if s.type(-1) == .nil { return nil }
      guard let o = s.toObject(-1, as: T.self) else { throw invalid(key, "a \(what)") }
      return o
    }
  }

  /// A list `{a, b, ...}` of `item`s; with `single`, one bare item also counts as a
  /// one-item list (`gamma = 0.1` for `{0.1}`).
  func list<T>(_ key: String, _ item: LuaItemReader<T>, single: Bool = false) throws -> [T]? {
    try withValue(key) { s in
      if s.type(-1) == .nil { return nil }
      if single, let v = item.read(s) { return [v] }
      guard s.type(-1) == .table else {
        throw invalid(key, single ? "\(item.what) or a list of \(item.plural)" : "a list of \(item.plural)")
      }
      return try s.list(-1, item) { k in
        LuaArgumentError(Int(index), "option '\(key)': item \(k) is not \(item.what), got \(s.typeName(-1))")
      }
    }
  }

  func ints(_ key: String) throws -> [Int]? { try list(key, LuaItem.integer) }
  /// A list of numbers, or one number (as a one-item list).
  func numbers(_ key: String) throws -> [Double]? { try list(key, LuaItem.number, single: true) }
  func strings(_ key: String) throws -> [String]? { try list(key, LuaItem.string) }

  /// A pair `{a, b}` of `item`s (nil when absent); `accept` may refuse a pair that reads
  /// (equal limits), with `what` describing what is expected.
  func pair<T>(_ key: String, _ item: LuaItemReader<T>, _ what: String, accept: (T, T) -> Bool = { _, _ in true }) throws -> (T, T)? {
    try withValue(key) { s in
      if s.type(-1) == .nil { return nil }
      guard s.type(-1) == .table, s.rawLength(-1) == 2 else { throw invalid(key, what) }
      let v = try s.list(-1, item) { _ in invalid(key, what) }
      guard accept(v[0], v[1]) else { throw invalid(key, what) }
      return (v[0], v[1])
    }
  }

  /// Fails on an unknown key, naming the closest known one.
  func finish() throws {
    let s = call.stack
    try s.forEachField(index) {
      let key = s.toString(-2) ?? s.describe(-2)
      if !used.contains(key) {
        let hint = Suggest.hint(key, in: Array(used))
        let known = used.sorted().joined(separator: ", ")
        throw LuaArgumentError(Int(index), "unknown option '\(key)'\(hint); known options: \(known)")
      }
    }
  }
}

extension LuaCall {
  /// The options table at `i` (or nil when absent): string keys read raw.
  func options(_ i: Int) throws -> LuaOptions? {
    if isNil(i) { return nil }
    try table(i)
    return LuaOptions(call: self, index: Int32(i))
  }

  /// Argument `i` as a seed: a non-negative integer. Negative seeds are refused rather
  /// than reinterpreted as bit patterns, so `-1` cannot silently mean 2^64 − 1.
  func seed(_ i: Int) throws -> UInt64 {
    let v = try integer(i)
    guard v >= 0 else { throw LuaArgumentError(i, "seed must be a non-negative integer, got \(v)") }
    return UInt64(v)
  }
}
