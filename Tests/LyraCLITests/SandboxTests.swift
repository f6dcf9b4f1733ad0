import Foundation
import XCTest

/// `lyra --sandbox`: every escape we know of is tried, and each must be refused with a
/// clear error and leave no trace outside the working folder. A passing escape is a failure.
///
/// Layout per test: `<tmp>/work` is the working folder, `<tmp>/outside` a folder beside it
/// that the sandbox must not write to (symbolic links in `work` point there).
final class SandboxTests: XCTestCase {
  var work: String!
  var outside: String!

  override func setUpWithError() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-sandbox-\(getpid())-\(abs(name.hashValue))").path
    work = base + "/work"
    outside = base + "/outside"
    for d in [work!, outside!] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
    try FileManager.default.createSymbolicLink(atPath: work + "/out_dir", withDestinationPath: outside)
    FileManager.default.createFile(atPath: outside + "/victim.txt", contents: Data("keep".utf8))
    try FileManager.default.createSymbolicLink(atPath: work + "/out_file", withDestinationPath: outside + "/victim.txt")
    try FileManager.default.createSymbolicLink(atPath: work + "/dangling", withDestinationPath: outside + "/new.txt")
  }

  override func tearDown() {
    try? FileManager.default.removeItem(atPath: (work as NSString).deletingLastPathComponent)
  }

  /// Runs `code` in the sandbox (in the working folder) and returns (status, stdout, stderr).
  func sandboxed(_ code: String, flags: [String] = [], environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
    try runLyra(["--sandbox"] + flags + ["-e", code], environment: environment, directory: work)
  }

  /// Asserts that `code` fails (uncaught), with `message` in the error, and that nothing appeared outside.
  func assertRefused(_ code: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let before = try FileManager.default.contentsOfDirectory(atPath: outside).sorted()
    let r = try sandboxed(code)
    XCTAssertEqual(r.status, 1, "expected a failure for: \(code)\nstdout: \(r.out)", file: file, line: line)
    XCTAssertTrue(r.err.contains(message), "for \(code): expected \(message.debugDescription) in:\n\(r.err)", file: file, line: line)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside).sorted(), before, "files appeared outside", file: file, line: line)
    XCTAssertEqual(try String(contentsOfFile: outside + "/victim.txt", encoding: .utf8), "keep", file: file, line: line)
  }

  func testProgramsCannotRun() throws {
    try assertRefused("os.execute('touch " + outside + "/x')", "os.execute is disabled in the sandbox")
    try assertRefused("io.popen('touch " + outside + "/x')", "io.popen is disabled in the sandbox")
  }

  func testFilesCannotBeRemovedOrMoved() throws {
    try assertRefused("os.remove('out_file')", "os.remove is disabled")
    try assertRefused("os.rename('out_file', 'mine')", "os.rename is disabled")
    try assertRefused("os.tmpname()", "os.tmpname is disabled")
    try assertRefused("io.tmpfile()", "io.tmpfile is disabled")
  }

  func testWritesOutsideTheFolderAreRefused() throws {
    try assertRefused("io.open('" + outside + "/x', 'w')", "io.open: the sandbox refuses to write")
    try assertRefused("io.open('../outside/x', 'a')", "resolves to " + outside)
    try assertRefused("io.open('out_dir/x', 'w')", "resolves to " + outside)        // link to a folder outside
    try assertRefused("io.open('out_file', 'r+')", "resolves to " + outside)        // link to a file outside
    try assertRefused("io.open('dangling', 'w')", "cannot be resolved safely")     // link to a missing file outside
    try assertRefused("io.open('sub/../../outside/x', 'w')", "cannot be resolved safely")
    try assertRefused("io.output('" + outside + "/x')", "io.output: the sandbox refuses to write")
    try assertRefused("lyra.save('../outside/t.safetensors', {a = lyra.zeros(2)})", "lyra.save: the sandbox refuses")
    try assertRefused("lyra.nn.Linear(2, 2):save('out_dir/m.safetensors')", "m:save: the sandbox refuses")
    try assertRefused("lyra.nn.Linear(2, 2):to_onnx('out_dir/m.onnx', {1, 2})", "m:to_onnx: the sandbox refuses")
    try assertRefused("lyra.plot.line({1, 2}):save('out_dir/p.svg')", "p:save: the sandbox refuses")
    try assertRefused("lyra.plot.line({1, 2}):show('" + outside + "/p.svg')", "p:show: the sandbox refuses")
    try assertRefused("lyra.plot.dir('" + outside + "')", "lyra.plot.dir: the sandbox refuses")
    try assertRefused("io.open('inside.txt\\0/../../outside/x', 'w')", "a path with a NUL byte")
    try assertRefused("lyra.pipeline.run({general = {task = {local_base_path = '" + outside + "'}}, pipeline = {}})",
                      "lyra.pipeline.run: the sandbox refuses")
  }

  /// The fence must not get in the way of ordinary work inside the folder.
  func testWritesAndReadsInsideTheFolderWork() throws {
    let r = try sandboxed("""
      local f = assert(io.open('notes.txt', 'w')); f:write('hi'); f:close()
      lyra.save('t.safetensors', {a = lyra.zeros(2)})
      lyra.plot.line({1, 2}):save('p.svg')
      print(io.open('notes.txt'):read('a'), io.open('\(outside!)/victim.txt'):read('a'), lyra.load('t.safetensors').a:numel())
      """)
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertEqual(r.out, "hi\tkeep\t2\n")
    XCTAssertTrue(FileManager.default.fileExists(atPath: work + "/p.svg"))
  }

  func testBytecodeIsNeverLoaded() throws {
    try assertRefused("assert(load(string.dump(function() return 1 end)))", "attempt to load a binary chunk")
    try assertRefused("assert(load(string.dump(function() return 1 end), 'x', 'b'))", "attempt to load a binary chunk")
    try assertRefused("assert(load(string.dump(function() return 1 end), 'x', 'bt', _ENV))", "attempt to load a binary chunk")
    try assertRefused("local s = string.dump(function() return 1 end); local done = false; "
      + "assert(load(function() if done then return nil end done = true return s end, 'x', 'b'))", "attempt to load a binary chunk")
    let writeChunk = "local f = io.open('evil.lua', 'wb'); f:write(string.dump(function() return 1 end)); f:close(); "
    try assertRefused(writeChunk + "assert(loadfile('evil.lua'))", "attempt to load a binary chunk")
    try assertRefused(writeChunk + "dofile('evil.lua')", "attempt to load a binary chunk")
    try assertRefused(writeChunk + "package.path = './?.lua'; require 'evil'", "attempt to load a binary chunk")
  }

  func testNativeCodeAndTheDebugLibraryAreUnreachable() throws {
    try assertRefused("package.loadlib('/lib/x86_64-linux-gnu/libc.so.6', 'system')", "package.loadlib is disabled")
    try assertRefused("debug.getregistry()", "attempt to index a nil value (global 'debug')")
    try assertRefused("require 'debug'", "module 'debug' not found")
    FileManager.default.createFile(atPath: work + "/evil.so", contents: Data([0x7F, 0x45, 0x4C, 0x46]))
    try assertRefused("package.cpath = './?.so'; require 'evil'", "module 'evil' not found")
    try assertRefused("package.cpath = './?.so'; package.searchers[3] = nil; require 'evil.x'", "module 'evil.x' not found")
  }

  /// Ways to get an original function back: none of them may reach it.
  func testOriginalsCannotBeRecovered() throws {
    try assertRefused("rawget(io, 'open')('" + outside + "/x', 'w')", "the sandbox refuses to write")
    try assertRefused("_ENV.io.open('" + outside + "/x', 'w')", "the sandbox refuses to write")
    try assertRefused("require('io').open('" + outside + "/x', 'w')", "the sandbox refuses to write")
    try assertRefused("package.loaded.os.execute('true')", "os.execute is disabled")
    try assertRefused("setmetatable(io, nil); io.open('" + outside + "/x', 'w')", "the sandbox refuses to write")
    try assertRefused("collectgarbage(); getmetatable('').__index.dump = nil; os.execute('true')", "os.execute is disabled")
    try assertRefused("local mt = getmetatable(lyra.nn.Linear(1, 1)); mt.__methods.save(lyra.nn.Linear(1, 1), 'out_dir/m')", "m:save: the sandbox refuses")
    try assertRefused("for _, s in ipairs(package.searchers) do s('debug') end; debug.getinfo(1)", "attempt to index a nil value (global 'debug')")
  }

  /// The Lua fence left out on purpose: the kernel fence alone must refuse the same writes.
  func testKernelFenceHoldsAlone() throws {
    let probe = try runLyra(["--sandbox", "-e", "print(io.open('inside.txt', 'w') ~= nil)"],
                            environment: ["LYRA_SANDBOX_KERNEL_ONLY": "1"], directory: work)
    XCTAssertEqual(probe.out, "true\n", probe.err)
    let r = try runLyra(["--sandbox", "-e", """
      print(io.open('\(outside!)/x', 'w'), io.open('out_file', 'w'), os.execute('echo hi > \(outside!)/y'))
      """], environment: ["LYRA_SANDBOX_KERNEL_ONLY": "1"], directory: work)
    try XCTSkipIf(r.out.hasPrefix("file ("), "this kernel has no Landlock: only the Lua fence applies")
    XCTAssertTrue(r.out.contains("Permission denied"), r.out + r.err)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside).sorted(), ["victim.txt"])
    XCTAssertEqual(try String(contentsOfFile: outside + "/victim.txt", encoding: .utf8), "keep")
  }

  func testTimeLimitStopsLuaLoopsCatchersCoroutinesAndNativeCalls() throws {
    for code in ["while true do end",
                 "while true do pcall(function() while true do end end) end",
                 "coroutine.wrap(function() while true do end end)()",
                 "lyra.sleep(600)"] {
      let r = try sandboxed(code, flags: ["--max-seconds", "0.5"])
      XCTAssertEqual(r.status, 1, code)
      XCTAssertTrue(r.err.contains("time limit exceeded (--max-seconds 0.5)"), "\(code): \(r.err)")
    }
  }

  /// A C function runs no hook: past the limit and a grace period the process ends (124).
  func testTimeLimitEndsCodeThatCannotBeInterrupted() throws {
    let r = try sandboxed("string.rep('a', 30000):find('.-.-.-.-.-.-b')", flags: ["--max-seconds", "0.5"])
    XCTAssertEqual(r.status, 124, r.err)
    XCTAssertTrue(r.err.contains("time limit exceeded (--max-seconds) inside code that cannot be interrupted"), r.err)
  }

  /// In the REPL the limit is per entry: the next entry runs with a fresh deadline (2 s
  /// for one print: generous, so only a stalled machine could fail it).
  func testTimeLimitIsPerReplEntry() throws {
    let r = try runLyra(["--sandbox", "--max-seconds", "2"], stdin: "while true do end\nprint('after' .. 1)\n", directory: work)
    XCTAssertTrue(r.err.contains("time limit exceeded"), r.err)
    XCTAssertTrue(r.out.contains("after1"), r.out)
  }

  func testMemoryCapIsALuaErrorNotACrash() throws {
    let r = try sandboxed("local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(100) .. i end", flags: ["--max-memory", "64M"])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.err.contains("not enough memory"), r.err)
    let ok = try sandboxed("local t = {} for i = 1, 1e5 do t[i] = i end print(#t)", flags: ["--max-memory", "64M"])
    XCTAssertEqual(ok.out, "100000\n", ok.err)
  }

  /// The single-tensor cap follows --max-memory (through LYRA_MAX_TENSOR_BYTES, which
  /// CheckedSize reads): a tensor over it is an error naming the limit.
  func testTensorCapFollowsMaxMemory() throws {
    let big = try sandboxed("lyra.zeros(1024, 1024, 64)", flags: ["--max-memory", "64M"]) // 256 MiB of floats
    XCTAssertEqual(big.status, 1)
    XCTAssertTrue(big.err.contains("above the limit of"), big.err)
    let ok = try sandboxed("print(lyra.zeros(1024, 1024):numel())", flags: ["--max-memory", "64M"])
    XCTAssertEqual(ok.out, "1048576\n", ok.err)
  }

  func testCapsNeedTheSandboxAndSaneValues() throws {
    XCTAssertNotEqual(try runLyra(["--max-seconds", "1", "-e", "print(1)"]).status, 0)
    XCTAssertTrue(try runLyra(["--sandbox", "--max-memory", "lots", "-e", "print(1)"]).err.contains("--max-memory 'lots'"))
    XCTAssertTrue(try runLyra(["--sandbox", "--max-seconds", "-1", "-e", "print(1)"]).err.contains("--max-seconds"))
  }

  func testScriptFilesRunSandboxed() throws {
    let script = work + "/s.lua"
    FileManager.default.createFile(atPath: script, contents: Data("print(debug == nil, pcall(os.execute, 'true'))\n".utf8))
    let r = try runLyra(["--sandbox", "s.lua"], directory: work)
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertTrue(r.out.hasPrefix("true\tfalse\t"), r.out)
    XCTAssertTrue(r.out.contains("os.execute is disabled"), r.out)
  }

  func testNotebookOutputsStayInside() throws {
    let nb = work + "/nb.lua"
    FileManager.default.createFile(atPath: nb, contents: Data("-- %%\nprint(pcall(io.popen, 'ls'))\n".utf8))
    let refused = try runLyra(["notebook", "--sandbox", "nb.lua", "-o", outside], directory: work)
    XCTAssertEqual(refused.status, 1)
    XCTAssertTrue(refused.err.contains("the sandbox refuses to write"), refused.err)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside).sorted(), ["victim.txt"])
    let ok = try runLyra(["notebook", "--sandbox", "nb.lua", "-o", "out"], directory: work)
    XCTAssertEqual(ok.status, 0, ok.err)
    let md = try String(contentsOfFile: work + "/out/nb.md", encoding: .utf8)
    XCTAssertTrue(md.contains("io.popen is disabled"), md)
  }
}
