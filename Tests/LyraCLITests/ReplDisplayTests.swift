import Foundation
import XCTest

/// What the REPL puts on the screen for a value and for `? name`, through a real pseudo-terminal.
/// Each check ends with a marker printed by a later entry (`'EN'..'D1'`, so the echoed
/// keystrokes never contain it) and looks only at the screen text before it.
final class ReplDisplayTests: XCTestCase {
  var history: String!

  override func setUp() {
    history = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-hist-disp-\(getpid())-\(name.hashValue)").path
    try? FileManager.default.removeItem(atPath: history)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: history) }

  func start() throws -> PtySession {
    let s = try PtySession(environment: ["LYRA_HISTORY": history])
    s.expect("> ")
    return s
  }

  /// Sends `entry`, then an entry printing a marker; returns the screen text in between.
  func screen(_ s: PtySession, _ entry: String, marker: String) -> String {
    let before = PtySession.plain(s.raw).count
    s.send(entry + "\r")
    let half = marker.count / 2
    s.send("print('\(marker.prefix(half))'..'\(marker.dropFirst(half))')\r")
    s.expect(marker + "\n")
    let text = String(PtySession.plain(s.raw).dropFirst(before))
    guard let end = text.range(of: marker + "\n") else { return text }
    return String(text[..<end.lowerBound])
  }

  func testTensorValuesZeroDAndNestedSummary() throws {
    let s = try start()
    s.send("x = lyra.tensor{{1,2},{3,4}}\r")
    s.expect("> ")
    let shown = screen(s, "x", marker: "MARKA")
    XCTAssertTrue(shown.contains(" 1 2\n 3 4\n[lyra.FloatTensor of size 2x2]"), shown)
    XCTAssertFalse(shown.contains("- size:"), shown)
    let sum = screen(s, "x:sum()", marker: "MARKB")
    XCTAssertTrue(sum.contains("10\n[lyra.FloatTensor of size ()]"), sum)
    let nested = screen(s, "{t = x}", marker: "MARKC")
    XCTAssertTrue(nested.contains("{t = lyra.FloatTensor - size: 2x2}"), nested)
    let size = screen(s, "print(x:size(), x:size()[2], #x:size())", marker: "MARKD")
    XCTAssertTrue(size.contains("2x2\t2\t2"), size)
  }

  func testBigTensorIsSummarised() throws {
    let s = try start()
    let shown = screen(s, "lyra.ones(40, 40) * 7", marker: "MARKE")
    XCTAssertTrue(shown.contains(" 7 7 7 ... 7 7 7\n"), shown)
    XCTAssertTrue(shown.contains("\n ...\n"), shown)
    XCTAssertTrue(shown.contains("[lyra.FloatTensor of size 40x40]"), shown)
    XCTAssertFalse(shown.contains("7 7 7 7"), shown)
  }

  func testModuleShowsItsTree() throws {
    let s = try start()
    s.send("m = lyra.nn.Sequential(lyra.nn.Linear(2, 3), lyra.nn.ReLU())\r")
    s.expect("> ")
    let shown = screen(s, "m", marker: "MARKF")
    XCTAssertTrue(shown.contains("nn.Sequential {"), shown)
    XCTAssertTrue(shown.contains("(1): nn.Linear(2 -> 3)"), shown)
    XCTAssertFalse(shown.contains("nn.Sequential - "), shown)
  }

  func testHelpFindsWhatUsersType() throws {
    let s = try start()
    s.send("x = lyra.zeros(2)\r")
    s.expect("> ")
    XCTAssertTrue(screen(s, "? x:sum", marker: "MARKG").contains("x:sum([dim [, keepdim]]) -> tensor"))
    XCTAssertTrue(screen(s, "? lyra.Tensor:sum", marker: "MARKH").contains("x:sum([dim [, keepdim]]) -> tensor"))
    s.send("m = lyra.nn.Linear(2, 3)\r")
    s.expect("> ")
    let module = screen(s, "? m", marker: "MARKI")
    XCTAssertTrue(module.contains("nn.Linear("), module)
    XCTAssertTrue(module.contains("forward"), module)
    let missing = screen(s, "? lyra.sin", marker: "MARKJ")
    XCTAssertTrue(missing.contains("lyra.sin does not exist (did you mean 'lyra.min'?)"), missing)
    XCTAssertTrue(screen(s, "help(lyra.clock)", marker: "MARKK").contains("lyra.clock() -> seconds"))
    XCTAssertTrue(screen(s, "help()", marker: "MARKL").contains("Ctrl-D            quits"))
  }

  /// The README's "A REPL session", entry by entry, shows what the README says it shows.
  func testReadmeSessionBehavesAsShown() throws {
    let s = try start()
    XCTAssertTrue(screen(s, "1 + 1", marker: "MARKM").contains("\n2\n"))
    s.send("function sq(x)\r")
    s.expect(">> ")
    s.send("  return x * x\r")
    s.expect(">> ")
    s.send("end\r")
    s.expect("> ")
    let hidden = screen(s, "sq(12);", marker: "MARKN")
    XCTAssertFalse(hidden.contains("144"), hidden)
    XCTAssertTrue(screen(s, "_LAST              -- the trailing ; above hid the value; _LAST holds it", marker: "MARKO")
      .contains("\n144\n"))
    XCTAssertTrue(screen(s, "{a = 1, list = {1, 2, 3}}", marker: "MARKP").contains("\n{a = 1, list = {1, 2, 3}}\n"))
    let help = screen(s, "? lyra.clock", marker: "MARKQ")
    XCTAssertTrue(help.contains("lyra.clock() -> seconds\nMonotonic wall-clock time in seconds"), help)
    s.send("lyra.cl\t\t") // ambiguous: the second Tab lists every candidate
    s.expect("lyra.clamp(")
    s.expect("lyra.clock(")
    s.expect("lyra.clone(")
    s.send("\u{03}")
    s.expect("> ")
  }
}
