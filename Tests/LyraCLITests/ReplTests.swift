import Foundation
import XCTest

/// The REPL driven through a real pseudo-terminal.
final class ReplTests: XCTestCase {
  var history: String!

  override func setUp() {
    history = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-hist-\(getpid())-\(name.hashValue)").path
    try? FileManager.default.removeItem(atPath: history)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: history) }

  func start() throws -> PtySession {
    let s = try PtySession(environment: ["LYRA_HISTORY": history])
    s.expect("> ")
    return s
  }

  func testMultiLineFunctionThenCall() throws {
    let s = try start()
    s.send("function sq(x)\r")
    s.expect(">> ")
    s.send("  return x * x\r")
    s.expect(">> ")
    s.send("end\r")
    s.expect("> ")
    s.send("sq(7)\r")
    s.expect("49")
  }

  func testCompletionOfAMethod() throws {
    let s = try start()
    s.send("obj = setmetatable({}, {__index = {frobnicate = function() return 42 end}})\r")
    s.expect("> ")
    s.send("obj:frob\t")
    s.expect("obj:frobnicate(")
    s.send(")\r")
    s.expect("42")
  }

  func testCompletionOfGlobalsAndLibraryFields() throws {
    let s = try start()
    s.send("lyra.clo\t\t") // ambiguous: the second Tab lists the candidates
    s.expect("lyra.clock(")
    s.send("\u{03}")
    s.expect("> ")
    s.send("lyra.nn.Conv2\t") // Conv alone is ambiguous (Conv1d, Conv2d, ConvTranspose2d)
    s.expect("lyra.nn.Conv2d(")
  }

  func testCompletionOfTensorAndModuleMethods() throws {
    let s = try start()
    s.send("x = lyra.zeros(2, 3)\r")
    s.expect("> ")
    s.send("x:resh\t")
    s.expect("x:reshape(")
    s.send("\u{03}")
    s.expect("> ")
    s.send("m = lyra.nn.Linear(2, 3)\r")
    s.expect("> ")
    s.send("m:named_p\t")
    s.expect("m:named_parameters(")
  }

  func testHistorySurvivesRestart() throws {
    do {
      let s = try start()
      s.send("histmark = 12345\r")
      s.expect("> ")
      s.send("for i = 1, 2 do\r")
      s.expect(">> ")
      s.send("end\r")
      s.expect("> ")
      s.send("\u{04}")
      XCTAssertEqual(s.waitExit(), 0)
    }
    let s = try start()
    s.send("\u{1B}[A") // up: the multi-line entry comes back whole
    s.expect("end")
    s.send("\u{1B}[A") // up again: the earlier line
    s.expect("histmark = 12345")
    s.send("\r")
    s.expect("> ")
    s.send("histmark + 1\r")
    s.expect("12346")
  }

  /// The loop prints a marker (built at run time, so the echoed input never matches it)
  /// before it spins; Ctrl-C is sent only once the marker is seen, so the interrupt lands
  /// in the running loop however slowly the machine starts it.
  func testCtrlCStopsAnInfiniteLoop() throws {
    let s = try start()
    s.send("io.write('LOOP', 'ING\\n'); io.flush(); while true do end\r")
    s.expect("LOOPING")
    s.send("\u{03}")
    s.expect("interrupted!")
    s.expect("> ")
    s.send("1 + 1\r")
    s.expect("2")
  }

  /// Same for a native call: the stop must come from the interrupt (the 600-second sleep
  /// cannot end on its own within the expect timeout), not from a measured duration.
  func testCtrlCStopsANativeLoop() throws {
    let s = try start()
    s.send("io.write('SLEEP', 'ING\\n'); io.flush(); lyra.sleep(600)\r")
    s.expect("SLEEPING")
    s.send("\u{03}")
    s.expect("interrupted!", timeout: 60)
    s.expect("> ")
    s.send("3 * 3\r")
    s.expect("9")
  }

  func testCtrlCAtThePromptClearsTheLine() throws {
    let s = try start()
    s.send("this is not lua")
    s.send("\u{03}")
    s.expect("> ")
    s.send("2 + 3\r")
    s.expect("5")
  }

  /// Keys, then Ctrl-C at once: the terminal flushes the keys the REPL was told were
  /// readable. Reading them used to block for good (the REPL hung with the line on
  /// screen, about one run in eight under load); each round must come back to a prompt.
  func testCtrlCRightAfterTypingNeverHangs() throws {
    let s = try start()
    for round in 1...40 {
      s.send("junk\(round)")
      s.send("\u{03}")
      guard s.expect("^C"), s.expect("> ") else { return }
    }
    s.send("20 + 22\r")
    s.expect("42")
  }

  func testSyntaxErrorIsReportedAtOnce() throws {
    let s = try start()
    s.send("x = = 1\r")
    s.expect("unexpected symbol", timeout: 3)
    s.expect("> ")
    s.send("'still alive'\r")
    s.expect("\"still alive\"")
  }

  func testHelpAndLastAndSemicolon() throws {
    let s = try start()
    s.send("? lyra.clock\r")
    s.expect("Monotonic wall-clock time")
    s.send("6 * 7;\r")
    s.expect("> ")
    s.send("_LAST\r")
    s.expect("42")
    s.send("?\r")
    s.expect("Ctrl-C")
  }

  func testFileNameCompletionInsideStrings() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-fc-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    FileManager.default.createFile(atPath: dir.appendingPathComponent("weights_unique.safetensors").path, contents: Data())
    let s = try start()
    s.send("f = \"\(dir.path)/weights_u\t")
    s.expect("weights_unique.safetensors")
  }

  func testColoursOnlyOnATerminalAndNoColorHonoured() throws {
    // PtySession sets NO_COLOR=1 by default; start one without it.
    let s = try PtySession(environment: ["LYRA_HISTORY": history], unsetting: ["NO_COLOR"])
    s.expect("> ")
    s.send("40 + 2\r")
    s.expect("42")
    XCTAssertTrue(s.raw.contains("\u{1B}[36m42"), "numbers are cyan on a terminal: \(s.raw.debugDescription)")
    let plain = try start() // NO_COLOR=1
    plain.send("40 + 2\r")
    plain.expect("42")
    XCTAssertFalse(plain.raw.contains("\u{1B}[36m"))
  }

  func testCtrlDExits() throws {
    let s = try start()
    s.send("\u{04}")
    XCTAssertEqual(s.waitExit(), 0)
  }
}
