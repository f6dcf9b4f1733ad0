import Foundation
import XCTest

/// What the REPL puts on the screen for a value and for `? name`, through a real pseudo-terminal.
/// Each check ends with a marker printed by a later entry (`'MAR'..'KA'`, so the echoed
/// keystrokes never contain it) and looks only at the screen text before it.
final class ReplDisplayTests: XCTestCase {
  /// A REPL with its own throw-away history file.
  func repl() throws -> PtySession {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-disp-\(getpid())-\(UUID().uuidString)").path
    addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    let s = try PtySession(environment: ["LYRA_HISTORY": path])
    s.expect("> ")
    return s
  }

  /// Sends each entry of `setup` (waiting for the prompt), then `entry`, then an entry
  /// printing `marker`; returns the screen text between `entry` and the marker.
  func screen(_ s: PtySession, _ entry: String, marker: String, after setup: [String] = []) -> String {
    for line in setup {
      s.send(line + "\r")
      s.expect("> ")
    }
    let before = PtySession.plain(s.raw).count
    s.send(entry + "\r")
    let half = marker.count / 2
    s.send("print('\(marker.prefix(half))'..'\(marker.dropFirst(half))')\r")
    s.expect(marker + "\n")
    let text = String(PtySession.plain(s.raw).dropFirst(before))
    guard let end = text.range(of: marker + "\n") else { return text }
    return String(text[..<end.lowerBound])
  }

  /// Asserts the screen after `entry` holds every text of `has` and none of `lacks`.
  func check(_ s: PtySession, _ entry: String, marker: String, after setup: [String] = [], has: [String], lacks: [String] = [],
             line: UInt = #line) {
    let shown = screen(s, entry, marker: marker, after: setup)
    for t in has { XCTAssertTrue(shown.contains(t), "\(entry): missing \(t.debugDescription) in\n\(shown)", line: line) }
    for t in lacks { XCTAssertFalse(shown.contains(t), "\(entry): unexpected \(t.debugDescription) in\n\(shown)", line: line) }
  }

  func testTensorValuesZeroDAndNestedSummary() throws {
    let s = try repl()
    check(s, "x", marker: "MARKA", after: ["x = lyra.tensor{{1,2},{3,4}}"],
          has: [" 1 2\n 3 4\n[lyra.FloatTensor of size 2x2]"], lacks: ["- size:"])
    check(s, "x:sum()", marker: "MARKB", has: ["10\n[lyra.FloatTensor of size ()]"])
    check(s, "{t = x}", marker: "MARKC", has: ["{t = lyra.FloatTensor - size: 2x2}"])
    check(s, "print(x:size(), x:size()[2], #x:size())", marker: "MARKD", has: ["2x2\t2\t2"])
  }

  func testBigTensorIsSummarisedAndAModuleShowsItsTree() throws {
    let s = try repl()
    check(s, "lyra.ones(40, 40) * 7", marker: "MARKE",
          has: [" 7 7 7 ... 7 7 7\n", "\n ...\n", "[lyra.FloatTensor of size 40x40]"], lacks: ["7 7 7 7"])
    check(s, "m", marker: "MARKF", after: ["m = lyra.nn.Sequential(lyra.nn.Linear(2, 3), lyra.nn.ReLU())"],
          has: ["nn.Sequential {", "(1): nn.Linear(2 -> 3)"], lacks: ["nn.Sequential - "])
  }

  func testHelpFindsWhatUsersType() throws {
    let s = try repl()
    let sum = "x:sum([dim [, keepdim]]) -> tensor"
    check(s, "? x:sum", marker: "MARKG", after: ["x = lyra.zeros(2)"], has: [sum])
    check(s, "? lyra.Tensor:sum", marker: "MARKH", has: [sum])
    check(s, "? m", marker: "MARKI", after: ["m = lyra.nn.Linear(2, 3)"], has: ["nn.Linear(", "forward"])
    check(s, "? lyra.sine", marker: "MARKJ", has: ["lyra.sine does not exist (did you mean 'lyra.sin'?)"])
    check(s, "help(lyra.clock)", marker: "MARKK", has: ["lyra.clock() -> seconds"])
    check(s, "help()", marker: "MARKL", has: ["Ctrl-D            quits"])
  }

  /// The README's "A REPL session", entry by entry, shows what the README says it shows.
  func testReadmeSessionBehavesAsShown() throws {
    let s = try repl()
    check(s, "1 + 1", marker: "MARKM", has: ["\n2\n"])
    s.send("function sq(x)\r")
    s.expect(">> ")
    s.send("  return x * x\r")
    s.expect(">> ")
    check(s, "end", marker: "MARKN", has: [])
    check(s, "sq(12);           -- a trailing ; (before a comment too) hides the value", marker: "MARKO", has: [], lacks: ["144"])
    check(s, "_LAST              -- which _LAST still holds", marker: "MARKP", has: ["\n144\n"])
    check(s, "{a = 1, list = {1, 2, 3}}", marker: "MARKQ", has: ["\n{a = 1, list = {1, 2, 3}}\n"])
    check(s, "? lyra.clock", marker: "MARKR",
          has: ["lyra.clock() -> seconds\nMonotonic wall-clock time in seconds"])
    s.send("lyra.cl\t\t") // ambiguous: the second Tab lists every candidate
    s.expect("lyra.clamp(")
    s.expect("lyra.clock(")
    s.expect("lyra.clone(")
    s.send("\u{03}")
    s.expect("> ")
  }
}
