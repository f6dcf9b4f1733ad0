import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import LyraLua

/// `lyra.plot` from Lua: every kind of plot gives well-formed SVG (checked with
/// Foundation's XMLParser), the file written is the same text, and labels are escaped.
final class PlotBindingTests: XCTestCase {
  /// Element names in document order, or nil when the text is not well-formed XML.
  final class Names: NSObject, XMLParserDelegate {
    var names: [String] = []
    var texts: [String] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) { names.append(name) }
    func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }

    static func parse(_ text: String) -> Names? {
      let d = Names()
      let p = XMLParser(data: Data(text.utf8))
      p.delegate = d
      return p.parse() ? d : nil
    }
  }

  func testEveryKindIsWellFormedSVG() throws {
    let host = try LyraHost()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-plotbind-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try host.state.execute("""
      local dir = ...
      local p = lyra.plot
      local evil = 'a <b> & "c"'
      local plots = {
        p.line({1, 3, 2}, {label = evil, title = evil, xlabel = 'x', ylabel = 'y'}),
        p.scatter(lyra.randn(20), lyra.randn(20)):ylim(-1, 1),
        p.step({1, 2, 3}, {3, 2, 2}, {markers = true}),
        p.hist(lyra.randn(200), {bins = 10}):logy(),
        p.bar({'a', 'b', evil}, {1, 2, 3}),
        p.image(lyra.rand(5, 3, 8, 8), {captions = {evil}}),
        p.image(lyra.rand(12, 10)),
        p.new({title = 'empty'}),
      }
      local out = {}
      for i, q in ipairs(plots) do out[i] = q:save(dir .. '/p' .. i .. '.svg') end
      return out
      """, args: [.string(dir)])
    guard case .table(let paths, _)? = r.first else { return XCTFail("\(r)") }
    XCTAssertEqual(paths.count, 8)
    for case .string(let path) in paths {
      let text = try String(contentsOfFile: path, encoding: .utf8)
      let doc = try XCTUnwrap(Names.parse(text), "\(path) is not well-formed:\n\(text.prefix(800))")
      XCTAssertEqual(doc.names.first, "svg", path)
    }
    let first = try XCTUnwrap(Names.parse(try String(contentsOfFile: "\(dir)/p1.svg", encoding: .utf8)))
    XCTAssertTrue(first.texts.joined().contains("a <b> & \"c\""), "labels survive escaping")
    let grid = try XCTUnwrap(Names.parse(try String(contentsOfFile: "\(dir)/p6.svg", encoding: .utf8)))
    XCTAssertEqual(grid.names.filter { $0 == "image" }.count, 5)
  }
}
