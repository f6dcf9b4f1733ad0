import LyraBase
import XCTest
@testable import LyraNotebook

/// Notebook HTML puts only http(s), mailto and relative targets into `href` (issue 14):
/// a markdown cell's `[x](javascript:...)` must not become a script link in the page a
/// reader opens.
final class NotebookLinkTests: XCTestCase {
  let m = MarkdownHTML(baseDirectory: "/nonexistent")

  func testSafeTargetsStayLinks() {
    for url in ["https://example.org/a?b=c#d", "http://x.y", "mailto:me@example.org", "HTTPS://EXAMPLE.ORG",
                "page.html", "../docs/page.html", "#section", "/abs/path", "dir/a:b.html", "?q=1:2"] {
      XCTAssertEqual(m.render("[t](\(url))"), "<p><a href=\"\(TextEscaping.html(url))\">t</a></p>", url)
    }
  }

  func testScriptAndDataTargetsLoseTheirLink() {
    let hostile = ["javascript:alert(1)", "JavaScript:alert(1)", "java\tscript:alert(1)", " javascript:alert(1)",
                   "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox", "file:///etc/passwd", "jav\u{0001}ascript:x"]
    for url in hostile {
      let html = m.render("[click](\(url))")
      XCTAssertFalse(html.contains("href"), "\(url) -> \(html)")
      XCTAssertTrue(html.contains("click"), "the text stays: \(html)")
    }
    // An image that is not a local picture falls back to a link: the same rule applies.
    XCTAssertFalse(m.render("![x](javascript:alert(1))").contains("href"))
    XCTAssertTrue(m.render("![x](https://example.org/a.png)").contains("href=\"https://example.org/a.png\""))
  }

  func testPolicyDirectly() {
    XCTAssertNil(LinkPolicy.safeHref("JAVASCRIPT:x"))
    XCTAssertNil(LinkPolicy.safeHref("data:,x"))
    XCTAssertEqual(LinkPolicy.safeHref("a/b"), "a/b")
    XCTAssertEqual(LinkPolicy.safeHref("mailto:a@b"), "mailto:a@b")
  }
}
