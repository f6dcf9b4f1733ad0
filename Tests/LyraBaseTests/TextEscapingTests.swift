import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import LyraBase

/// The shared escapers against independent references: the per-place escapers they
/// replaced (written here as plain lookups over scalars) and parsers that read the
/// escaped text back (JSONSerialization, XMLParser).
final class TextEscapingTests: XCTestCase {
  /// Strings with every character the escapers care about, controls, non-BMP scalars and
  /// a `<` carrying a combining mark (one Character, two scalars), drawn from a fixed seed.
  func samples() -> [String] {
    let alphabet: [Unicode.Scalar] = ["a", "Z", "0", " ", "&", "<", ">", "\"", "'", "\\", "/", "\n", "\r", "\t",
                                      "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "\u{301}", "é", "\u{FFFE}", "\u{FFFF}", "😀", "|", "[", "]"]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var out = ["", "<\u{301}a href=x>", "a\r\nb", "\u{0}"]
    for _ in 0..<400 {
      var s = String.UnicodeScalarView()
      state = state &* 6364136223846793005 &+ 1442695040888963407
      for _ in 0..<Int(state >> 60) + 1 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        s.append(alphabet[Int(state >> 33) % alphabet.count])
      }
      out.append(String(s))
    }
    return out
  }

  func reference(_ s: String, _ table: [Unicode.Scalar: String], drop: (Unicode.Scalar) -> Bool = { _ in false }) -> String {
    var out = ""
    for u in s.unicodeScalars where !drop(u) { out += table[u] ?? String(u) }
    return out
  }

  func testMarkupAgainstReference() {
    let html: [Unicode.Scalar: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"]
    var xml = html
    xml["'"] = "&#39;"
    let forbidden: (Unicode.Scalar) -> Bool = { u in
      (u.value < 0x20 && u != "\t" && u != "\n" && u != "\r") || u.value == 0xFFFE || u.value == 0xFFFF
    }
    for s in samples() {
      XCTAssertEqual(TextEscaping.html(s), reference(s, html), s.debugDescription)
      XCTAssertEqual(TextEscaping.xml(s), reference(s, xml, drop: forbidden), s.debugDescription)
      XCTAssertFalse(TextEscaping.xml(s).unicodeScalars.contains("<"))
      XCTAssertFalse(TextEscaping.html(s).unicodeScalars.contains("<"))
    }
    XCTAssertEqual(TextEscaping.html("<\u{301}"), "&lt;\u{301}", "a combining mark does not hide a '<'")
  }

  /// XML text from `xml` is read back by an XML parser as the input minus the forbidden controls.
  func testXMLReadsBack() throws {
    final class Text: NSObject, XMLParserDelegate {
      var text = "", attr = ""
      func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        attr = attributes["a"] ?? ""
      }
      func parser(_ p: XMLParser, foundCharacters s: String) { text += s }
    }
    for s in samples() {
      let escaped = TextEscaping.xml(s)
      // Line breaks and tabs as character references, scalar by scalar, so the parser's
      // whitespace normalisation (attributes: to spaces; text: \r to \n) keeps them.
      func refs(_ t: String, _ which: Set<Unicode.Scalar>) -> String {
        var out = ""
        for u in t.unicodeScalars { out += which.contains(u) ? "&#\(u.value);" : String(u) }
        return out
      }
      let doc = "<r a=\"\(refs(escaped, ["\n", "\r", "\t"]))\">\(refs(escaped, ["\r"]))</r>"
      let reader = Text()
      let p = XMLParser(data: Data(doc.utf8))
      p.delegate = reader
      XCTAssertTrue(p.parse(), "not well-formed: \(doc.debugDescription)")
      let kept = String(String.UnicodeScalarView(s.unicodeScalars.filter {
        !(($0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r") || $0.value == 0xFFFE || $0.value == 0xFFFF)
      }))
      XCTAssertEqual(reader.attr, kept, s.debugDescription)
      XCTAssertEqual(reader.text, kept, s.debugDescription)
    }
  }

  /// A JSON literal from `jsonString` parses back to the same string, and is written the
  /// way the notebook's ipynb writer always wrote it (short escapes, `\u00XX`, `/` plain).
  func testJSONStringRoundTrips() throws {
    for s in samples() {
      let lit = TextEscaping.jsonString(s)
      let back = try JSONSerialization.jsonObject(with: Data(lit.utf8), options: [.fragmentsAllowed]) as? String
      XCTAssertEqual(back, s, lit)
      XCTAssertFalse(lit.dropFirst().dropLast().unicodeScalars.contains { $0.value < 0x20 }, "no raw control character")
    }
    XCTAssertEqual(TextEscaping.jsonString("a/\"\\\n\r\t\u{1}é"), #""a/\"\\\n\r\t\u0001é""#)
  }

  func testReplacingScalarsKeepsAndReplaces() {
    XCTAssertEqual(TextEscaping.replacingScalars("a-b-c") { $0 == "-" ? "+" : nil }, "a+b+c")
    XCTAssertEqual(TextEscaping.replacingScalars("a-b") { $0 == "-" ? "" : nil }, "ab")
    XCTAssertEqual(TextEscaping.replacingScalars("") { _ in "x" }, "")
  }
}
