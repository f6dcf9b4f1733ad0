import LyraBase
import XCTest
@testable import LyraLua

/// The host's auxiliary library (Host/LuaAux*.swift): option tables, list readers, the
/// JSON ⇄ Lua bridge and one-value methods, driven from Lua through throwaway functions.
final class LuaAuxTests: XCTestCase {
  /// A state with `aux.opts(t)`: reads every kind of option, checks that each reader left
  /// the stack as it found it (also when it threw), and returns what it read as JSON text.
  func state() throws -> LuaState {
    let state = try LuaState()
    state.register("aux.opts", help: "aux.opts(t) -> json: what LuaOptions read (test only)") { call in
      guard let o = try call.options(1) else { throw call.expected(1, "table") }
      let top = call.stack.top
      func balanced<T>(_ read: () throws -> T) throws -> T {
        defer { XCTAssertEqual(call.stack.top, top, "a reader left the stack unbalanced") }
        return try read()
      }
      var out: [String: JSON] = [:]
      if let n = try balanced({ try o.int("n") }) { out["n"] = JSON(n) }
      if let x = try balanced({ try o.number("x") }) { out["x"] = .number(x) }
      if let b = try balanced({ try o.bool("flag") }) { out["flag"] = .bool(b) }
      if let s = try balanced({ try o.string("name") }) { out["name"] = .string(s) }
      if let v = try balanced({ try o.seed("seed") }) { out["seed"] = JSON(Int(v)) }
      if let xs = try balanced({ try o.ints("xs") }) { out["xs"] = .array(xs.map { JSON($0) }) }
      if let ws = try balanced({ try o.numbers("ws") }) { out["ws"] = .array(ws.map { .number($0) }) }
      if let ss = try balanced({ try o.strings("ss") }) { out["ss"] = .array(ss.map { .string($0) }) }
      if let ts = try balanced({ try o.list("ts", LuaItem.text) }) { out["ts"] = .array(ts.map { .string($0) }) }
      if let p = try balanced({ try o.pair("lim", LuaItem.number, "a pair of different numbers") { $0 != $1 } }) {
        out["lim"] = .array([.number(p.0), .number(p.1)])
      }
      try balanced { try o.finish() }
      call.push(JSON.object(out).text)
      return 1
    }
    state.register("aux.sum", help: "aux.sum(list) -> number: LuaStack.list over numbers (test only)") { call in
      try call.table(1)
      let top = call.stack.top
      let xs: [Double]
      do {
        defer { XCTAssertEqual(call.stack.top, top, "the list reader left the stack unbalanced") }
        xs = try call.stack.list(1, LuaItem.number) { k in LuaArgumentError(1, "item \(k) is a \(call.stack.typeName(-1))") }
      }
      call.push(xs.reduce(0, +))
      return 1
    }
    return state
  }

  func read(_ state: LuaState, _ table: String) throws -> JSON {
    guard case .string(let text)? = try state.execute("return aux.opts(\(table))").first else { throw LuaFailure("no text") }
    return try JSON.parse(Data(text.utf8))
  }

  func assertError(_ state: LuaState, _ table: String, _ parts: [String], line: UInt = #line) {
    XCTAssertThrowsError(try state.execute("return aux.opts(\(table))"), line: line) { e in
      for p in parts { XCTAssertTrue("\(e)".contains(p), "'\(e)' lacks '\(p)'", line: line) }
    }
  }

  func testOptionsReadEveryKind() throws {
    let s = try state()
    let v = try read(s, "{n = 3, x = 0.5, flag = true, name = 'a', seed = 7, xs = {1, 2.0}, ws = 0.25, ss = {'p', 'q'}, ts = {'a', 2}, lim = {1, 2}}")
    XCTAssertEqual(v, .object(["n": JSON(3), "x": .number(0.5), "flag": .bool(true), "name": .string("a"), "seed": JSON(7),
                               "xs": .array([JSON(1), JSON(2)]), "ws": .array([.number(0.25)]), "ss": .array([.string("p"), .string("q")]),
                               "ts": .array([.string("a"), .string("2")]), "lim": .array([.number(1), .number(2)])]))
    XCTAssertEqual(try read(s, "{}"), .object([:]))
    XCTAssertEqual(try read(s, "{ws = {1, 2}, xs = {}}"), .object(["ws": .array([.number(1), .number(2)]), "xs": .array([])]))
  }

  func testOptionErrorsNameTheKeyAndTheItem() throws {
    let s = try state()
    assertError(s, "{nmae = 'a'}", ["unknown option 'nmae'", "did you mean 'name'"])
    assertError(s, "{n = 'x'}", ["option 'n' must be an integer, got string"])
    assertError(s, "{n = 1.5}", ["option 'n' must be an integer, got number"])
    assertError(s, "{seed = -1}", ["option 'seed' must be a non-negative integer seed, got -1"])
    assertError(s, "{xs = 3}", ["option 'xs' must be a list of integers"])
    assertError(s, "{xs = {1, 'b'}}", ["option 'xs': item 2 is not an integer, got string"])
    assertError(s, "{ws = 'w'}", ["option 'ws' must be a number or a list of numbers"])
    assertError(s, "{ss = {'a', 1}}", ["option 'ss': item 2 is not a string, got number"])
    assertError(s, "{ts = {'a', true}}", ["option 'ts': item 2 is not a string, got boolean"])
    assertError(s, "{lim = {1, 1}}", ["option 'lim' must be a pair of different numbers"])
    assertError(s, "{lim = {1, 2, 3}}", ["option 'lim' must be a pair of different numbers"])
    assertError(s, "{lim = {1, 'x'}}", ["option 'lim' must be a pair of different numbers"])
  }

  /// Reads are raw: a metatable's __index never runs, so a Lua error cannot start inside a
  /// Swift reader (the Lua error rule); the option is simply absent.
  func testOptionsIgnoreMetamethods() throws {
    let s = try state()
    let v = try read(s, "setmetatable({}, {__index = function() error('must not run') end})")
    XCTAssertEqual(v, .object([:]))
  }

  func testListReader() throws {
    let s = try state()
    XCTAssertEqual(try s.execute("return aux.sum({1, 2, 3.5})"), [.number(6.5)])
    XCTAssertEqual(try s.execute("return aux.sum({})"), [.number(0)])
    XCTAssertThrowsError(try s.execute("return aux.sum({1, 2, {}})")) { XCTAssertTrue("\($0)".contains("item 3 is a table"), "\($0)") }
    // Still usable after errors: nothing was left on the stack of the failed calls.
    for _ in 0..<50 { _ = try? s.execute("return aux.sum({1, 'x'})") }
    XCTAssertEqual(try s.execute("return aux.sum({4})"), [.number(4)])
  }

  func testReturningPushesOneValue() throws {
    let s = try LuaState()
    final class Box { let n = 41 }
    s.defineClass("aux.Box", methods: [
      LuaMethod.returning("n", help: "b:n() -> integer (test only)") { try $0.object(1, Box.self, what: "aux.Box").n + 1 },
      LuaMethod.returning("names", help: "b:names() -> {string} (test only)") { _ in ["a", "b"] },
    ])
    s.register("aux.box", help: "aux.box() -> aux.Box (test only)") { call in
      call.push(object: Box(), className: "aux.Box")
      return 1
    }
    XCTAssertEqual(try s.execute("local b = aux.box(); return b:n(), select('#', b:n()), b:names()[2]"), [.integer(42), .integer(1), .string("b")])
    XCTAssertThrowsError(try s.execute("local b = aux.box(); return b.n(3)")) { XCTAssertTrue("\($0)".contains("aux.Box expected"), "\($0)") }
  }

  /// JSON → Lua → JSON is the identity on values whose objects have string keys that are
  /// not array indices; an ordered object crosses like an object.
  func testJSONBridgeRoundTrips() throws {
    let j: JSON = .object(["a": .array([JSON(1), .number(2.5), .string("x"), .bool(false)]), "b": .object(["c": .null, "d": .string("")]),
                           "e": .array([]), "f": .number(-3)])
    XCTAssertEqual(LuaJSON.json(LuaJSON.lua(j)), j)
    XCTAssertEqual(LuaJSON.lua(.orderedObject([("k", JSON(1)), ("j", .string("v"))])), LuaJSON.lua(.object(["k": JSON(1), "j": .string("v")])))
    XCTAssertEqual(LuaJSON.lua(.number(3)), .integer(3))
    XCTAssertEqual(LuaJSON.lua(.number(3.5)), .number(3.5))
  }
}
