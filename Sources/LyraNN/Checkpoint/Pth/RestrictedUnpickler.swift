import Foundation

/// A pickle reader that accepts only what PyTorch's `weights_only=True` loader accepts for
/// state dicts: the protocol-2 container and primitive opcodes, `REDUCE`/`BUILD` on the
/// allow-listed globals (`PickleGlobal`), and `BINPERSID` for storages. Anything else —
/// `GLOBAL 'os system'`, `INST`, `OBJ`, `NEWOBJ`, an unlisted global — is refused with the
/// opcode or global and the file named. Nothing is ever called: the allowed globals are
/// enum cases whose effect (build a tensor, make an empty dict) is written here.
///
/// Bounded: the stack, the marks and the memo have fixed caps, strings are checked against
/// the bytes left before they are read, and containers deeper than `maxDepth` are refused
/// (so neither this reader nor freeing its result recurses without bound).
struct RestrictedUnpickler {
  static let maxStack = 1 << 20
  static let maxMarks = 1 << 12
  static let maxMemo = 1 << 20
  static let maxDepth = 64

  let bytes: [UInt8]
  let file: String

  /// Where the next opcode is read: after `load`, just past its STOP (the legacy format
  /// puts several pickles one after another).
  private(set) var pos: Int
  private var stack: [PickleValue] = []
  /// The memo slot each stack entry was stored in (BINPUT), so filling it updates the slot.
  private var slots: [Int?] = []
  private var marks: [Int] = []
  private var memo: [Int: PickleValue] = [:]

  init(bytes: [UInt8], file: String, from start: Int = 0) {
    self.bytes = bytes
    self.file = file
    pos = start
  }

  private func bad(_ p: String) -> PthError { PthError(file: file, "pickle (data.pkl) at byte \(max(pos - 1, 0)): \(p)") }

  /// `bad` as a closure that does not hold `self` (for closures run while self is changed).
  private func failure() -> (String) -> PthError {
    let (file, at) = (file, max(pos - 1, 0))
    return { PthError(file: file, "pickle (data.pkl) at byte \(at): \($0)") }
  }

  private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
    guard n >= 0, n <= bytes.count - pos else { throw bad("truncated: needs \(n) more bytes, \(bytes.count - pos) left") }
    defer { pos += n }
    return bytes[pos..<(pos + n)]
  }

  private mutating func le(_ n: Int) throws -> UInt64 {
    var v: UInt64 = 0
    for (i, b) in try take(n).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
    return v
  }

  private mutating func line() throws -> String {
    guard let end = bytes[pos...].prefix(256).firstIndex(of: 0x0A) else { throw bad("a GLOBAL name without its newline (truncated?)") }
    defer { pos = end + 1 }
    return String(decoding: bytes[pos..<end], as: UTF8.self)
  }

  private mutating func push(_ v: PickleValue) throws {
    guard stack.count < RestrictedUnpickler.maxStack else { throw bad("more than \(RestrictedUnpickler.maxStack) values on the stack") }
    guard v.depth <= RestrictedUnpickler.maxDepth else { throw bad("containers nested deeper than \(RestrictedUnpickler.maxDepth)") }
    stack.append(v)
    slots.append(nil)
  }

  private mutating func pop() throws -> PickleValue {
    guard let v = stack.popLast() else { throw bad("the stack is empty") }
    slots.removeLast()
    return v
  }

  /// The values since the last MARK, and the mark removed.
  private mutating func popMark() throws -> [PickleValue] {
    guard let m = marks.popLast() else { throw bad("no MARK to close") }
    guard m <= stack.count else { throw bad("the MARK lies above the stack") }
    let items = Array(stack[m...])
    stack.removeSubrange(m...)
    slots.removeSubrange(m...)
    return items
  }

  /// Applies `change` to the container on top of the stack, in place, and to its memo slot.
  private mutating func modifyTop(_ change: (inout PickleValue) throws -> Void) throws {
    guard var top = stack.popLast() else { throw bad("the stack is empty") }
    let slot = slots.removeLast()
    if let slot { memo[slot] = PickleValue.none } // unique again: filled in place, not copied
    try change(&top)
    guard top.depth <= RestrictedUnpickler.maxDepth else { throw bad("containers nested deeper than \(RestrictedUnpickler.maxDepth)") }
    if let slot { memo[slot] = top }
    stack.append(top)
    slots.append(slot)
  }

  private mutating func setItems(_ items: [PickleValue]) throws {
    guard items.count % 2 == 0 else { throw bad("SETITEMS with an odd number of values") }
    let bad = failure()
    try modifyTop { d in
      guard case .dict(var dict) = d else { throw bad("SETITEM(S) on a \(d.typeName), not a dict") }
      d = .none
      for i in stride(from: 0, to: items.count, by: 2) {
        let key: PickleDict.Key
        switch items[i] {
        case .string(let s): key = .string(s)
        case .int(let n): key = .int(n)
        default: throw bad("a dict key of type \(items[i].typeName) (only str and int keys are read)")
        }
        dict.set(key, items[i + 1])
      }
      d = .dict(dict)
    }
  }

  private mutating func append(_ items: [PickleValue]) throws {
    let bad = failure()
    try modifyTop { l in
      guard case .list(var list, let depth) = l else { throw bad("APPEND(S) on a \(l.typeName), not a list") }
      l = .none
      list += items
      l = .list(list, depth: max(depth, 1 + (items.map(\.depth).max() ?? 0)))
    }
  }

  private mutating func memoize(_ index: Int) throws {
    guard let top = stack.last else { throw bad("BINPUT with an empty stack") }
    guard memo.count < RestrictedUnpickler.maxMemo || memo[index] != nil else { throw bad("more than \(RestrictedUnpickler.maxMemo) memo entries") }
    memo[index] = top
    slots[slots.count - 1] = index
  }

  private mutating func fetch(_ index: Int) throws {
    guard let v = memo[index] else { throw bad("BINGET of memo index \(index), which was never stored") }
    try push(v)
  }

  private mutating func global(_ module: String, _ name: String, opcode: String) throws {
    guard let g = PickleGlobal.allowed(module: module, name: name) else {
      throw bad("\(opcode) '\(module).\(name)' is not allowed: a weights-only checkpoint may name only tensor-rebuilding globals; this file could run code when loaded and is refused")
    }
    try push(.global(g))
  }

  /// Runs the pickle to its STOP and returns the result.
  mutating func load() throws -> PickleValue {
    while true {
      let op = try take(1).first!
      switch op {
      case 0x80: // PROTO
        let v = try take(1).first!
        guard v <= 5 else { throw bad("pickle protocol \(v) is unknown") }
      case 0x95: _ = try take(8) // FRAME: a length hint only
      case 0x7D: try push(.dict(PickleDict())) // EMPTY_DICT
      case 0x5D: try push(.list([], depth: 1)) // EMPTY_LIST
      case 0x29: try push(.tuple([])) // EMPTY_TUPLE
      case 0x28: // MARK
        guard marks.count < RestrictedUnpickler.maxMarks else { throw bad("more than \(RestrictedUnpickler.maxMarks) open MARKs") }
        marks.append(stack.count)
      case 0x73: // SETITEM
        let v = try pop(), k = try pop()
        try setItems([k, v])
      case 0x75: try setItems(try popMark()) // SETITEMS
      case 0x61: try append([try pop()]) // APPEND
      case 0x65: try append(try popMark()) // APPENDS
      case 0x4A: try push(.int(Int(Int32(bitPattern: UInt32(try le(4)))))) // BININT
      case 0x4B: try push(.int(Int(try le(1)))) // BININT1
      case 0x4D: try push(.int(Int(try le(2)))) // BININT2
      case 0x8A: // LONG1
        let n = Int(try le(1))
        guard n <= 8 else { throw bad("LONG1 of \(n) bytes (integers up to 8 bytes are read)") }
        var v = n == 0 ? 0 : try le(n)
        if n > 0, n < 8, v & (1 << (8 * UInt64(n) - 1)) != 0 { v |= ~UInt64(0) << (8 * UInt64(n)) } // sign-extend
        try push(.int(Int(Int64(bitPattern: v))))
      case 0x47: // BINFLOAT, big-endian
        let b = try take(8)
        try push(.float(Double(bitPattern: b.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))
      case 0x58: // BINUNICODE
        let n = Int(try le(4))
        try push(.string(String(decoding: try take(n), as: UTF8.self)))
      case 0x8C: // SHORT_BINUNICODE
        let n = Int(try le(1))
        try push(.string(String(decoding: try take(n), as: UTF8.self)))
      case 0x42: try push(.bytes(Array(try take(Int(try le(4)))))) // BINBYTES
      case 0x43: try push(.bytes(Array(try take(Int(try le(1)))))) // SHORT_BINBYTES
      case 0x71: try memoize(Int(try le(1))) // BINPUT
      case 0x72: try memoize(Int(try le(4))) // LONG_BINPUT
      case 0x94: try memoize(memo.count) // MEMOIZE
      case 0x68: try fetch(Int(try le(1))) // BINGET
      case 0x6A: try fetch(Int(try le(4))) // LONG_BINGET
      case 0x85: try push(.tuple([try pop()])) // TUPLE1
      case 0x86: // TUPLE2
        let b = try pop(), a = try pop()
        try push(.tuple([a, b]))
      case 0x87: // TUPLE3
        let c = try pop(), b = try pop(), a = try pop()
        try push(.tuple([a, b, c]))
      case 0x74: try push(.tuple(try popMark())) // TUPLE
      case 0x4E: try push(.none) // NONE
      case 0x88: try push(.bool(true)) // NEWTRUE
      case 0x89: try push(.bool(false)) // NEWFALSE
      case 0x63: try global(try line(), try line(), opcode: "GLOBAL") // GLOBAL
      case 0x93: // STACK_GLOBAL
        let name = try pop(), module = try pop()
        guard case .string(let m) = module, case .string(let n) = name else { throw bad("STACK_GLOBAL needs two strings") }
        try global(m, n, opcode: "STACK_GLOBAL")
      case 0x52: // REDUCE
        let args = try pop(), callable = try pop()
        guard case .global(let g) = callable, case .tuple(let a, _) = args else {
          throw bad("REDUCE on a \(callable.typeName) (only the allowed globals may be called)")
        }
        try push(try call(g, a))
      case 0x81: // NEWOBJ: PyTorch allows it for its allowed classes; of those only OrderedDict is a class
        let args = try pop(), cls = try pop()
        guard case .global(.orderedDict) = cls, case .tuple(let a, _) = args, a.isEmpty else {
          throw bad("NEWOBJ of a \(cls.typeName) is not allowed (only collections.OrderedDict())")
        }
        try push(.dict(PickleDict()))
      case 0x62: // BUILD: state for an OrderedDict (its _metadata) or a parameter; not kept
        _ = try pop()
        guard let top = stack.last else { throw bad("BUILD with an empty stack") }
        switch top {
        case .dict, .tensor: break
        default: throw bad("BUILD on a \(top.typeName) is not allowed")
        }
      case 0x51: // BINPERSID
        try push(.storage(try persistent(try pop())))
      case 0x2E: // STOP
        guard let v = stack.last else { throw bad("STOP with an empty stack") }
        return v
      default:
        throw bad("opcode \(PickleOpcodes.name(op)) is not allowed in a weights-only checkpoint (the file is refused; nothing was run)")
      }
    }
  }

  /// `('storage', type, key, location, count)`, or the legacy format's six-tuple with a
  /// view part that must be None (storage views of torch < 0.4 are not read).
  private func persistent(_ pid: PickleValue) throws -> PthStorageRef {
    guard case .tuple(let t, _) = pid, t.count == 5 || t.count == 6, case .string("storage") = t[0], case .global(.storageType(let dtype)) = t[1],
          case .string(let key) = t[2], case .int(let count) = t[4], count >= 0 else {
      throw bad("a persistent id that is not ('storage', <storage type>, key, location, count)")
    }
    if t.count == 6, case .none = t[5] {} else if t.count == 6 { throw bad("a storage view (torch < 0.4) is not read") }
    return PthStorageRef(dtype: dtype, key: key, count: count)
  }

  private func ints(_ v: PickleValue, _ what: String) throws -> [Int] {
    guard case .tuple(let t, _) = v else { throw bad("\(what) must be a tuple of integers, got \(v.typeName)") }
    return try t.map { e in
      guard case .int(let i) = e else { throw bad("\(what) must be a tuple of integers, got a \(e.typeName) in it") }
      return i
    }
  }

  private func call(_ g: PickleGlobal, _ a: [PickleValue]) throws -> PickleValue {
    switch g {
    case .orderedDict:
      guard a.isEmpty else { throw bad("collections.OrderedDict called with arguments (only OrderedDict() is read)") }
      return .dict(PickleDict())
    case .rebuildTensorV2, .rebuildTensor:
      guard a.count >= 4, case .storage(let s) = a[0], case .int(let offset) = a[1] else {
        throw bad("\(g.name) needs (storage, offset, size, stride, …)")
      }
      return .tensor(PthView(storage: s, offset: offset, size: try ints(a[2], "size"), stride: try ints(a[3], "stride")))
    case .rebuildParameter, .rebuildParameterWithState:
      guard let first = a.first, case .tensor = first else { throw bad("\(g.name) needs a tensor first") }
      return first
    case .storageType:
      throw bad("\(g.name) cannot be called")
    }
  }
}

/// Names of pickle opcodes, for the refusal messages.
enum PickleOpcodes {
  static let names: [UInt8: String] = [
    0x69: "INST", 0x6F: "OBJ", 0x81: "NEWOBJ", 0x92: "NEWOBJ_EX", 0x63: "GLOBAL", 0x93: "STACK_GLOBAL",
    0x52: "REDUCE", 0x62: "BUILD", 0x50: "PERSID", 0x51: "BINPERSID", 0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4",
    0x49: "INT", 0x4C: "LONG", 0x46: "FLOAT", 0x53: "STRING", 0x54: "BINSTRING", 0x55: "SHORT_BINSTRING",
    0x56: "UNICODE", 0x67: "GET", 0x70: "PUT", 0x6C: "LIST", 0x64: "DICT", 0x30: "POP", 0x31: "DUP", 0x32: "POP_MARK",
    0x8B: "LONG4", 0x8F: "EMPTY_SET", 0x90: "ADDITEMS", 0x91: "FROZENSET", 0x8D: "BINUNICODE8", 0x8E: "BINBYTES8",
    0x96: "BYTEARRAY8", 0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER",
  ]

  static func name(_ op: UInt8) -> String {
    let hex = String(format: "0x%02x", op)
    return names[op].map { "\($0) (\(hex))" } ?? hex
  }
}
