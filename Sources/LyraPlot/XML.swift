/// XML text escaping for SVG and HTML.
///
/// Labels come from user configs and Lua (metric names, hyperparameter values), so
/// anything that reaches markup goes through here; a stray `<` or `&` would otherwise
/// break the whole report page.
public enum XML {
  /// Escapes `& < > " '` and drops control characters that XML 1.0 forbids.
  public static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
      switch u {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n", "\r": out.unicodeScalars.append(u)
      default:
        if u.value < 0x20 || (0xFFFE...0xFFFF).contains(u.value) { continue }
        out.unicodeScalars.append(u)
      }
    }
    return out
  }
}
