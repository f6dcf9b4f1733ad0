import CLua
import LyraBase

/// The body of a Swift function callable from Lua: reads arguments from `call`,
/// pushes results and returns how many. Throwing is the only way to raise a Lua
/// error from Swift; the trampoline raises it after this frame has returned
/// (docs/architecture.md#the-lua-error-rule), so no Swift object is ever skipped by Lua's longjmp.
public typealias LuaFunctionBody = (LuaCall) throws -> Int

/// What a Swift closure pushed into Lua holds: the body, its full name and help text.
final class LuaFunctionBox {
  let body: LuaFunctionBody
  let name: String
  /// Unowned without the check: the state outlives every call of its functions, and the
  /// checked reference costs two atomic operations per call (issue 15).
  unowned(unsafe) let state: LuaState

  init(state: LuaState, name: String, body: @escaping LuaFunctionBody) {
    self.state = state
    self.name = name
    self.body = body
  }

  /// Runs the body; every Swift value it made is released before this returns.
  func invoke(_ L: OpaquePointer) -> Int32 {
    let call = LuaCall(stack: LuaStack(L), name: name, state: state)
    let saved = state.currentThread
    state.currentThread = L
    defer { state.currentThread = saved }
    let message: String
    do {
      let n = try body(call)
      return Int32(n)
    } catch is LuaRaiseTop {
      return LYRA_LUA_ERROR_RAW
    } catch let e as LuaArgumentError {
      message = "bad argument #\(e.index) to '\(name)' (\(e.message))"
    } catch let e as LuaError {
      // Already a Lua message from a nested pcall: raise it as is, without its
      // traceback (the outer handler adds the whole one).
      call.stack.push(e.messageWithoutTraceback)
      return LYRA_LUA_ERROR_RAW
    } catch is Interrupted {
      lyra_disarm_interrupt(L) // the error travels now; the hook must not fire in the handler
      message = "interrupted!"
    } catch {
      let text = "\(error)"
      message = text.hasPrefix(name) ? text : "\(name): \(text)"
    }
    call.stack.push(message)
    return LYRA_LUA_ERROR
  }
}

/// The C-callable entry for every Swift closure (see `lyra_set_swift_hooks`).
let luaSwiftDispatch: lyra_swift_dispatch = { L, box in
  guard let L = L, let box = box else { return 0 }
  return Unmanaged<LuaFunctionBox>.fromOpaque(box).takeUnretainedValue().invoke(L)
}

/// Releases one retain taken by `passRetained` when a userdata is collected or freed.
let luaSwiftRelease: lyra_swift_release = { p in
  guard let p = p else { return }
  Unmanaged<AnyObject>.fromOpaque(p).release()
}
