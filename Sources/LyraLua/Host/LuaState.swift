import CLua
import CRuntime
import Foundation

/// One Lua 5.4 interpreter and everything Lyra registered in it.
///
/// All calls from Swift into Lua go through `lyra_pcall` (with a traceback handler);
/// all calls from Lua into Swift go through the C trampoline. So a Lua error never
/// unwinds a Swift frame (docs/architecture.md#the-lua-error-rule).
public final class LuaState {
  /// The main thread.
  public let L: OpaquePointer
  public private(set) var isClosed = false
  /// The stdlib folder found at start (holds `lyra/init.lua`), if any.
  public private(set) var stdlibPath: String?
  /// The thread running the innermost Swift function called from Lua (a coroutine or
  /// the main thread): callbacks from that function run on it.
  /// (`@exclusivity(unchecked)`: saved and restored around every call from Lua, where the
  /// run-time access tracking cost more than the rest of the trampoline; issue 15.)
  @exclusivity(unchecked) public internal(set) var currentThread: OpaquePointer?

  private static let hooksInstalled: Void = {
    lyra_set_swift_hooks(luaSwiftDispatch, luaSwiftRelease)
  }()

  /// The collector's pause (percent of heap growth + 100 that starts a cycle): 130 instead
  /// of Lua's 200, which let the garbage of small tensor ops pile up (see `lyra_gc_set_pause`).
  public static let gcPause: Int32 = 130

  /// Registry key of the table mapping functions to their help text (weak keys).
  static let helpKey = "lyra.help"
  /// Registry key of the table mapping functions to their full names (weak keys).
  static let namesKey = "lyra.names"

  /// Creates a state with the standard libraries open and `package.path` pointing at
  /// Lyra's stdlib (found with `LuaStdlib.locate`). Throws if Lua cannot start.
  public init(openLibraries: Bool = true) throws {
    _ = LuaState.hooksInstalled
    guard let L = lyra_newstate() else { throw LuaError(.memory, "cannot create a Lua state: not enough memory") }
    self.L = L
    if openLibraries {
      let status = lyra_openlibs(L)
      if status != LUA_OK { throw LuaState.error(status: status, stack: LuaStack(L)) }
    }
    lyra_gc_set_pause(L, LuaState.gcPause)
    makeWeakTable(LuaState.helpKey)
    makeWeakTable(LuaState.namesKey)
    if let dir = LuaStdlib.locate() {
      stdlibPath = dir
      try execute("package.path = ... .. '/?.lua;' .. ... .. '/?/init.lua;' .. package.path",
                  name: "=(lyra)", args: [.string(dir)])
    }
  }

  deinit { close() }

  /// Closes the state now: every userdata is collected and its Swift object released.
  public func close() {
    guard !isClosed else { return }
    isClosed = true
    lyra_set_interrupt_target(nil)
    lua_close(L)
  }

  public var stack: LuaStack { LuaStack(L) }

  private func makeWeakTable(_ key: String) {
    let s = stack
    lua_createtable(L, 0, 0)
    lua_createtable(L, 0, 1)
    s.push("k")
    s.rawSet(-2, "__mode")
    lua_setmetatable(L, -2)
    s.rawSet(lyra_registryindex(), key)
  }

  // MARK: - Errors

  /// The `LuaError` for a failed load or call whose message is on top (popped).
  static func error(status: Int32, stack: LuaStack) -> LuaError {
    let msg = stack.toString(-1) ?? (stack.type(-1) == .nil ? "nil" : stack.describe(-1))
    stack.pop()
    switch status {
    case LUA_ERRSYNTAX: return LuaError(.syntax, msg)
    case LUA_ERRMEM: return LuaError(.memory, msg)
    case LUA_ERRFILE: return LuaError(.file, msg)
    default: return LuaError(.runtime, msg)
    }
  }

  // MARK: - Running code

  /// Compiles `code` (text only, never bytecode) and leaves the function on the stack.
  public func load(_ code: String, name: String) throws {
    let status: Int32 = code.utf8CString.withUnsafeBufferPointer { buf in
      lyra_loadtext(L, buf.baseAddress, buf.count - 1, name)
    }
    if status != LUA_OK { throw LuaState.error(status: status, stack: stack) }
  }

  /// Reads and compiles a Lua source file; a missing file or a bytecode file is a clear error.
  public func load(file path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LuaError(.file, "cannot open \(path)")
    }
    if data.first == 0x1B { throw LuaError(.syntax, "\(path): precompiled (bytecode) chunks are not accepted; load the .lua source") }
    var text = String(decoding: data, as: UTF8.self)
    if text.hasPrefix("#") { // skip a '#!' line, keeping line numbers
      if let nl = text.firstIndex(of: "\n") { text = String(text[nl...]) } else { text = "" }
    }
    try load(text, name: "@" + path)
  }

  /// Seconds a top-level call may run (the sandbox's --max-seconds; 0: no limit). Nested
  /// calls (Swift calling back into Lua) run under the deadline of the outermost one.
  public var timeLimit: Double = 0 { didSet { lyra_time_limit_configure(timeLimit) } }
  private var callDepth = 0

  /// Calls the function below `nargs` arguments under protection, running with Ctrl-C
  /// armed. Leaves `nresults` results (all of them for `LUA_MULTRET`) and returns how many.
  @discardableResult
  public func call(nargs: Int32, nresults: Int32 = LUA_MULTRET) throws -> Int32 {
    let base = stack.top - nargs - 1
    callDepth += 1
    let limited = callDepth == 1 && timeLimit > 0 && lyra_time_limit_start(L) == 1
    defer {
      callDepth -= 1
      if limited { lyra_time_limit_stop(L) }
    }
    lyra_set_interrupt_target(L)
    let status = lyra_pcall(L, nargs, nresults)
    lyra_set_interrupt_target(nil)
    lyra_disarm_interrupt(L)
    if status != LUA_OK { throw LuaState.error(status: status, stack: stack) }
    return stack.top - base
  }

  /// Runs a chunk and returns its results as Swift values.
  @discardableResult
  public func execute(_ code: String, name: String = "=(lyra)", args: [LuaValue] = []) throws -> [LuaValue] {
    let base = stack.top
    defer { stack.setTop(base) }
    try load(code, name: name)
    for a in args { stack.push(a) }
    let n = try call(nargs: Int32(args.count))
    return (0..<n).map { stack.value(base + 1 + $0) }
  }

  /// Runs a chunk and returns its first result as a display string (`tostring`).
  public func evaluateString(_ code: String) throws -> String {
    let base = stack.top
    defer { stack.setTop(base) }
    try load(code, name: "=(lyra)")
    let n = try call(nargs: 0, nresults: 1)
    return n > 0 ? stack.describe(-1) : ""
  }

  // MARK: - Registering Swift functions

  /// Pushes a Swift function as a Lua function named `name`, with `help` text for `? name`.
  public func pushFunction(_ name: String, help: String, _ body: @escaping LuaFunctionBody) {
    let box = LuaFunctionBox(state: self, name: name, body: body)
    lyra_pushswiftclosure(L, Unmanaged.passRetained(box).toOpaque(), 0)
    setHelp(-1, name: name, help: help)
  }

  /// Records help text and full name for the function (or any value) at `index`.
  public func setHelp(_ index: Int32, name: String, help: String) {
    let s = stack
    let v = s.absIndex(index)
    for (key, text) in [(LuaState.helpKey, help), (LuaState.namesKey, name)] {
      s.rawGet(lyra_registryindex(), key)
      s.pushValue(v)
      s.push(text)
      lua_rawset(L, -3)
      s.pop()
    }
  }

  /// The help text recorded for the value at `index`, if any.
  public func help(_ index: Int32) -> String? {
    let s = stack
    let v = s.absIndex(index)
    s.rawGet(lyra_registryindex(), LuaState.helpKey)
    s.pushValue(v)
    lua_rawget(L, -2)
    defer { s.pop(2) }
    return s.toString(-1)
  }

  /// Registers `body` as the Lua function at dotted `path` (`lyra.clock`), creating
  /// the enclosing tables as needed.
  public func register(_ path: String, help: String, _ body: @escaping LuaFunctionBody) {
    let parts = path.split(separator: ".")
    let field = String(parts.last!)
    let s = stack
    if parts.count > 1 { s.pushTable(path: parts.dropLast().joined(separator: ".")) } else { s.pushGlobals() }
    pushFunction(path, help: help, body)
    s.rawSet(-2, field)
    s.pop()
  }

  /// Sets the global `name` to `value`.
  public func setGlobal(_ name: String, _ value: LuaValue) {
    let s = stack
    s.pushGlobals()
    s.push(value)
    s.rawSet(-2, name)
    s.pop()
  }

  // MARK: - Classes of Swift objects

  /// Defines the metatable `name` for Swift objects: `methods` become a plain table
  /// under `__index` (so completion can list them without calling anything), and
  /// `metamethods` (`__tostring`, `__add`, `__len`, ...) are set directly. `__gc`
  /// and `__close` release the object; `free` is added to release it early.
  /// With `index`, `__index` becomes a C dispatcher: method names are looked up in the
  /// methods table first (as fast as a plain table), any other key (numbers, tables,
  /// properties such as `x.grad`) goes to `index(object, key)`. The methods table is
  /// also stored as `__methods` for completion.
  public func defineClass(_ name: String, methods: [LuaMethod], metamethods: [LuaMethod] = [], index: LuaMethod? = nil) {
    let s = stack
    lyra_newclass(L, name)
    lua_createtable(L, 0, Int32(methods.count + 1))
    pushFunction("\(name):free", help: "x:free()\nReleases the native object now instead of at garbage collection.") { call in
      lyra_freeobject(call.L, 1)
      return 0
    }
    s.rawSet(-2, "free")
    for m in methods {
      pushFunction("\(name):\(m.name)", help: m.help, m.body)
      s.rawSet(-2, m.name)
    }
    s.pushValue(-1)
    s.rawSet(-3, "__methods")
    if let index {
      pushFunction("\(name).__index", help: index.help, index.body)
      lyra_pushindexer(L)
    }
    s.rawSet(-2, "__index")
    for m in metamethods {
      pushFunction("\(name).\(m.name)", help: m.help, m.body)
      s.rawSet(-2, m.name)
    }
    s.pop()
  }

  // MARK: - Memory

  /// Kilobytes in use by Lua itself.
  public var memoryKB: Int { Int(lyra_gc_count_kb(L)) }
  /// Runs a full garbage collection.
  public func collectGarbage() { lyra_gc_collect(L) }
}

/// One method or metamethod of a class defined with `LuaState.defineClass`.
public struct LuaMethod {
  public var name: String
  public var help: String
  public var body: LuaFunctionBody
  public init(_ name: String, help: String, _ body: @escaping LuaFunctionBody) {
    self.name = name
    self.help = help
    self.body = body
  }
}
