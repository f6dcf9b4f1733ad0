import CLua
import XCTest
@testable import LyraLua

final class Box: LuaNativeSized {
  static var alive = 0
  var value: Double
  let nativeByteCount: Int
  init(_ v: Double, bytes: Int = 0) {
    value = v
    nativeByteCount = bytes
    Box.alive += 1
  }
  deinit { Box.alive -= 1 }
}

/// Full userdata holding retained Swift objects: methods, metamethods, release paths.
final class ObjectTests: XCTestCase {
  func makeState() throws -> LuaState {
    let state = try LuaState()
    state.defineClass("test.Box", methods: [
      LuaMethod("get", help: "b:get() -> value") { call in
        call.push(try call.object(1, Box.self, what: "test.Box").value)
        return 1
      },
      LuaMethod("set", help: "b:set(v) -> b") { call in
        try call.object(1, Box.self, what: "test.Box").value = try call.number(2)
        call.stack.setTop(1)
        return 1
      },
    ], metamethods: [
      LuaMethod("__tostring", help: "") { call in
        call.push("Box(\(try call.object(1, Box.self, what: "test.Box").value))")
        return 1
      },
    ])
    state.register("box", help: "box(v) -> Box") { call in
      call.push(object: Box(try call.number(1), bytes: try call.optInteger(2, 0)), className: "test.Box")
      return 1
    }
    return state
  }

  func testMethodsChainingAndTostring() throws {
    let state = try makeState()
    XCTAssertEqual(try state.execute("return box(1):set(5):get(), tostring(box(2))"), [.number(5), .string("Box(2.0)")])
  }

  func testGarbageCollectionReleasesObjects() throws {
    Box.alive = 0
    let state = try makeState()
    try state.execute("for i = 1, 1000 do local b = box(i) end")
    state.collectGarbage()
    XCTAssertEqual(Box.alive, 0)
  }

  func testCloseAndFreeReleaseAtOnce() throws {
    Box.alive = 0
    let state = try makeState()
    try state.execute("do local b <close> = box(1) end")
    XCTAssertEqual(Box.alive, 0)
    try state.execute("keep = box(3); keep:free()")
    XCTAssertEqual(Box.alive, 0)
    let r = try state.execute("local ok, e = pcall(keep.get, keep); return e")
    guard case .string(let msg)? = r.first else { return XCTFail("no error") }
    XCTAssertTrue(msg.contains("already freed"), msg)
  }

  func testWrongSelfIsAClearError() throws {
    let state = try makeState()
    let r = try state.execute("local b = box(1); local ok, e = pcall(b.get, {}); return e")
    XCTAssertEqual(r, [.string("bad argument #1 to 'test.Box:get' (test.Box expected, got table)")])
  }

  /// Native memory reported to the collector keeps the live count bounded without
  /// any collectgarbage() call in the script.
  func testNativeBytesDriveTheCollector() throws {
    Box.alive = 0
    let state = try makeState()
    try state.execute("for i = 1, 2000 do local b = box(i, 1024 * 1024) end") // 2 GB "allocated" in total
    XCTAssertLessThan(Box.alive, 400, "collector did not see native bytes")
  }

  func testStateCloseReleasesEverything() throws {
    Box.alive = 0
    var state: LuaState? = try makeState()
    try state!.execute("keep = {}; for i = 1, 50 do keep[i] = box(i) end")
    XCTAssertEqual(Box.alive, 50)
    state = nil
    XCTAssertEqual(Box.alive, 0)
  }
}
