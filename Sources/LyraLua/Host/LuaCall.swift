import CLua

/// The arguments and results of one call from Lua into a Swift function.
///
/// Readers throw `LuaArgumentError` with Lua's wording; the trampoline turns the
/// error into a Lua error whose message starts with the function's full name.
public struct LuaCall {
  public let stack: LuaStack
  /// The full Lua name of the function being called (`lyra.zeros`), for messages.
  public let name: String
  /// The host that registered the function (unchecked: it outlives the call; see `LuaFunctionBox`).
  public unowned(unsafe) let state: LuaState

  public var L: OpaquePointer { stack.L }
  /// Number of arguments passed.
  public var count: Int { Int(stack.top) }

  // MARK: - Required arguments

  public func number(_ i: Int) throws -> Double {
    guard stack.type(Int32(i)) == .number, let v = stack.toNumber(Int32(i)) else { throw expected(i, "number") }
    return v
  }

  public func integer(_ i: Int) throws -> Int {
    guard stack.type(Int32(i)) == .number else { throw expected(i, "number") }
    guard let v = stack.toInteger(Int32(i)) else {
      throw LuaArgumentError(i, "number has no integer representation")
    }
    return v
  }

  public func string(_ i: Int) throws -> String {
    guard let s = stack.toString(Int32(i)) else { throw expected(i, "string") }
    return s
  }

  public func bool(_ i: Int) throws -> Bool {
    guard stack.type(Int32(i)) == .boolean else { throw expected(i, "boolean") }
    return stack.toBool(Int32(i))
  }

  /// The Swift object at `i`, which must be of class `T` (`what` names it in errors).
  public func object<T: AnyObject>(_ i: Int, _ type: T.Type = T.self, what: String) throws -> T {
    if let o = stack.toObject(Int32(i), as: T.self) { return o }
    if stack.type(Int32(i)) == .userdata, lyra_toobject(L, Int32(i)) == nil, stack.typeName(Int32(i)) == what {
      throw LuaArgumentError(i, "\(what) was already freed")
    }
    throw expected(i, what)
  }

  /// Checks that argument `i` is a table (read it with `stack.rawGet`).
  public func table(_ i: Int) throws {
    guard stack.type(Int32(i)) == .table else { throw expected(i, "table") }
  }

  /// Checks that argument `i` is a function and returns a registry reference to it.
  public func function(_ i: Int) throws -> LuaRef {
    guard stack.type(Int32(i)) == .function else { throw expected(i, "function") }
    return LuaRef(state: state, L: L, index: Int32(i))
  }

  // MARK: - Optional arguments

  public func isNil(_ i: Int) -> Bool { stack.isNil(Int32(i)) }
  public func optNumber(_ i: Int, _ d: Double) throws -> Double { isNil(i) ? d : try number(i) }
  public func optInteger(_ i: Int, _ d: Int) throws -> Int { isNil(i) ? d : try integer(i) }
  public func optString(_ i: Int, _ d: String) throws -> String { isNil(i) ? d : try string(i) }
  public func optBool(_ i: Int, _ d: Bool) throws -> Bool { isNil(i) ? d : try bool(i) }

  // MARK: - Results

  public func push(_ v: Bool) { stack.push(v) }
  public func push(_ v: Int) { stack.push(v) }
  public func push(_ v: Double) { stack.push(v) }
  public func push(_ v: String) { stack.push(v) }
  public func push(_ v: [String]) { stack.push(v) }
  public func pushNil() { stack.pushNil() }
  public func push(object: AnyObject, className: String) { stack.push(object: object, className: className) }

  /// The error for argument `i` not being a `what`, in Lua's own words.
  public func expected(_ i: Int, _ what: String) -> LuaArgumentError {
    let got = stack.type(Int32(i)) == .none ? "no value" : stack.typeName(Int32(i))
    return LuaArgumentError(i, "\(what) expected, got \(got)")
  }
}
