import XCTest
@testable import LyraLua
@testable import LyraNotebook

/// Running notebooks: locals across cells, trailing values, captured output in order,
/// errors stopping the run, skip/hide, and cells that only fail together.
final class NotebookRunnerTests: XCTestCase {
  func run(_ text: String, path: String = "nb.lua") throws -> NotebookRun {
    let nb = try NotebookParser.parse(text, path: path)
    return try NotebookRunner(host: try LyraHost()).run(nb)
  }

  func stdout(_ o: CellOutcome) -> String {
    o.outputs.compactMap { if case .stream("stdout", let t) = $0 { return t } else { return nil } }.joined()
  }

  func result(_ o: CellOutcome) -> String? {
    for case .result(let b) in o.outputs { return b["text/plain"] }
    return nil
  }

  func testLocalsSurviveAcrossCells() throws {
    let r = try run("""
      -- %%
      local a, b = 2, 3
      local f = function(n) return n * a end
      local function g(n) return f(n) + b end
      local limit <const> = 10
      local counter = 0
      local function bump() counter = counter + 1; return counter end
      -- %%
      local c, d = g(1), g(2)
      a = 100
      bump()
      -- %%
      print(c, d, f(1), limit, bump(), counter)
      """)
    XCTAssertFalse(r.failed, "\(r.outcomes)")
    XCTAssertEqual(stdout(r.outcomes[2]), "5\t7\t100\t10\t2\t2\n", "locals, upvalues and reassignment carry over")
    XCTAssertEqual(r.outcomes.map(\.executionCount), [1, 2, 3])
  }

  func testTrailingExpressionLikeTheREPL() throws {
    let r = try run("""
      -- %%
      1 + 1
      -- %%
      local t = {x = 1}
      t.x, 'two'
      -- %%
      local s = 'a'
        .. 'b'
      -- %%
      math.max(
        3,
        4)
      -- %%
      print('silent');
      -- %%
      x = 5
      -- %%
      x; -- a semicolon silences the value
      -- %%
      nil
      -- %%
      do return_value = 1 end
      -- comment after the code
      -- %%
      return 6 * 7
      -- %%
      print('still running')
      """)
    XCTAssertFalse(r.failed)
    XCTAssertEqual(result(r.outcomes[0]), "2")
    XCTAssertEqual(result(r.outcomes[1]), "1\t\"two\"")
    XCTAssertNil(result(r.outcomes[2]), "a statement split over lines is not an expression")
    XCTAssertEqual(result(r.outcomes[3]), "4")
    XCTAssertNil(result(r.outcomes[4]))
    XCTAssertEqual(stdout(r.outcomes[4]), "silent\n")
    XCTAssertNil(result(r.outcomes[5]))
    XCTAssertNil(result(r.outcomes[6]))
    XCTAssertEqual(result(r.outcomes[7]), "nil")
    XCTAssertNil(result(r.outcomes[8]))
    XCTAssertEqual(result(r.outcomes[9]), "42", "return x shows x, as in the REPL")
    XCTAssertEqual(stdout(r.outcomes[10]), "still running\n", "and does not end the notebook")
  }

  /// print, io.write, stderr and display outputs keep their order within a cell.
  func testOutputsCapturedInOrder() throws {
    let r = try run("""
      -- %%
      print('first')
      io.write('second\\n')
      display({a = 1})
      io.stdout:write('third\\n')
      io.stderr:write('warned\\n')
      display(lyra.plot.line({1, 2, 3}))
      print('last')
      'value'
      """)
    let outs = r.outcomes[0].outputs
    guard outs.count == 7 else { return XCTFail("\(outs)") }
    XCTAssertEqual(outs[0], .stream(name: "stdout", text: "first\nsecond\n"))
    guard case .display(let table) = outs[1] else { return XCTFail("\(outs[1])") }
    XCTAssertNotNil(table["text/html"])
    XCTAssertEqual(outs[2], .stream(name: "stdout", text: "third\n"))
    XCTAssertEqual(outs[3], .stream(name: "stderr", text: "warned\n"))
    guard case .display(let plot) = outs[4], let svg = plot["image/svg+xml"] else { return XCTFail("\(outs[4])") }
    XCTAssertTrue(svg.hasPrefix("<svg"))
    XCTAssertEqual(outs[5], .stream(name: "stdout", text: "last\n"))
    XCTAssertEqual(outs[6], .result(MIMEBundle(["text/plain": "\"value\""])), "the value comes last")
  }

  func testErrorStopsTheRunAndMarksLaterCells() throws {
    let r = try run("""
      -- %%
      local x = 1
      -- %%
      print('before')
      local function inner() error('kaput') end
      inner()
      -- %%
      print('never')
      -- %% [markdown]
      -- text
      -- %%
      x
      """, path: "err.lua")
    XCTAssertTrue(r.failed)
    XCTAssertEqual(r.failedCell, 1)
    XCTAssertEqual(r.outcomes.map(\.status), [.ok, .failed, .notRun, .text, .notRun])
    XCTAssertEqual(r.outcomes[2].outputs, [])
    XCTAssertNil(r.outcomes[2].executionCount)
    let outs = r.outcomes[1].outputs
    XCTAssertEqual(outs.first, .stream(name: "stdout", text: "before\n"))
    guard case .error(let name, let message, let trace)? = outs.last else { return XCTFail("\(outs)") }
    XCTAssertEqual(name, "LuaError")
    XCTAssertEqual(message, "err.lua:5: kaput")
    XCTAssertTrue(trace.contains { $0.contains("err.lua:6: in main chunk") }, "\(trace)")
    XCTAssertFalse(trace.contains { $0.contains("[C]: in ?") })
  }

  /// A cell that does not compile fails; earlier cells run; later ones do not.
  func testSyntaxErrorCell() throws {
    let r = try run("-- %%\nprint('one')\n-- %%\nx = = 1\n-- %%\nprint('three')\n", path: "syn.lua")
    XCTAssertEqual(r.outcomes.map(\.status), [.ok, .failed, .notRun])
    XCTAssertEqual(stdout(r.outcomes[0]), "one\n")
    guard case .error(let name, let message, _)? = r.outcomes[1].outputs.last else { return XCTFail() }
    XCTAssertEqual(name, "SyntaxError")
    XCTAssertTrue(message.hasPrefix("syn.lua:4:"), message)
  }

  /// Cells that compile alone but not together: the cell holding the error line fails.
  func testErrorOnlyInContext() throws {
    let r = try run("-- %%\nlocal k <const> = 1\nprint(k)\n-- %%\nk = 2\n-- %%\nprint(3)\n", path: "ctx.lua")
    XCTAssertEqual(r.outcomes.map(\.status), [.ok, .failed, .notRun])
    guard case .error(_, let message, _)? = r.outcomes[1].outputs.last else { return XCTFail() }
    XCTAssertTrue(message.contains("ctx.lua:5:") && message.contains("const"), message)
  }

  func testSkipHideAndEmptyCells() throws {
    let r = try run("""
      -- %% tags=["skip"]
      error('must not run')
      -- %%
      -- %% tags=["hide"]
      print('hidden code, shown output')
      """)
    XCTAssertEqual(r.outcomes.map(\.status), [.skipped, .text, .ok])
    XCTAssertFalse(r.failed)
    XCTAssertEqual(stdout(r.outcomes[2]), "hidden code, shown output\n")
    XCTAssertEqual(r.outcomes[2].executionCount, 1)
  }

  /// Output is captured only while the notebook runs, and the host stays usable.
  func testCaptureEndsAndHostIsReusable() throws {
    let host = try LyraHost()
    let nb = try NotebookParser.parse("-- %%\ny_global = 41\n", path: "g.lua")
    let r = try NotebookRunner(host: host).run(nb)
    XCTAssertFalse(r.failed)
    XCTAssertEqual(try host.state.execute("return y_global + 1, __lyra_notebook, lyra._display_sink"), [.integer(42), .nil, .nil])
    XCTAssertGreaterThanOrEqual(r.outcomes[0].seconds, 0)
  }

  func testImageTensorAndTableDisplays() throws {
    let r = try run("""
      -- %%
      display(lyra.rand(2, 1, 8, 8))
      display(lyra.zeros(2, 3))
      display({{name = 'a', n = 1}, {name = 'b|c', n = 2.5}})
      """)
    let bundles = r.outcomes[0].outputs.compactMap { if case .display(let b) = $0 { return b } else { return nil } }
    XCTAssertEqual(bundles.count, 3)
    let png = try XCTUnwrap(bundles[0]["image/png"].flatMap { Data(base64Encoded: $0) })
    XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    XCTAssertNil(bundles[1]["image/png"], "a matrix is not a picture")
    XCTAssertTrue(bundles[1]["text/plain"]?.contains("[lyra.FloatTensor of size 2x3]") == true, bundles[1]["text/plain"] ?? "")
    XCTAssertEqual(bundles[2]["text/markdown"], "| n | name |\n| --- | --- |\n| 1 | a |\n| 2.5 | b\\|c |")
    XCTAssertEqual(bundles[2]["text/plain"], "n    name\n1    a\n2.5  b|c")
  }
}
