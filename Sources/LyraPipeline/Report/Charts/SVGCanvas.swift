import Foundation
import LyraBase
import LyraPlot

/// A small SVG writer for the report's charts that LyraPlot's x/y plots cannot draw
/// (parallel coordinates, the rung diagram, the worker timeline). Every attribute and
/// text node is escaped; numbers are written with two decimals so output is deterministic.
struct SVGCanvas {
  let width: Double, height: Double
  private var parts: [String] = []

  init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  static func f(_ v: Double) -> String { String(format: "%.2f", v.isFinite ? v : 0) }

  mutating func raw(_ name: String, _ attrs: [(String, String)], text: String? = nil) {
    var s = "<" + name
    for (k, v) in attrs { s += " \(k)=\"\(TextEscaping.xml(v))\"" }
    if let text { s += ">" + TextEscaping.xml(text) + "</\(name)>" } else { s += "/>" }
    parts.append(s)
  }

  mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#999", width w: Double = 1, dash: String? = nil) {
    var a = [("x1", Self.f(x1)), ("y1", Self.f(y1)), ("x2", Self.f(x2)), ("y2", Self.f(y2)), ("stroke", stroke), ("stroke-width", Self.f(w))]
    if let dash { a.append(("stroke-dasharray", dash)) }
    raw("line", a)
  }

  mutating func polyline(_ pts: [(Double, Double)], stroke: String, width w: Double = 1.2, opacity: Double = 1, title: String? = nil) {
    let p = pts.map { "\(Self.f($0.0)),\(Self.f($0.1))" }.joined(separator: " ")
    let a = [("points", p), ("fill", "none"), ("stroke", stroke), ("stroke-width", Self.f(w)), ("stroke-opacity", Self.f(opacity))]
    if let title {
      parts.append("<polyline " + a.map { "\($0.0)=\"\(TextEscaping.xml($0.1))\"" }.joined(separator: " ") + "><title>\(TextEscaping.xml(title))</title></polyline>")
    } else {
      raw("polyline", a)
    }
  }

  mutating func circle(_ x: Double, _ y: Double, r: Double = 3.5, fill: String, stroke: String? = nil, title: String? = nil) {
    var a = [("cx", Self.f(x)), ("cy", Self.f(y)), ("r", Self.f(r)), ("fill", fill)]
    if let stroke { a.append(("stroke", stroke)) }
    if let title {
      parts.append("<circle " + a.map { "\($0.0)=\"\(TextEscaping.xml($0.1))\"" }.joined(separator: " ") + "><title>\(TextEscaping.xml(title))</title></circle>")
    } else {
      raw("circle", a)
    }
  }

  mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, title: String? = nil) {
    let a = [("x", Self.f(x)), ("y", Self.f(y)), ("width", Self.f(max(w, 0.5))), ("height", Self.f(h)), ("fill", fill)]
    if let title {
      parts.append("<rect " + a.map { "\($0.0)=\"\(TextEscaping.xml($0.1))\"" }.joined(separator: " ") + "><title>\(TextEscaping.xml(title))</title></rect>")
    } else {
      raw("rect", a)
    }
  }

  enum Anchor: String { case start, middle, end }

  mutating func text(_ x: Double, _ y: Double, _ s: String, anchor: Anchor = .start, size: Double = 12, color: String = "#333",
                     rotate: Bool = false, bold: Bool = false) {
    var a = [("x", Self.f(x)), ("y", Self.f(y)), ("text-anchor", anchor.rawValue), ("font-size", Self.f(size)), ("fill", color)]
    if rotate { a.append(("transform", "rotate(-90 \(Self.f(x)) \(Self.f(y)))")) }
    if bold { a.append(("font-weight", "bold")) }
    raw("text", a, text: s)
  }

  /// Shortens a label to `n` characters with an ellipsis.
  static func clip(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(max(1, n - 1))) + "…" }

  func document(title: String) -> String {
    var head = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\""
    head += " viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">"
    return ([head, "<title>\(TextEscaping.xml(title))</title>"] + parts + ["</svg>"]).joined(separator: "\n") + "\n"
  }
}
