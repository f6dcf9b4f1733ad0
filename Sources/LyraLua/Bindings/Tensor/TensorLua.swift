import CLua
import LyraBase
import LyraNN
import LyraTensor

/// How tensors cross the Lua boundary: full userdata of class `lyra.Tensor` holding a
/// retained `Tensor`, with the native bytes reported to Lua's collector.
enum TensorLua {
  /// The class name as a C string constant, for the push of every result.
  static let staticClassName: StaticString = "lyra.Tensor"
  static let className = staticClassName.description

  static func push(_ t: Tensor, _ s: LuaStack) { s.push(object: t, staticClassName: staticClassName, nativeBytes: t.byteCount) }

  /// Argument `i` as a float32 or int32 tensor: the types every op takes. An int64,
  /// float64 or bool tensor is an error naming its dtype and suggesting `:float()`, so an
  /// op written for float32 never reads other bits (functions that take every dtype use `any`).
  static func check(_ call: LuaCall, _ i: Int) throws -> Tensor {
    let t = try call.object(i, Tensor.self, what: className)
    if t.dtype.isLegacy { return t }
    throw unsupported(call, i, t.dtype)
  }

  /// Argument `i` as `check` reads it, except that an int64 tensor (PyTorch's type for
  /// labels and token ids) becomes int32 indices: for module inputs (nn.Embedding) and
  /// loss targets. Values beyond int32 are an error.
  static func checkIndices(_ call: LuaCall, _ i: Int) throws -> Tensor {
    let t = try call.object(i, Tensor.self, what: className)
    guard t.dtype == .int64 else { return try check(call, i) }
    if let bad = t.toIntArray().first(where: { $0 < Int(Int32.min) || $0 > Int(Int32.max) }) {
      throw LuaArgumentError(i, "int64 value \(bad) is too large for an index (int32 range)")
    }
    return t.to(.int32)
  }

  /// Argument `i` as a tensor of any dtype.
  static func any(_ call: LuaCall, _ i: Int) throws -> Tensor {
    try call.object(i, Tensor.self, what: className)
  }

  /// The error for a dtype this function does not take.
  static func unsupported(_ call: LuaCall, _ i: Int, _ d: DType) -> LuaArgumentError {
    let op = call.name.split(whereSeparator: { $0 == "." || $0 == ":" }).last.map(String.init) ?? call.name
    return LuaArgumentError(i, "\(op) does not support \(d) tensors (it takes float32); convert with x:float() first (\(d) supports \(TensorDTypeNames.supported(d)); see docs/guide.md#dtypes)")
  }

  /// A tensor element as a Lua value: an integer for int32/int64 (exact), a boolean for
  /// bool, a number for floats.
  static func value(_ v: Scalar) -> LuaValue {
    switch v {
    case .int(let n): return .integer(Int(n))
    case .bool(let b): return .boolean(b)
    default: return .number(v.double)
    }
  }

  static func push(_ v: Scalar, _ s: LuaStack) { s.push(value(v)) }

  static func opt(_ call: LuaCall, _ i: Int) throws -> Tensor? {
    call.isNil(i) ? nil : try check(call, i)
  }

  /// Argument `i` as a tensor, turning a number into a 0-d tensor (for `x + 1`, `2 * x`).
  static func tensorOrNumber(_ call: LuaCall, _ i: Int) throws -> Tensor {
    if call.stack.type(Int32(i)) == .number { return Tensor(Float(try call.number(i))) }
    if let t = call.stack.toObject(Int32(i), as: Tensor.self) {
      if t.dtype.isLegacy { return t }
      throw unsupported(call, i, t.dtype)
    }
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
  /// 1-D tensor; after a table nothing may follow), no size may be negative, and the element count and its bytes are
  /// checked by `CheckedSize` so a huge request is an error stating the bytes asked.
  /// Up to `trailing` arguments after a table belong to the caller (`full({2, 3}, value)`,
  /// `m:latency({1, 28, 28}, repeats)`); sizes given as numbers run to the last argument.
  func sizes(from first: Int, trailing: Int = 0, elementSize: Int = 4) throws -> [Int] {
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
      try noMoreArguments(after: first + trailing, trailing == 0 ? "the sizes were given as a table" : nil)
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

  /// Throws unless nothing follows argument `last`: a stray argument (`zeros({2, 3}, 'x')`,
  /// `full({2}, 7, 'x')`) is a mistake to report, not something to drop silently.
  func noMoreArguments(after last: Int, _ why: String? = nil) throws {
    guard count > last else { return }
    let reason = why.map { " (\($0))" } ?? ""
    throw LuaArgumentError(last + 1, "unexpected \(stack.typeName(Int32(last + 1))): no argument after #\(last)\(reason)")
  }

  /// Throws (as this function's error) unless a tensor of `shape` may be allocated:
  /// the message states the shape and the bytes asked (see `CheckedSize`).
  func checkedAllocation(_ shape: [Int], elementSize: Int = 4, _ what: String = "tensor") throws {
    if Shape.isSmallAllocation(shape, elementSize: elementSize) { return }
    do { try CheckedSize.allocation(shape, elementSize: elementSize, what) } catch let e as SizeError {
      throw LuaFailure(e.description)
    }
  }
}

/// The tensor-shaped options (the rest of `LuaOptions` is the host's, Host/LuaAuxOptions.swift).
extension LuaOptions {
  func tensor(_ key: String) throws -> Tensor? { try get(key, LuaItem.object(Tensor.self, what: TensorLua.className)) }

  /// An integer or a pair `{h, w}`.
  func window(_ key: String) throws -> Window2d? {
    if let v = try withValue(key, { $0.type(-1) == .number ? $0.toInteger(-1) : nil }) { return Window2d(v) }
    // Items as lua_tointegerx reads them (a numeric string counts), as this option always did.
    let item = LuaItemReader<Int>(what: "an integer", plural: "integers") { $0.toInteger(-1) }
    guard let (h, w) = try pair(key, item, "an integer or a pair {h, w}") else { return nil }
    return Window2d(h, w)
  }
}

