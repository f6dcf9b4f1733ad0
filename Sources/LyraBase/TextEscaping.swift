import Foundation

/// Every text escaper of the project in one place: markup (SVG/XML and HTML), JSON string
/// literals, and the one loop they all share.
///
/// Why one home: the same "walk the scalars, replace a few" loop was written five times
/// (plots, notebook pages, ipynb files, the REPL, Markdown reports), and an escaper is
/// where a slip becomes an injection. Each escaper works on Unicode scalars, never on
/// `Character`s: a `<` followed by a combining mark is one Character but must still be
/// escaped.
public enum TextEscaping {
  /// `s` with every scalar for which `replacement` returns a string replaced by it; the
  /// others are kept. The loop every escaper below (and the REPL's Lua literals, the
  /// Markdown report's table cells) is made of.
  public static func replacingScalars(_ s: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
      if let r = replacement(u) { out += r } else { out.unicodeScalars.append(u) }
    }
    return out
  }

  /// XML 1.0 text or attribute value (SVG charts, report pages): escapes `& < > " '` and
  /// drops the control characters XML 1.0 forbids (they would make the whole document
  /// unreadable to an XML parser); tab, newline and carriage return stay.
  public static func xml(_ s: String) -> String {
    replacingScalars(s) { u in
      switch u {
      case "'": return "&#39;"
      case "\t", "\n", "\r": return nil
      default:
        if u.value < 0x20 || (0xFFFE...0xFFFF).contains(u.value) { return "" }
        return markup(u)
      }
    }
  }

  /// HTML text or attribute value (double-quoted): escapes `& < > "`, keeps everything
  /// else. What the notebook's HTML page uses; HTML tolerates control characters.
  public static func html(_ s: String) -> String { replacingScalars(s, markup) }

  /// The escape of the four scalars both markups share, else nil.
  private static func markup(_ u: Unicode.Scalar) -> String? {
    switch u {
    case "&": return "&amp;"
    case "<": return "&lt;"
    case ">": return "&gt;"
    case "\"": return "&quot;"
    default: return nil
    }
  }

  /// A JSON string literal, quotes included: `"` and `\` escaped, newline, return and tab
  /// as `\n \r \t`, other control characters as `\u00XX`; `/` and non-ASCII text are
  /// written as they are (JSONSerialization escapes `/`, which is legal but noisy).
  public static func jsonString(_ s: String) -> String {
    "\"" + replacingScalars(s) { u in
      switch u {
      case "\"": return "\\\""
      case "\\": return "\\\\"
      case "\n": return "\\n"
      case "\r": return "\\r"
      case "\t": return "\\t"
      default: return u.value < 0x20 ? String(format: "\\u%04x", u.value) : nil
      }
    } + "\""
  }
}
