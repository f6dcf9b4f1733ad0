import Foundation
import XCTest

/// Pasted and typed code runs as written: bracketed paste is one chunk, top-level locals
/// persist, continuation lines extend the previous entry (through a real pseudo-terminal).
final class ReplPasteTests: XCTestCase {
  func start() throws -> PtySession {
    let s = try PtySession(environment: ["LYRA_HISTORY": ""])
    s.expect("> ")
    return s
  }

  /// The README's "Lua in five minutes" block up to the data loader (the training loop
  /// needs the Fashion-MNIST download), read from the README so the test follows it.
  static func readmeBlock() throws -> [String] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    guard let section = readme.range(of: "## Lua in five minutes"),
          let open = readme.range(of: "```lua\n", range: section.upperBound..<readme.endIndex),
          let close = readme.range(of: "```", range: open.upperBound..<readme.endIndex)
    else { throw NSError(domain: "README has no Lua in five minutes block", code: 1) }
    let lines = readme[open.upperBound..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let block = Array(lines.prefix { !$0.hasPrefix("local loader") })
    XCTAssertTrue(block.contains { $0.hasPrefix("  :add(") }, "the block still has continuation lines")
    return block
  }

  /// What the block leaves behind, printed with a marker the input never contains.
  static let check = "print('ok' .. 10 * 4 + 2, #model:parameters(), type(crit), type(opt), type(nn), type(x))\r"
  static let expected = "ok42\t4\t"

  func testPastedReadmeBlockRunsAsOneChunk() throws {
    let s = try start()
    let block = try Self.readmeBlock().joined(separator: "\n")
    s.send("\u{1B}[200~" + block + "\u{1B}[201~\r")
    s.expect("> ", timeout: 60)
    s.send(Self.check)
    s.expect(Self.expected)
    let screen = PtySession.plain(s.raw)
    XCTAssertFalse(screen.contains("stdin:"), screen)
    XCTAssertFalse(screen.contains(">> "), "a paste needs no continuation prompt:\n\(screen)")
  }

  func testReadmeBlockTypedLineByLine() throws {
    let s = try start()
    // Without bracketed paste every line is an entry of its own (typed, or pasted by a
    // terminal that does not bracket): locals must persist and `:add(` lines continue.
    for line in try Self.readmeBlock() { s.send(line + "\r") }
    s.send(Self.check)
    s.expect(Self.expected, timeout: 60)
    let screen = PtySession.plain(s.raw)
    XCTAssertFalse(screen.contains("stdin:"), screen)
  }

  func testSyntaxErrorInAPasteNamesItsLine() throws {
    let s = try start()
    s.send("\u{1B}[200~local a = 1\nlocal b = 2\nlocal c = = 3\u{1B}[201~\r")
    s.expect("stdin:3:")
    s.send("'still' .. ' alive'\r")
    s.expect("\"still alive\"")
  }

  func testPasteRunsAsOneChunk() throws {
    let s = try start()
    // Line by line the last line would still run (w = 2); as one chunk the error stops it.
    s.send("\u{1B}[200~w = 1\nerror('stop here')\nw = 2\u{1B}[201~\r")
    s.expect("stop here")
    s.send("w + 40\r")
    s.expect("41")
    XCTAssertFalse(PtySession.plain(s.raw).contains("42"))
  }

  func testPasteEndingInAnExpressionShowsIt() throws {
    let s = try start()
    s.send("\u{1B}[200~local base = 40\nlocal inc = 2\nbase + inc\u{1B}[201~\r")
    s.expect("42")
    s.send("base - inc\r") // the block's locals live on
    s.expect("38")
  }

  func testLocalsPersistAndShadow() throws {
    let s = try start()
    s.send("local a = 5\r")
    s.expect("> ")
    s.send("a * 3\r")
    s.expect("15")
    s.send("local function f(n) return n + 100 end\r")
    s.expect("> ")
    s.send("f(a)\r")
    s.expect("105")
    s.send("local a = 6\r")
    s.expect("> ")
    s.send("a * 3\r")
    s.expect("18")
  }

  func testContinuationLineExtendsAShownExpression() throws {
    let s = try start()
    s.send("t = {n = 40}\r")
    s.expect("> ")
    s.send("t\r")
    s.expect("{n = 40}")
    s.send("  .n + 2\r")
    s.expect("42")
  }
}
