import Foundation
import LyraBase

/// Markdown cells as HTML for the notebook page, without a Markdown library: ATX
/// headings, paragraphs, `-`/`*`/`1.` lists, `>` quotes, fenced code, `---` rules, pipe
/// tables, and inline code, **bold**, *italic*, [links](url) and ![images](file).
///
/// All text is escaped (raw HTML is shown, not interpreted). So the page stays
/// self-contained, a local image is embedded as a data URI and a remote one becomes a
/// link instead of a fetch.
struct MarkdownHTML {
  /// Folder that relative image paths are read from (the notebook's).
  var baseDirectory: String

  func render(_ text: String) -> String {
    var out: [String] = []
    var lines = text.components(separatedBy: "\n")[...]
    var paragraph: [String] = []
    func flush() {
      if !paragraph.isEmpty { out.append("<p>" + inline(paragraph.joined(separator: "\n")) + "</p>") }
      paragraph = []
    }
    while let line = lines.first {
      lines = lines.dropFirst()
      let t = line.trimmingCharacters(in: .whitespaces)
      if t.isEmpty { flush(); continue }
      if t.hasPrefix("```") || t.hasPrefix("~~~") {
        flush()
        let marker = String(t.prefix(3))
        var code: [String] = []
        while let l = lines.first, !l.trimmingCharacters(in: .whitespaces).hasPrefix(marker) {
          code.append(l)
          lines = lines.dropFirst()
        }
        lines = lines.dropFirst()
        out.append("<pre><code>" + TextEscaping.html(code.joined(separator: "\n")) + "</code></pre>")
      } else if let level = heading(t) {
        flush()
        let body = t.dropFirst(level).trimmingCharacters(in: .whitespaces)
        out.append("<h\(level)>" + inline(body) + "</h\(level)>")
      } else if t == "---" || t == "***" || t == "___" {
        flush()
        out.append("<hr>")
      } else if t.hasPrefix(">") {
        flush()
        var quote = [String(t.dropFirst()).trimmingCharacters(in: .whitespaces)]
        while let l = lines.first?.trimmingCharacters(in: .whitespaces), l.hasPrefix(">") {
          quote.append(String(l.dropFirst()).trimmingCharacters(in: .whitespaces))
          lines = lines.dropFirst()
        }
        out.append("<blockquote>" + render(quote.joined(separator: "\n")) + "</blockquote>")
      } else if let (ordered, first) = listItem(t) {
        flush()
        var items = [first]
        while let l = lines.first {
          let lt = l.trimmingCharacters(in: .whitespaces)
          if let (o, body) = listItem(lt), o == ordered {
            items.append(body)
          } else if l.hasPrefix("  "), !lt.isEmpty, listItem(lt) == nil {
            items[items.count - 1] += " " + lt // a continuation line joins its item
          } else {
            break
          }
          lines = lines.dropFirst()
        }
        let tag = ordered ? "ol" : "ul"
        out.append("<\(tag)>" + items.map { "<li>" + inline($0) + "</li>" }.joined() + "</\(tag)>")
      } else if t.hasPrefix("|"), let sep = lines.first?.trimmingCharacters(in: .whitespaces), isTableRule(sep) {
        flush()
        lines = lines.dropFirst()
        var rows: [[String]] = []
        while let l = lines.first?.trimmingCharacters(in: .whitespaces), l.hasPrefix("|") {
          rows.append(cells(l))
          lines = lines.dropFirst()
        }
        var h = "<table><thead><tr>" + cells(t).map { "<th>" + inline($0) + "</th>" }.joined() + "</tr></thead><tbody>"
        for r in rows { h += "<tr>" + r.map { "<td>" + inline($0) + "</td>" }.joined() + "</tr>" }
        out.append(h + "</tbody></table>")
      } else {
        paragraph.append(t)
      }
    }
    flush()
    return out.joined(separator: "\n")
  }

  func heading(_ t: String) -> Int? {
    let n = t.prefix { $0 == "#" }.count
    guard n >= 1 && n <= 6, t.count == n || t.dropFirst(n).first == " " else { return nil }
    return n
  }

  /// (ordered, text) for `- x`, `* x`, `+ x` or `12. x`.
  func listItem(_ t: String) -> (Bool, String)? {
    if let f = t.first, "-*+".contains(f), t.dropFirst().first == " " {
      return (false, String(t.dropFirst(2)))
    }
    let digits = t.prefix { $0.isNumber }
    if !digits.isEmpty, t.dropFirst(digits.count).hasPrefix(". ") {
      return (true, String(t.dropFirst(digits.count + 2)))
    }
    return nil
  }

  func isTableRule(_ t: String) -> Bool {
    t.hasPrefix("|") && t.contains("-") && t.allSatisfy { "|-: ".contains($0) }
  }

  func cells(_ row: String) -> [String] {
    var r = row.trimmingCharacters(in: .whitespaces)
    if r.hasPrefix("|") { r.removeFirst() }
    if r.hasSuffix("|") && !r.hasSuffix("\\|") { r.removeLast() }
    var out: [String] = [], cur = "", escaped = false
    for ch in r {
      if escaped { cur.append(ch); escaped = false } else if ch == "\\" { escaped = true } else if ch == "|" {
        out.append(cur.trimmingCharacters(in: .whitespaces))
        cur = ""
      } else { cur.append(ch) }
    }
    out.append(cur.trimmingCharacters(in: .whitespaces))
    return out
  }

  // MARK: - Inline

  /// Escapes `s` and applies code spans, images, links, bold and italic (in that order,
  /// so nothing inside a code span is touched).
  func inline(_ s: String) -> String {
    var out = ""
    var rest = s[...]
    while let tick = rest.firstIndex(of: "`") {
      out += spans(String(rest[..<tick]))
      let after = rest[rest.index(after: tick)...]
      guard let close = after.firstIndex(of: "`") else {
        out += spans(String(rest[tick...]))
        return out
      }
      out += "<code>" + TextEscaping.html(String(after[..<close])) + "</code>"
      rest = after[after.index(after: close)...]
    }
    return out + spans(String(rest))
  }

  func spans(_ s: String) -> String {
    var out = ""
    var rest = s[...]
    // Links and images: [text](url) and ![alt](url).
    while let open = rest.firstIndex(of: "["),
          let close = rest[open...].firstIndex(of: "]"),
          rest[close...].dropFirst().first == "(",
          let end = rest[close...].firstIndex(of: ")") {
      let isImage = open > rest.startIndex && rest[rest.index(before: open)] == "!"
      let before = rest[..<(isImage ? rest.index(before: open) : open)]
      out += emphasis(TextEscaping.html(String(before)))
      let text = String(rest[rest.index(after: open)..<close])
      let url = String(rest[rest.index(close, offsetBy: 2)..<end]).trimmingCharacters(in: .whitespaces)
      out += isImage ? image(alt: text, url: url) : link(url, emphasis(TextEscaping.html(text)))
      rest = rest[rest.index(after: end)...]
    }
    return out + emphasis(TextEscaping.html(String(rest)))
  }

  /// A local picture embedded as a data URI; anything else a link to it.
  func image(alt: String, url: String) -> String {
    let types = ["png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "svg": "image/svg+xml"]
    let ext = (url as NSString).pathExtension.lowercased()
    if !url.contains("://"), let mime = types[ext] {
      let path = url.hasPrefix("/") ? url : (baseDirectory as NSString).appendingPathComponent(url)
      if let data = FileManager.default.contents(atPath: path) {
        return "<img alt=\"\(TextEscaping.html(alt))\" src=\"data:\(mime);base64,\(data.base64EncodedString())\">"
      }
    }
    return link(url, TextEscaping.html(alt.isEmpty ? url : alt))
  }

  /// `<a href>` around `html` when LinkPolicy allows the target; else `html` alone.
  func link(_ url: String, _ html: String) -> String {
    guard let safe = LinkPolicy.safeHref(url) else { return html }
    return "<a href=\"\(TextEscaping.html(safe))\">" + html + "</a>"
  }

  /// `**bold**` and `*italic*` / `_italic_` on already escaped text.
  func emphasis(_ s: String) -> String {
    var t = replacePairs(s, "**", "strong")
    t = replacePairs(t, "*", "em")
    return replacePairs(t, "_", "em", wordBoundary: true)
  }

  func replacePairs(_ s: String, _ mark: String, _ tag: String, wordBoundary: Bool = false) -> String {
    var out = "", rest = s[...]
    while let a = rest.range(of: mark) {
      let after = rest[a.upperBound...]
      guard let b = after.range(of: mark), b.lowerBound > after.startIndex else { break }
      if wordBoundary {
        let prev = a.lowerBound > rest.startIndex ? rest[rest.index(before: a.lowerBound)] : " "
        if prev.isLetter || prev.isNumber {
          out += rest[..<a.upperBound]
          rest = after
          continue
        }
      }
      out += rest[..<a.lowerBound] + "<\(tag)>" + after[..<b.lowerBound] + "</\(tag)>"
      rest = after[b.upperBound...]
    }
    return out + rest
  }
}
