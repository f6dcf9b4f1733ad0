import XCTest
@testable import LyraNotebook

/// The renderers' pure parts, without running a notebook: Markdown cells as HTML and
/// the Lua highlighter.
final class MarkdownHTMLTests: XCTestCase {
  func testMarkdownToHTML() {
    let m = MarkdownHTML(baseDirectory: "/nonexistent")
    XCTAssertEqual(m.render("## T *i* **b**"), "<h2>T <em>i</em> <strong>b</strong></h2>")
    XCTAssertEqual(m.render("- a\n- b `x*y*`\n\n1. one\n2. two"),
                   "<ul><li>a</li><li>b <code>x*y*</code></li></ul>\n<ol><li>one</li><li>two</li></ol>")
    XCTAssertEqual(m.render("| a | b |\n|---|:-:|\n| 1 | x\\|y |"),
                   "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>x|y</td></tr></tbody></table>")
    XCTAssertEqual(m.render("```\n<b>\n```"), "<pre><code>&lt;b&gt;</code></pre>")
    XCTAssertEqual(m.render("see [docs](page.html) and snake_case_name"),
                   "<p>see <a href=\"page.html\">docs</a> and snake_case_name</p>")
    XCTAssertEqual(m.render("![pic](http://example.com/x.png)"), "<p><a href=\"http://example.com/x.png\">pic</a></p>",
                   "a remote picture is linked, never fetched")
    XCTAssertEqual(m.render("> quoted\n\n---"), "<blockquote><p>quoted</p></blockquote>\n<hr>")
  }

  func testLuaHighlighter() {
    XCTAssertEqual(LuaHighlighter.html("local s = 'a<b' -- note\nx = 10"),
                   "<span class=\"k\">local</span> s = <span class=\"s\">&#39;a&lt;b&#39;</span> <span class=\"c\">-- note</span>\nx = <span class=\"n\">10</span>"
                     .replacingOccurrences(of: "&#39;", with: "'"))
    XCTAssertEqual(LuaHighlighter.html("--[[ a\nb ]] y"), "<span class=\"c\">--[[ a\nb ]]</span> y")
    XCTAssertEqual(LuaHighlighter.html("[==[x]]y]==]"), "<span class=\"s\">[==[x]]y]==]</span>")
  }
}
