import CLua

/// A Lua value held by Swift through the registry (a callback, an objective).
/// The reference is released when this object goes away.
public final class LuaRef {
  /// Weak: a reference may outlive its state (its owner is collected while the state
  /// closes); it must then do nothing.
  public private(set) weak var state: LuaState?
  let ref: Int32

  /// References the value at `index` of thread `L` (which shares `state`'s registry).
  init(state: LuaState, L: OpaquePointer, index: Int32) {
    self.state = state
    lua_pushvalue(L, index)
    ref = luaL_ref(L, lyra_registryindex())
  }

  deinit {
    if let state, !state.isClosed { luaL_unref(state.L, lyra_registryindex(), ref) }
  }

  /// Pushes the referenced value on the main thread's stack.
  public func push() {
    guard let state, !state.isClosed else { return }
    lua_rawgeti(state.L, lyra_registryindex(), lua_Integer(ref))
  }

  /// Pushes the referenced value on `stack` (any thread of the same state).
  public func push(to stack: LuaStack) { lua_rawgeti(stack.L, lyra_registryindex(), lua_Integer(ref)) }

  /// Calls the referenced function in protected mode: `pushArgs` pushes the arguments
  /// and returns their count; `readResults` reads the `nresults` results (from -nresults
  /// to -1) before they are popped. A Lua error becomes a thrown `LuaError` with traceback.
  public func call<R>(nresults: Int32, pushArgs: (LuaStack) -> Int32, readResults: (LuaStack) throws -> R) throws -> R {
    guard let state, !state.isClosed else { throw LuaError(.runtime, "the Lua state is closed") }
    let L = state.currentThread ?? state.L
    let stack = LuaStack(L)
    let base = stack.top
    defer { stack.setTop(base) }
    guard stack.ensure(8) else { throw LuaError(.memory, "stack overflow") }
    lua_rawgeti(L, lyra_registryindex(), lua_Integer(ref))
    let nargs = pushArgs(stack)
    let status = lyra_pcall(L, nargs, nresults)
    if status != LUA_OK { throw LuaState.error(status: status, stack: stack) }
    return try readResults(stack)
  }
}
