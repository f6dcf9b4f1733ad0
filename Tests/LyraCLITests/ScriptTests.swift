import Foundation
import XCTest

/// `lyra` as a batch command: exit codes, arguments, tracebacks, piped input.
final class ScriptTests: XCTestCase {
  struct Result {
    var status: Int32
    var out: String
    var err: String
  }

  var dir: URL!

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-script-\(getpid())-\(abs(name.hashValue))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  override func tearDown() { try? FileManager.default.removeItem(at: dir) }

  func write(_ name: String, _ text: String) -> String {
    let p = dir.appendingPathComponent(name).path
    FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
    return p
  }

  func lyra(_ args: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
    let r = try runLyra(args, stdin: stdin, environment: environment)
    return Result(status: r.status, out: r.out, err: r.err)
  }


  func testStatementPrints() throws {
    let r = try lyra(["-e", "print(1+1)"])
    XCTAssertEqual(r.status, 0)
    XCTAssertEqual(r.out, "2\n")
  }

  func testScriptArgumentsAndExitCode() throws {
    let s = write("args.lua", "local a, b = ...\nprint(arg[0]:match('args.lua') ~= nil, arg[1], arg[2], a, b, #arg)\nos.exit(tonumber(arg[2]))\n")
    let r = try lyra([s, "x", "3"])
    XCTAssertEqual(r.out, "true\tx\t3\tx\t3\t2\n")
    XCTAssertEqual(r.status, 3)
  }

  func testRuntimeErrorHasFileLineAndTraceback() throws {
    let s = write("fail.lua", "local function inner()\n  error('kaput')\nend\n\ninner()\n")
    let r = try lyra([s])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.err.contains("fail.lua:2: kaput"), r.err)
    XCTAssertTrue(r.err.contains("stack traceback:"), r.err)
    XCTAssertTrue(r.err.contains("fail.lua:5: in main chunk"), r.err)
    XCTAssertFalse(r.err.contains(".swift"), "host frames leaked into the traceback: \(r.err)")
  }

  func testSyntaxErrorNamesFileAndLine() throws {
    let s = write("syntax.lua", "x = 1\ny = = 2\n")
    let r = try lyra([s])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.err.contains("syntax.lua:2:"), r.err)
  }

  func testMissingScriptIsAClearError() throws {
    let r = try lyra([dir.appendingPathComponent("nope.lua").path])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.err.contains("cannot open"), r.err)
  }

  func testErrorInSwiftFunctionNamesIt() throws {
    let r = try lyra(["-e", "lyra.sleep('soon')"])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.err.contains("bad argument #1 to 'lyra.sleep' (number expected, got string)"), r.err)
  }

  func testRequireModuleFlagAndInteractiveAfterScript() throws {
    _ = write("mymod.lua", "return {answer = 42}\n")
    let r = try lyra(["-l", "mymod", "-e", "print(mymod.answer)", "-i"], stdin: "mymod.answer + 1\n",
                     environment: ["LUA_PATH": dir.path + "/?.lua;;"])
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertEqual(r.out, "42\n43\n")
  }

  func testPipedInputRunsWithoutPrompts() throws {
    let r = try lyra([], stdin: "x = 20\nx + 1\nfunction f(a)\n  return a * 2\nend\nf(x)\n'text'\n")
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertEqual(r.out, "21\n40\n\"text\"\n")
  }

  func testPipedInputErrorSetsExitStatus() throws {
    let r = try lyra([], stdin: "print('before')\nerror('bad')\nprint('after')\n")
    XCTAssertEqual(r.out, "before\nafter\n")
    XCTAssertTrue(r.err.contains("stdin:1: bad"), r.err)
    XCTAssertEqual(r.status, 1)
  }

  func testDashReadsStdinAsOneChunk() throws {
    let r = try lyra(["-"], stdin: "local x = 5\nprint(x * 2)\n")
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertEqual(r.out, "10\n")
  }

  func testRunSubcommandRunsLuaAndRejectsOthers() throws {
    let s = write("pipe.lua", "print('pipeline', ...)\n")
    let r = try lyra(["run", s, "a"])
    XCTAssertEqual(r.out, "pipeline\ta\n")
    XCTAssertEqual(r.status, 0)
    let y = write("cfg.txt", "x")
    let bad = try lyra(["run", y])
    XCTAssertNotEqual(bad.status, 0)
    XCTAssertTrue(bad.err.contains("cfg.txt"), bad.err)
  }

  func testVersionAndHelp() throws {
    XCTAssertTrue(try lyra(["--version"]).out.hasPrefix("lyra "))
    let h = try lyra(["--help"])
    XCTAssertEqual(h.status, 0)
    XCTAssertTrue(h.out.contains("run"), h.out)
  }

  func testBytecodeFileIsRefused() throws {
    let src = write("b.lua", "print(1)")
    let out = dir.appendingPathComponent("b.luac").path
    _ = try lyra(["-e", "local f = assert(loadfile('\(src)')); local h = io.open('\(out)', 'wb'); h:write(string.dump(f)); h:close()"])
    let r = try lyra([out])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.err.contains("bytecode"), r.err)
  }
}
