import CLua
import XCTest
@testable import LyraLua

/// Counts live instances, so a test can prove that no Swift object was skipped by a
/// Lua error (a longjmp through a Swift frame would leak every one of them).
final class Tracked {
  static var alive = 0
  init() { Tracked.alive += 1 }
  deinit { Tracked.alive -= 1 }
}

/// docs/architecture.md#the-lua-error-rule: a Lua error never unwinds a Swift frame.
final class TrampolineTests: XCTestCase {
  func testFailingSwiftFunctionLeaksNothing() throws {
    let state = try LuaState()
    Tracked.alive = 0
    state.register("failing", help: "always fails") { call in
      let t = Tracked() // lives in this Swift frame
      let items = [t, Tracked()]
      _ = items
      throw LuaError("failing: nope")
    }
    let r = try state.execute("""
      local n = 0
      for i = 1, 10000 do
        local ok, err = pcall(failing)
        if not ok and err:find('failing: nope', 1, true) then n = n + 1 end
      end
      return n
      """)
    XCTAssertEqual(r, [.integer(10000)])
    XCTAssertEqual(Tracked.alive, 0, "Swift objects leaked by Lua errors")
  }

  func testArgumentErrorsUseLuaWordingWithPosition() throws {
    let state = try LuaState()
    state.register("lyra.twice", help: "lyra.twice(x) -> 2x") { call in
      call.push(try call.number(1) * 2)
      return 1
    }
    XCTAssertEqual(try state.execute("return lyra.twice(21)"), [.number(42)])
    XCTAssertThrowsError(try state.execute("lyra.twice('a')", name: "@script.lua")) { e in
      let msg = (e as? LuaError)?.message ?? ""
      XCTAssertTrue(msg.hasPrefix("script.lua:1: bad argument #1 to 'lyra.twice' (number expected, got string)"), msg)
      XCTAssertTrue(msg.contains("stack traceback:"), msg)
    }
  }

  func testOtherSwiftErrorsArePrefixedWithTheFunctionName() throws {
    struct Boom: Error, CustomStringConvertible { var description: String { "channels must be positive, got 0" } }
    let state = try LuaState()
    state.register("lyra.nn.Conv2d", help: "") { _ in throw Boom() }
    let r = try state.execute("local ok, e = pcall(lyra.nn.Conv2d); return e")
    XCTAssertEqual(r, [.string("lyra.nn.Conv2d: channels must be positive, got 0")])
  }

  func testLuaErrorInsideCallbackBecomesSwiftError() throws {
    let state = try LuaState()
    Tracked.alive = 0
    var caught: LuaError?
    state.register("callme", help: "calls f") { call in
      let f = try call.function(1)
      let keep = Tracked()
      do {
        _ = try f.call(nresults: 1, pushArgs: { s in s.push(5); return 1 }, readResults: { s in s.toNumber(-1) })
      } catch let e as LuaError {
        caught = e
      }
      _ = keep
      call.push(true)
      return 1
    }
    let r = try state.execute("return callme(function(x) error('inner ' .. x) end)", name: "@cb.lua")
    XCTAssertEqual(r, [.boolean(true)])
    let msg = caught?.message ?? ""
    XCTAssertTrue(msg.hasPrefix("cb.lua:1: inner 5"), msg)
    XCTAssertTrue(msg.contains("stack traceback:"), msg)
    XCTAssertEqual(Tracked.alive, 0)
  }

  func testCallbackResultsAreRead() throws {
    let state = try LuaState()
    state.register("apply", help: "") { call in
      let f = try call.function(1)
      let x = try call.number(2)
      let y = try f.call(nresults: 1, pushArgs: { s in s.push(x); return 1 }, readResults: { s in s.toNumber(-1) ?? .nan })
      call.push(y)
      return 1
    }
    XCTAssertEqual(try state.execute("return apply(function(v) return v * v end, 7)"), [.number(49)])
  }
}
