import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses SVG text with Foundation's XMLParser: nil when not well-formed, else every
/// element with its attributes and text, in document order.
struct SVGDoc {
  struct Element {
    var name: String
    var attrs: [String: String]
    var text: String
    /// `class` attributes of the enclosing elements, innermost last.
    var ancestors: [String]
  }

  var elements: [Element]

  init?(_ svg: String) {
    let d = Delegate()
    let p = XMLParser(data: Data(svg.utf8))
    p.delegate = d
    guard p.parse() else { return nil }
    elements = d.elements
  }

  func all(_ name: String, inClass cls: String? = nil) -> [Element] {
    elements.filter { $0.name == name && (cls == nil || $0.ancestors.contains(cls!) || $0.attrs["class"] == cls) }
  }

  final class Delegate: NSObject, XMLParserDelegate {
    var elements: [Element] = []
    var stack: [(Int, String)] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
      elements.append(Element(name: name, attrs: attributes, text: "", ancestors: stack.map(\.1)))
      stack.append((elements.count - 1, attributes["class"] ?? ""))
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if let (i, _) = stack.last { elements[i].text += string }
    }
  }
}
