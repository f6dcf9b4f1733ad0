import CLua
import LyraBase
import LyraNN
import LyraTensor

/// How tensors cross the Lua boundary: full userdata of class `lyra.Tensor` holding a
/// retained `Tensor`, with the native bytes reported to Lua's collector.
enum TensorLua {
  static let className = "lyra.Tensor"

  static func push(_ t: Tensor, _ s: LuaStack) { s.push(object: t, className: className, nativeBytes: t.byteCount) }

  /// Argument `i` as a tensor.
  static func check(_ call: LuaCall, _ i: Int) throws -> Tensor {
    try call.object(i, Tensor.self, what: className)
  }

  static func opt(_ call: LuaCall, _ i: Int) throws -> Tensor? {
    call.isNil(i) ? nil : try check(call, i)
  }

  /// Argument `i` as a tensor, turning a number into a 0-d tensor (for `x + 1`, `2 * x`).
  static func tensorOrNumber(_ call: LuaCall, _ i: Int) throws -> Tensor {
    if call.stack.type(Int32(i)) == .number { return Tensor(Float(try call.number(i))) }
    if let t = call.stack.toObject(Int32(i), as: Tensor.self) { return t }
    throw call.expected(i, "lyra.Tensor or number")
  }
}

extension Tensor: LuaNativeSized {
  public var nativeByteCount: Int { byteCount }
}

extension LuaCall {
  /// A 1-based Lua dimension (negative counts from the end) as a 0-based index.
  ///
  /// A 0-d tensor has no dimension to name, except for ops that treat the scalar as a
  /// line of one element (reductions, softmax, argmax: PyTorch accepts dim 1/-1 there);
  /// those pass `scalar: true`. Every other op gets an error instead of indexing an
  /// empty shape.
  func dim(_ i: Int, rank: Int, default d: Int? = nil, scalar: Bool = false) throws -> Int {
    if isNil(i), let d {
      if rank == 0 && !scalar { throw LuaArgumentError(i, "a 0-d tensor has no dimensions") }
      return d
    }
    let v = try integer(i)
    if rank == 0 && !scalar { throw LuaArgumentError(i, "dimension \(v) out of range: a 0-d tensor has no dimensions") }
    let r = Swift.max(rank, 1)
    if v >= 1 && v <= r { return v - 1 }
    if v < 0 && v >= -r { return r + v }
    throw LuaArgumentError(i, "dimension \(v) out of range for a \(rank)-D tensor (use 1..\(r) or -\(r)..-1)")
  }

  /// Sizes given as numbers (`zeros(3, 4)`) or as one table (`zeros({3, 4})`), from `first`.
  ///
  /// Every argument from `first` on must be a size (`zeros(2, 'x')` is an error, not a
  /// 1-D tensor), no size may be negative, and the element count and its bytes are
  /// checked by `CheckedSize` so a huge request is an error stating the bytes asked.
  func sizes(from first: Int, elementSize: Int = 4) throws -> [Int] {
    var out: [Int] = []
    if stack.type(Int32(first)) == .table {
      let n = stack.rawLength(Int32(first))
      guard n <= 64 else { throw LuaArgumentError(first, "\(n) sizes given; at most 64 dimensions") }
      for k in 1...Swift.max(n, 1) where n > 0 {
        stack.rawGet(Int32(first), index: k)
        defer { stack.pop() }
        guard stack.type(-1) == .number, let v = stack.toInteger(-1) else {
          throw LuaArgumentError(first, "sizes must be integers, item \(k) is \(stack.type(-1) == .number ? "not an integer" : stack.typeName(-1))")
        }
        out.append(v)
      }
    } else {
      var i = first
      while i <= count {
        guard stack.type(Int32(i)) == .number else { throw expected(i, "size (an integer) or a table of sizes") }
        out.append(try integer(i))
        i += 1
      }
      guard out.count <= 64 else { throw LuaArgumentError(first, "\(out.count) sizes given; at most 64 dimensions") }
    }
    if let bad = out.first(where: { $0 < 0 }) { throw LuaArgumentError(first, "size \(bad) is negative") }
    try checkedAllocation(out, elementSize: elementSize)
    return out
  }

  /// Throws (as this function's error) unless a tensor of `shape` may be allocated:
  /// the message states the shape and the bytes asked (see `CheckedSize`).
  func checkedAllocation(_ shape: [Int], elementSize: Int = 4, _ what: String = "tensor") throws {
    do { try CheckedSize.allocation(shape, elementSize: elementSize, what) } catch let e as SizeError {
      throw LuaFailure(e.description)
    }
  }

  /// Argument `i` as a seed: a non-negative integer. Negative seeds are refused rather
  /// than reinterpreted as bit patterns, so `-1` cannot silently mean 2^64 − 1.
  func seed(_ i: Int) throws -> UInt64 {
    let v = try integer(i)
    guard v >= 0 else { throw LuaArgumentError(i, "seed must be a non-negative integer, got \(v)") }
    return UInt64(v)
  }

  /// The options table at `i` (or nil when absent): string keys read raw.
  func options(_ i: Int) throws -> LuaOptions? {
    if isNil(i) { return nil }
    try table(i)
    return LuaOptions(call: self, index: Int32(i))
  }
}

/// Reads a trailing options table (`{padding = 1, bias = false}`); `finish()` rejects
/// keys nobody asked for, so a typo is an error and not a silent default.
final class LuaOptions {
  let call: LuaCall
  let index: Int32
  var used: Set<String> = []

  init(call: LuaCall, index: Int32) {
    self.call = call
    self.index = index
  }

  private func get<T>(_ key: String, _ read: (LuaStack) -> T?, _ what: String) throws -> T? {
    used.insert(key)
    let s = call.stack
    let t = s.rawGet(index, key)
    defer { s.pop() }
    if t == .nil { return nil }
    guard let v = read(s) else {
      throw LuaArgumentError(Int(index), "option '\(key)' must be \(what), got \(s.typeName(-1))")
    }
    return v
  }

  func int(_ key: String) throws -> Int? { try get(key, { $0.type(-1) == .number ? $0.toInteger(-1) : nil }, "an integer") }
  func number(_ key: String) throws -> Double? { try get(key, { $0.type(-1) == .number ? $0.toNumber(-1) : nil }, "a number") }
  func bool(_ key: String) throws -> Bool? { try get(key, { $0.type(-1) == .boolean ? $0.toBool(-1) : nil }, "a boolean") }
  func string(_ key: String) throws -> String? { try get(key, { $0.toString(-1) }, "a string") }
  /// A seed option: a non-negative integer (a negative seed is an error, not a bit pattern).
  func seed(_ key: String) throws -> UInt64? {
    guard let v = try int(key) else { return nil }
    guard v >= 0 else { throw LuaArgumentError(Int(index), "option '\(key)' must be a non-negative integer seed, got \(v)") }
    return UInt64(v)
  }
  func tensor(_ key: String) throws -> Tensor? { try get(key, { $0.toObject(-1, as: Tensor.self) }, "a lyra.Tensor") }

  /// An integer or a pair `{h, w}`.
  func window(_ key: String) throws -> Window2d? {
    used.insert(key)
    let s = call.stack
    let t = s.rawGet(index, key)
    defer { s.pop() }
    if t == .nil { return nil }
    if t == .number, let v = s.toInteger(-1) { return Window2d(v) }
    if t == .table, s.rawLength(-1) == 2 {
      s.rawGet(-1, index: 1)
      s.rawGet(-2, index: 2)
      defer { s.pop(2) }
      if let h = s.toInteger(-2), let w = s.toInteger(-1) { return Window2d(h, w) }
    }
    throw LuaArgumentError(Int(index), "option '\(key)' must be an integer or a pair {h, w}")
  }

  /// Fails on an unknown key, naming the closest known one.
  func finish() throws {
    let s = call.stack
    s.pushNil()
    while lua_next(call.L, index) != 0 {
      s.pop()
      let key = s.toString(-1) ?? s.describe(-1)
      if !used.contains(key) {
        s.pop()
        let hint = Suggest.hint(key, in: Array(used))
        let known = used.sorted().joined(separator: ", ")
        throw LuaArgumentError(Int(index), "unknown option '\(key)'\(hint); known options: \(known)")
      }
    }
  }
}

