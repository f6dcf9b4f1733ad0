import CLua
import CRuntime
import XCTest
@testable import LyraLua

/// The state wrapper, the stdlib and help records.
final class HostTests: XCTestCase {
  func testValuesRoundTrip() throws {
    let state = try LuaState()
    let v: LuaValue = .table(array: [.integer(1), .string("two"), .number(3.5)], fields: ["a": .boolean(true), "b": .table(array: [], fields: ["c": .integer(7)])])
    let r = try state.execute("local t = ...; return t, #t, t.b.c", args: [v])
    XCTAssertEqual(r, [v, .integer(3), .integer(7)])
  }

  func testBytecodeIsRefused() throws {
    let state = try LuaState()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-bc-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("x.luac").path
    let r = try state.execute("local f = load('return 1'); return string.dump(f)")
    guard case .string(let s)? = r.first else { return XCTFail() }
    FileManager.default.createFile(atPath: path, contents: Data(s.utf8))
    XCTAssertThrowsError(try state.load(file: path)) { e in
      XCTAssertTrue("\(e)".contains("bytecode"), "\(e)")
    }
    XCTAssertThrowsError(try state.execute("return load(string.dump(function() end), 'b', 't')()"))
  }

  /// Protected table access runs __index metamethods and turns their errors into Swift errors.
  func testProtectedFieldAccess() throws {
    let state = try LuaState()
    try state.execute("obj = setmetatable({}, {__index = function(t, k) if k == 'bad' then error('no ' .. k) end return k .. '!' end})")
    let s = state.stack
    s.pushGlobals()
    s.rawGet(-1, "obj")
    XCTAssertEqual(try s.field(-1, "x"), .string)
    XCTAssertEqual(s.toString(-1), "x!")
    s.pop()
    XCTAssertThrowsError(try s.field(-1, "bad")) { XCTAssertTrue("\($0)".contains("no bad"), "\($0)") }
    XCTAssertEqual(s.top, 2, "nothing left behind by a failed access")
    s.pop(2)
  }

  func testSyntaxErrorKindAndLine() throws {
    let state = try LuaState()
    XCTAssertThrowsError(try state.execute("x = = 1", name: "@bad.lua")) { e in
      guard let e = e as? LuaError else { return XCTFail() }
      XCTAssertEqual(e.kind, .syntax)
      XCTAssertTrue(e.message.hasPrefix("bad.lua:1:"), e.message)
    }
  }

  func testStdlibFoundAndHelpWorks() throws {
    let host = try LyraHost()
    XCTAssertNotNil(host.state.stdlibPath)
    let r = try host.state.execute("return (lyra.doc(lyra.clock)), select(2, lyra.doc(lyra.clock)), type(lyra.help)")
    guard case .string(let help)? = r.first else { return XCTFail("no help for lyra.clock") }
    XCTAssertTrue(help.hasPrefix("lyra.clock()"))
    XCTAssertEqual(r[1], .string("lyra.clock"))
    XCTAssertEqual(r[2], .string("function"))
  }

  func testEveryFunctionInLyraHasHelp() throws {
    let host = try LyraHost()
    let r = try host.state.execute("""
      local missing = {}
      local function walk(t, path, seen)
        if seen[t] then return end
        seen[t] = true
        for k, v in pairs(t) do
          local name = path .. '.' .. tostring(k)
          if type(v) == 'function' and not lyra.doc(v) then missing[#missing + 1] = name end
          if type(v) == 'table' and type(k) == 'string' and not k:match('^_') and k ~= 'pretty_options' then walk(v, name, seen) end
        end
      end
      walk(lyra, 'lyra', {})
      table.sort(missing)
      return table.concat(missing, ', ')
      """)
    XCTAssertEqual(r, [.string("")], "functions without help")
  }

  func testPrettyPrinter() throws {
    let host = try LyraHost()
    let r = try host.state.execute("""
      local t = {1, 2, {a = 1, b = 'x'}}
      local c = {}; c.self = c
      return lyra.pretty(t), lyra.pretty(c), lyra.pretty({deep = {deeper = {deepest = {}}}}, 2)
      """)
    XCTAssertEqual(r, [.string("{1, 2, {a = 1, b = \"x\"}}"), .string("{self = <cycle>}"), .string("{deep = {deeper = {...}}}")])
  }

  func testCompletionNeverCallsIndexFunctions() throws {
    let host = try LyraHost()
    let r = try host.state.execute("""
      called = false
      local mt = {__index = function() called = true end}
      obj = setmetatable({alpha = 1, apply = print}, mt)
      local a = lyra.repl.complete('obj.a', 'obj.a')
      local b = lyra.repl.complete('obj:', 'obj:')
      local c = lyra.repl.complete('x = "obj.', 'obj.')
      return table.concat(a, ' '), table.concat(b, ' '), c == nil, called
      """)
    XCTAssertEqual(r, [.string("obj.alpha obj.apply("), .string("obj:apply("), .boolean(true), .boolean(false)])
  }

  func testInterruptStopsLuaLoop() throws {
    let state = try LuaState()
    lyra_sigint_install()
    defer {
      lyra_sigint_uninstall()
      lyra_interrupt_clear()
    }
    state.register("stopme", help: "") { _ in
      raise(SIGINT) // as if Ctrl-C were pressed while Lua runs
      return 0
    }
    XCTAssertThrowsError(try state.execute("stopme(); while true do end")) { e in
      XCTAssertTrue("\(e)".contains("interrupted!"), "\(e)")
    }
    lyra_interrupt_clear()
    // The state is usable afterwards and the hook is gone.
    XCTAssertEqual(try state.execute("local n = 0; for i = 1, 100000 do n = n + 1 end; return n"), [.integer(100000)])
  }
}
