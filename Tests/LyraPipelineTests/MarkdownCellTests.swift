import XCTest
@testable import LyraPipeline

/// `MarkdownReport.cell`: task text as an inert Markdown table cell, now built on
/// LyraBase's scalar loop (TextEscaping.replacingScalars).
final class MarkdownCellTests: XCTestCase {
  func testEscapesWhatWouldBecomeMarkup() {
    XCTAssertEqual(MarkdownReport.cell(#"a|b[c](javascript:x)<i>\"#), #"a\|b\[c\](javascript:x)&lt;i&gt;\\"#)
    XCTAssertEqual(MarkdownReport.cell("one\r\ntwo\nthree\rfour"), "one two three four", "a CRLF is one break, as before")
    XCTAssertEqual(MarkdownReport.cell("é 😀"), "é 😀")
  }

  /// A combining mark after `<` or `[` makes one Character of the pair; the escape works on
  /// scalars, so the bracket is still escaped (a Character-based loop let it through).
  func testCombiningMarkDoesNotHideABracket() {
    XCTAssertEqual(MarkdownReport.cell("<\u{301}a href=x>"), "&lt;\u{301}a href=x&gt;")
    XCTAssertEqual(MarkdownReport.cell("[\u{301}x](y)"), "\\[\u{301}x\\](y)")
  }
}
