import CLua

/// List readers of the Lua host's auxiliary library (Lua's `lauxlib` plays this part in
/// C): the items `t[1] ... t[#t]` of a table as a Swift array, each read by one item
/// reader, and the item readers every binding shares.
///
/// Why one loop: the bindings had a copy of it for every element type (integers, numbers,
/// strings, tensors, transforms...), each with its own push/pop bookkeeping; a slip there
/// unbalances the Lua stack. Reads are raw (`lua_rawgeti`), so no metamethod runs Lua
/// code in the middle of a Swift frame, and nothing here raises: a rejected item becomes
/// the error the caller built, thrown (docs/architecture.md#the-lua-error-rule).
extension LuaStack {
  /// The items 1...#t of the table at `index`, each read by `item` while it is on top of
  /// the stack. For the first item `item` rejects (nil), `failure(k)` (k 1-based, the item
  /// still on top, so the message can name its type) is thrown. The stack is left as it was.
  func list<T>(_ index: Int32, _ item: LuaItemReader<T>, failure: (Int) -> Error) throws -> [T] {
    let t = absIndex(index)
    let n = rawLength(t)
    var out: [T] = []
    out.reserveCapacity(n)
    for k in 1...Swift.max(n, 1) where n > 0 {
      rawGet(t, index: k)
      defer { pop() }
      guard let v = item.read(self) else { throw failure(k) }
      out.append(v)
    }
    return out
  }
}

extension LuaStack {
  /// Calls `body` for every key/value pair of the table at `index` (key at -2, value at
  /// -1, in `lua_next`'s order), raw. `body` must leave the stack as it found it; whether
  /// it returns or throws, the pair is popped, so the stack is left as it was.
  func forEachField(_ index: Int32, _ body: () throws -> Void) throws {
    let t = absIndex(index)
    pushNil()
    while lua_next(L, t) != 0 {
      do { try body() } catch {
        pop(2)
        throw error
      }
      pop()
    }
  }
}

/// One kind of list item: how to read it from the top of the stack (nil when the value is
/// not of this kind) and how messages name it.
struct LuaItemReader<T> {
  /// "an integer", "a string": how an error names one item.
  let what: String
  /// "integers", "strings": how an error names a list of them.
  let plural: String
  let read: (LuaStack) -> T?
}

/// The item readers every binding shares, for `LuaStack.list` and `LuaOptions`.
enum LuaItem {
  /// A number with an integer value (`2.0` is accepted, as `lua_tointegerx` does).
  static let integer = LuaItemReader<Int>(what: "an integer", plural: "integers") { $0.type(-1) == .number ? $0.toInteger(-1) : nil }
  static let number = LuaItemReader<Double>(what: "a number", plural: "numbers") { $0.type(-1) == .number ? $0.toNumber(-1) : nil }
  static let boolean = LuaItemReader<Bool>(what: "a boolean", plural: "booleans") { $0.type(-1) == .boolean ? $0.toBool(-1) : nil }
  /// A string, strictly (a number is not one).
  static let string = LuaItemReader<String>(what: "a string", plural: "strings") { $0.toString(-1) }
  /// A string, or a number written as Lua's `tostring` writes it (labels, captions).
  static let text = LuaItemReader<String>(what: "a string", plural: "strings") { s in
    s.type(-1) == .string || s.type(-1) == .number ? (s.toString(-1) ?? s.describe(-1)) : nil
  }
  /// A Swift object of class `O` (a userdata made by Lyra); `what` is its Lua class name.
  static func object<O: AnyObject>(_ type: O.Type, what: String) -> LuaItemReader<O> {
    LuaItemReader<O>(what: "a \(what)", plural: what) { $0.toObject(-1, as: O.self) }
  }
}
