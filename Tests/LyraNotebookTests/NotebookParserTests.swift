import LyraBase
import XCTest
@testable import LyraNotebook

/// jupytext percent cells: markers, types, tags and metadata, and malformed input.
final class NotebookParserTests: XCTestCase {
  func parse(_ text: String) throws -> Notebook { try NotebookParser.parse(text, path: "nb.lua") }

  func testCellsTypesAndLines() throws {
    let nb = try parse("""
      local header = 1

      -- %%
      x = 1

      -- %% [markdown]
      -- # Title
      --
      --text without space
      -- %% Setup [md]
      -- more
      -- %% [raw]
      raw
      --%%
      y = 2
      """)
    XCTAssertEqual(nb.cells.map(\.kind), [.code, .code, .markdown, .markdown, .raw, .code])
    XCTAssertEqual(nb.cells[0].lines, ["local header = 1"])
    XCTAssertNil(nb.cells[0].markerLine)
    XCTAssertEqual(nb.cells[1].lines, ["x = 1"], "blank lines around a cell are dropped")
    XCTAssertEqual(nb.cells[1].firstLine, 4)
    XCTAssertEqual(nb.cells[1].markerLine, 3)
    XCTAssertEqual(nb.cells[2].lines, ["# Title", "", "text without space"])
    XCTAssertEqual(nb.cells[3].title, "Setup")
    XCTAssertEqual(nb.cells[4].lines, ["raw"])
    XCTAssertEqual(nb.cells[5].lines, ["y = 2"], "--%% without a space is a marker too")
    XCTAssertEqual(nb.cells[5].firstLine, 15)
  }

  func testTagsAndMetadata() throws {
    let nb = try parse("""
      -- %% tags=["hide"]
      a()
      -- %% [markdown] tags=["skip", "x"] slide={"type": "sub"} n=3
      -- hi
      -- %%% tags=["skip"]
      b()
      """)
    XCTAssertTrue(nb.cells[0].isHidden)
    XCTAssertFalse(nb.cells[0].isSkipped)
    XCTAssertEqual(nb.cells[1].kind, .markdown)
    XCTAssertEqual(nb.cells[1].tags, ["skip", "x"])
    XCTAssertEqual(nb.cells[1].metadata.map(\.key), ["slide", "n"])
    XCTAssertEqual(nb.cells[1].metadata[0].value, .object(["type": .string("sub")]))
    XCTAssertEqual(nb.cells[1].metadata[1].value, .number(3))
    XCTAssertTrue(nb.cells[2].isSkipped, "extra % signs are allowed, as in jupytext")
  }

  /// Lines that look like markers but are not, and a shebang.
  func testNotMarkers() throws {
    let nb = try parse("#!/usr/bin/env lyra\n-- %%foo\n--- %%\nprint(1) -- %%\n")
    XCTAssertEqual(nb.cells.count, 1)
    XCTAssertEqual(nb.cells[0].lines, ["-- %%foo", "--- %%", "print(1) -- %%"])
    XCTAssertEqual(nb.cells[0].firstLine, 2)
  }

  func testEmptyCellsAndEmptyFile() throws {
    XCTAssertEqual(try parse("").cells.count, 0)
    XCTAssertEqual(try parse("\n\n  \n").cells.count, 0, "blank text before any marker is no cell")
    let nb = try parse("-- %%\n-- %%\n\n\n-- %% [markdown]\n-- %%")
    XCTAssertEqual(nb.cells.count, 4)
    XCTAssertTrue(nb.cells.allSatisfy(\.isEmpty))
    XCTAssertEqual(nb.cells[3].firstLine, 7, "an empty last cell points past its marker")
  }

  func testCRLFLines() throws {
    let nb = try parse("-- %%\r\nx = 1\r\n-- %% [markdown]\r\n-- *a*\r\n")
    XCTAssertEqual(nb.cells[0].lines, ["x = 1"])
    XCTAssertEqual(nb.cells[1].lines, ["*a*"])
  }

  func testMalformedMarkersNameTheLine() {
    let cases: [(String, Int, String)] = [
      ("x = 1\n-- %% [markdown\n-- a", 2, "unclosed '['"),
      ("-- %% [python]\n", 1, "unknown cell type '[python]'"),
      ("\n\n-- %% tags=[\"hide\"\n", 3, "metadata 'tags' is not valid JSON"),
      ("-- %% tags=\"hide\"\n", 1, "tags must be a list of strings"),
      ("-- %% tags=[1]\n", 1, "tags must be a list of strings"),
      ("-- %% [md] [raw]\n", 1, "names a type twice"),
      ("-- %% k={\"a\": }\n", 1, "metadata 'k' is not valid JSON"),
    ]
    for (text, line, message) in cases {
      XCTAssertThrowsError(try parse(text), text) { e in
        guard let e = e as? NotebookParseError else { return XCTFail("\(e)") }
        XCTAssertEqual(e.line, line, text)
        XCTAssertTrue(e.message.contains(message), "\(text): \(e.message)")
        XCTAssertTrue(e.description.hasPrefix("nb.lua:\(line): "), e.description)
      }
    }
  }
}
