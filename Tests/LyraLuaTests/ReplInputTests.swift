import XCTest
@testable import LyraLua

/// The REPL loop itself (no terminal): entries compiled through `lyra.repl.compile` keep
/// top-level locals, and a continuation line extends the previous `local name = E`.
final class ReplInputTests: XCTestCase {
  /// Feeds lines as if typed one by one, and records the history entries.
  final class ScriptedEditor: LineEditor {
    var lines: [String]
    var entries: [String] = []
    init(_ lines: [String]) { self.lines = lines }
    func read(prompt: String) -> LineRead { lines.isEmpty ? .endOfInput : .line(lines.removeFirst()) }
    func addHistory(_ entry: String) { entries.append(entry) }
  }

  func testLocalsPersistAndContinuationLinesExtendTheEntry() throws {
    let host = try LyraHost()
    let editor = ScriptedEditor([
      "local a = 5",
      "b = a * 3",
      "local made = 0",
      "local t = setmetatable({}, {__index = {add = function(s, v) s[#s + 1] = v return s end}})",
      "  :add(1):add(2)",
      "  :add(3)",
      "n = #t",
      "local a = a + 1",
      "c = a",
      "local d = = 1",
    ])
    let repl = Repl(host: host, editor: editor, interactive: false)
    repl.run()
    XCTAssertEqual(try host.state.execute("return b, n, c, rawget(_G, 'a'), rawget(_G, 't')"),
                   [.integer(15), .integer(3), .integer(6), .nil, .nil])
    XCTAssertEqual(repl.failures, 1) // only the syntax error
    XCTAssertEqual(editor.entries.count, 10)
  }

  func testAMultiLineEntryIsOneChunk() throws {
    let host = try LyraHost()
    // One entry holding several lines, as a bracketed paste delivers it: the error on its
    // second line stops the third.
    let editor = ScriptedEditor(["w = 1\nerror('stop')\nw = 2", "local x = 4\nlocal y = x * 2"])
    let repl = Repl(host: host, editor: editor, interactive: false)
    repl.run()
    XCTAssertEqual(try host.state.execute("return w, lyra.repl.env().y"), [.integer(1), .integer(8)])
    XCTAssertEqual(repl.failures, 1)
  }
}
