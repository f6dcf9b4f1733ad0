import LyraBase

/// Lua source as escaped HTML with `<span>`s for comments, strings, numbers and
/// keywords: enough colour to read code on the notebook page, with no script or
/// external highlighter (the page must be self-contained).
enum LuaHighlighter {
  static let keywords: Set<String> = [
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
    "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
  ]

  static func html(_ code: String) -> String {
    let s = Array(code.unicodeScalars)
    var out = ""
    var i = 0
    func span(_ cls: String, _ from: Int, _ to: Int) {
      out += "<span class=\"\(cls)\">" + TextEscaping.html(String(String.UnicodeScalarView(s[from..<to]))) + "</span>"
    }
    /// End of a long bracket `[==[ ... ]==]` opening at `j`, or nil when `j` does not open one.
    func longBracket(_ j: Int) -> Int? {
      guard j < s.count, s[j] == "[" else { return nil }
      var k = j + 1, level = 0
      while k < s.count, s[k] == "=" { level += 1; k += 1 }
      guard k < s.count, s[k] == "[" else { return nil }
      let close = "]" + String(repeating: "=", count: level) + "]"
      let rest = String(String.UnicodeScalarView(s[(k + 1)...]))
      guard let r = rest.range(of: close) else { return s.count }
      return k + 1 + rest.unicodeScalars[rest.startIndex..<r.upperBound].count
    }
    while i < s.count {
      let c = s[i]
      if c == "-", i + 1 < s.count, s[i + 1] == "-" {
        let end = longBracket(i + 2) ?? (s[i...].firstIndex(of: "\n") ?? s.count)
        span("c", i, end)
        i = end
      } else if c == "\"" || c == "'" {
        var j = i + 1
        while j < s.count, s[j] != c, s[j] != "\n" { j += s[j] == "\\" ? 2 : 1 }
        let end = min(s.count, j + 1)
        span("s", i, end)
        i = end
      } else if c == "[", let end = longBracket(i) {
        span("s", i, end)
        i = end
      } else if c.properties.isAlphabetic || c == "_" {
        var j = i
        while j < s.count, s[j].properties.isAlphabetic || s[j] == "_" || ("0"..."9").contains(s[j]) { j += 1 }
        let word = String(String.UnicodeScalarView(s[i..<j]))
        if keywords.contains(word) { span("k", i, j) } else { out += TextEscaping.html(word) }
        i = j
      } else if ("0"..."9").contains(c) {
        var j = i
        while j < s.count, s[j].properties.isAlphabetic || ("0"..."9").contains(s[j]) || s[j] == "." { j += 1 }
        span("n", i, j)
        i = j
      } else {
        out += TextEscaping.html(String(c))
        i += 1
      }
    }
    return out
  }
}
