import LyraBase

/// Accumulates SVG elements as text, escaping every attribute value and text node.
///
/// Attributes are written in the order given (never from a dictionary), which is what
/// makes the output byte-for-byte deterministic.
struct SVGBuilder {
  var parts: [String] = []

  /// Average advance of a 12 px sans-serif glyph, used to size margins and legends
  /// (SVG has no text measurement without a renderer).
  static let charWidth = 6.8

  static func textWidth(_ s: String, fontSize: Double = 12) -> Double {
    Double(s.count) * charWidth * fontSize / 12
  }

  mutating func element(_ name: String, _ attrs: [(String, String)], text: String? = nil) {
    var s = "<" + name
    for (k, v) in attrs { s += " \(k)=\"\(TextEscaping.xml(v))\"" }
    if let text { s += ">" + TextEscaping.xml(text) + "</\(name)>" } else { s += "/>" }
    parts.append(s)
  }

  mutating func open(_ name: String, _ attrs: [(String, String)]) {
    var s = "<" + name
    for (k, v) in attrs { s += " \(k)=\"\(TextEscaping.xml(v))\"" }
    parts.append(s + ">")
  }

  mutating func close(_ name: String) { parts.append("</\(name)>") }

  /// Wraps the parts in an `<svg>` root sized `width × height` (viewBox too, so it scales).
  func document(width: Int, height: Int, title: String?) -> String {
    var head = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
    head += " width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\""
    head += " font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">"
    var lines = [head]
    if let title { lines.append("<title>\(TextEscaping.xml(title))</title>") }
    lines += parts
    lines.append("</svg>")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Shortens `s` to `n` characters with an ellipsis, so one long label cannot eat the plot.
  static func truncate(_ s: String, _ n: Int) -> String {
    s.count <= n ? s : String(s.prefix(max(1, n - 1))) + "…"
  }
}
