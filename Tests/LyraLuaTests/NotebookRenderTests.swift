import Foundation
import XCTest
@testable import LyraLua
@testable import LyraNotebook

/// The three renderings of a run notebook: self-contained HTML, nbformat 4 JSON and Markdown.
final class NotebookRenderTests: XCTestCase {
  static let source = """
    -- %% [markdown]
    -- # Demo <page>
    -- Some *text* and `code`.
    -- %%
    local n = 3
    print('n < ' .. n)
    display(lyra.plot.line({1, 3, 2}, {title = 'a & b'}))
    display(lyra.rand(1, 8, 8))
    n * 2
    -- %% tags=["hide"]
    print('secret_code_marker_' .. 'output')
    -- %% tags=["skip"]
    print('skipped')
    -- %%
    error('bad')
    -- %%
    print('after')
    """

  static let run: NotebookRun = {
    let nb = try! NotebookParser.parse(source, path: "demo.lua")
    return try! NotebookRunner(host: try! LyraHost()).run(nb)
  }()

  func testHTMLIsSelfContained() throws {
    let html = HTMLRenderer(Self.run).render()
    XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
    for banned in ["http://", "https://", "<script", "<link", "@import", "url("] {
      XCTAssertFalse(html.contains(banned), "found \(banned)")
    }
    var rest = html[...]
    var sources = 0
    while let r = rest.range(of: "src=\"") {
      XCTAssertTrue(rest[r.upperBound...].hasPrefix("data:"), "src= must be a data URI")
      rest = rest[r.upperBound...]
      sources += 1
    }
    XCTAssertEqual(sources, 1, "the image tensor is one PNG data URI")
    XCTAssertTrue(html.contains("<svg"), "plots are inline SVG")
    XCTAssertTrue(html.contains("<h1>Demo &lt;page&gt;</h1>"))
    XCTAssertTrue(html.contains("<em>text</em>") && html.contains("<code>code</code>"))
    XCTAssertTrue(html.contains("<title>a &amp; b</title>"), "SVG text stays escaped")
    XCTAssertTrue(html.contains("n &lt; 3"), "output is escaped")
    XCTAssertFalse(html.contains("secret_code_marker_' .."), "hidden code is left out")
    XCTAssertTrue(html.contains("secret_code_marker_output"), "hidden cell's output is shown")
    XCTAssertTrue(html.contains("demo.lua:15: bad"))
    XCTAssertTrue(html.contains("not run: an earlier cell failed"))
    XCTAssertTrue(html.contains("skipped: tagged skip"))
  }

  func testIpynbStructure() throws {
    let text = IpynbRenderer(Self.run).render()
    let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    XCTAssertEqual(root["nbformat"] as? Int, 4)
    XCTAssertEqual(root["nbformat_minor"] as? Int, 5)
    let meta = try XCTUnwrap(root["metadata"] as? [String: Any])
    let kernel = try XCTUnwrap(meta["kernelspec"] as? [String: Any])
    XCTAssertEqual(kernel["name"] as? String, "lyra")
    XCTAssertEqual(kernel["language"] as? String, "lua")
    XCTAssertNotNil(kernel["display_name"] as? String)
    XCTAssertEqual((meta["language_info"] as? [String: Any])?["name"] as? String, "lua")
    let cells = try XCTUnwrap(root["cells"] as? [[String: Any]])
    XCTAssertEqual(cells.count, 6)
    var outputTypes: [String] = []
    var mimes = Set<String>()
    var ids = Set<String>()
    for (k, c) in cells.enumerated() {
      let type = try XCTUnwrap(c["cell_type"] as? String)
      ids.insert(try XCTUnwrap(c["id"] as? String))
      XCTAssertNotNil(c["metadata"] as? [String: Any])
      let source = try XCTUnwrap(c["source"] as? [String])
      XCTAssertEqual(source.joined(), Self.run.notebook.cells[k].source)
      if type == "code" {
        XCTAssertEqual(Set(c.keys), ["cell_type", "execution_count", "id", "metadata", "outputs", "source"])
        for o in try XCTUnwrap(c["outputs"] as? [[String: Any]]) {
          let ot = try XCTUnwrap(o["output_type"] as? String)
          outputTypes.append(ot)
          switch ot {
          case "stream":
            XCTAssertEqual(Set(o.keys), ["name", "output_type", "text"])
            XCTAssertTrue(["stdout", "stderr"].contains(o["name"] as? String ?? ""))
          case "execute_result":
            XCTAssertEqual(Set(o.keys), ["data", "execution_count", "metadata", "output_type"])
            XCTAssertEqual(o["execution_count"] as? Int, c["execution_count"] as? Int)
          case "display_data":
            XCTAssertEqual(Set(o.keys), ["data", "metadata", "output_type"])
          case "error":
            XCTAssertEqual(Set(o.keys), ["ename", "evalue", "output_type", "traceback"])
            XCTAssertNotNil(o["traceback"] as? [String])
          default:
            XCTFail("unknown output type \(ot)")
          }
          if let data = o["data"] as? [String: Any] {
            mimes.formUnion(data.keys)
            XCTAssertNotNil(data["text/plain"], "every bundle has text/plain")
            if let png = data["image/png"] { XCTAssertNotNil(Data(base64Encoded: try XCTUnwrap(png as? String))) }
          }
        }
      } else {
        XCTAssertEqual(Set(c.keys), ["cell_type", "id", "metadata", "source"])
      }
    }
    XCTAssertEqual(ids.count, cells.count, "cell ids are unique")
    XCTAssertEqual(outputTypes, ["stream", "display_data", "display_data", "execute_result", "stream", "error"])
    XCTAssertTrue(mimes.isSuperset(of: ["image/svg+xml", "image/png", "text/plain"]))
    XCTAssertEqual(cells[1]["execution_count"] as? Int, 1)
    XCTAssertTrue(cells[3]["execution_count"] is NSNull, "skipped: no count")
    XCTAssertEqual(((cells[2]["metadata"] as? [String: Any])?["jupyter"] as? [String: Any])?["source_hidden"] as? Bool, true)
    XCTAssertEqual((cells[2]["metadata"] as? [String: Any])?["tags"] as? [String], ["hide"])
  }

  func testMarkdown() {
    let (md, files) = MarkdownRenderer(Self.run).render(assetsFolder: "demo_files")
    XCTAssertTrue(md.contains("# Demo <page>\nSome *text* and `code`."))
    XCTAssertTrue(md.contains("```lua\nlocal n = 3\n"))
    XCTAssertTrue(md.contains("```text\nn < 3\n```"))
    XCTAssertEqual(files.map(\.name), ["cell2-2.svg", "cell2-3.png"])
    XCTAssertTrue(md.contains("](demo_files/cell2-2.svg)") && md.contains("](demo_files/cell2-3.png)"))
    XCTAssertTrue(String(decoding: files[0].data, as: UTF8.self).hasPrefix("<svg"))
    XCTAssertTrue(md.contains("```text\n6\n```"), "the trailing value")
    XCTAssertFalse(md.contains("secret_code_marker_' .."))
    XCTAssertTrue(md.contains("secret_code_marker_output"))
    XCTAssertTrue(md.contains("**Error:**\n\n```text\ndemo.lua:15: bad"))
    XCTAssertTrue(md.contains("*(not run: an earlier cell failed)*"))
    XCTAssertEqual(RenderSupport.fence("a ``` b", info: "text"), "````text\na ``` b\n````\n")
  }
}
