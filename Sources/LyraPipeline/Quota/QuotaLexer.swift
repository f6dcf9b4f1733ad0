/// Tokens of a quota expression, each with its 1-based column for error messages.
struct QuotaToken: Equatable {
  enum Kind: Equatable {
    case word(String)    // flops, params, latency, in, and, model_valid ...
    case number(Double)
    case op(String)      // < <= > >=
    case open, close, comma
    case end
  }
  var kind: Kind
  var column: Int
}

/// Splits `flops < 0.6 and params in [a, b]` into tokens. Numbers take Swift's `Double`
/// syntax (1e3, .5); words are letters, digits and underscores.
enum QuotaLexer {
  static func tokens(_ text: String) throws -> [QuotaToken] {
    let chars = Array(text)
    var out: [QuotaToken] = []
    var i = 0
    while i < chars.count {
      let c = chars[i], col = i + 1
      if c.isWhitespace { i += 1; continue }
      if c == "[" { out.append(.init(kind: .open, column: col)); i += 1; continue }
      if c == "]" { out.append(.init(kind: .close, column: col)); i += 1; continue }
      if c == "," { out.append(.init(kind: .comma, column: col)); i += 1; continue }
      if c == "<" || c == ">" {
        if i + 1 < chars.count && chars[i + 1] == "=" {
          out.append(.init(kind: .op(String(c) + "="), column: col)); i += 2
        } else {
          out.append(.init(kind: .op(String(c)), column: col)); i += 1
        }
        continue
      }
      if c.isNumber || c == "." || c == "-" || c == "+" {
        var j = i + 1
        while j < chars.count, chars[j].isNumber || chars[j] == "." || chars[j] == "e" || chars[j] == "E"
          || ((chars[j] == "-" || chars[j] == "+") && (chars[j - 1] == "e" || chars[j - 1] == "E")) { j += 1 }
        let s = String(chars[i..<j])
        guard let d = Double(s), d.isFinite else {
          throw QuotaError(expression: text, column: col, message: "'\(s)' is not a number")
        }
        out.append(.init(kind: .number(d), column: col))
        i = j
        continue
      }
      if c.isLetter || c == "_" {
        var j = i + 1
        while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
        out.append(.init(kind: .word(String(chars[i..<j])), column: col))
        i = j
        continue
      }
      throw QuotaError(expression: text, column: col, message: "unexpected character '\(c)'")
    }
    out.append(.init(kind: .end, column: chars.count + 1))
    return out
  }
}
