import Foundation
import LyraBase

/// A notebook file that cannot be split into cells: names the file and line.
public struct NotebookParseError: Error, CustomStringConvertible, Equatable {
  public var path: String
  public var line: Int
  public var message: String
  public var description: String { "\(path):\(line): \(message)" }
}

/// Splits a `.lua` file into cells by jupytext's "percent" rules.
///
/// A line is a cell marker when it matches `^\s*--\s*%%+(\s.*)?$` (jupytext's
/// `lua` comment is `--`); `-- %%foo` is an ordinary comment. After the marker come an
/// optional title, an optional `[markdown]`/`[md]`/`[raw]` and `key=value` pairs whose
/// values are JSON (`tags=["hide"]`). The rules are line-based like jupytext's: a marker
/// inside a long string still splits there. Code before the first marker is a cell of
/// its own when it holds anything but blank lines. Markdown lines lose their `--` and one
/// following space. A `#!` first line is ignored. Odd input is an error with its line
/// number (an unknown cell type, an unclosed `[`, metadata that is not JSON) rather than
/// a silent guess.
public enum NotebookParser {
  public static func parse(_ text: String, path: String) throws -> Notebook {
    // Split on scalars: Swift treats "\r\n" as one Character, which a Character split would not cut.
    var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
      let s = String(String.UnicodeScalarView(line))
      return s.unicodeScalars.last == "\r" ? String(String.UnicodeScalarView(s.unicodeScalars.dropLast())) : s
    }
    if text.unicodeScalars.last == "\n" { lines.removeLast() }
    var cells: [NotebookCell] = []
    var current = NotebookCell(kind: .code, lines: [], firstLine: 1)
    for (i, line) in lines.enumerated() {
      let n = i + 1
      if n == 1 && line.hasPrefix("#!") {
        current.firstLine = 2
        continue
      }
      if let rest = markerRest(line) {
        finish(&current, into: &cells)
        current = try marker(rest, line: n, path: path)
      } else {
        current.lines.append(line)
      }
    }
    finish(&current, into: &cells)
    return Notebook(path: path, cells: cells)
  }

  /// The text after `%%` when `line` is a cell marker, else nil.
  static func markerRest(_ line: String) -> Substring? {
    var s = line.drop { $0 == " " || $0 == "\t" }
    guard s.hasPrefix("--") else { return nil }
    s = s.dropFirst(2).drop { $0 == " " || $0 == "\t" }
    guard s.hasPrefix("%%") else { return nil }
    s = s.drop { $0 == "%" }
    guard s.isEmpty || s.first == " " || s.first == "\t" else { return nil }
    return s
  }

  /// Trims the finished cell and keeps it, unless it is the empty code before the first marker.
  static func finish(_ cell: inout NotebookCell, into cells: inout [NotebookCell]) {
    var c = cell
    if c.kind == .markdown { c.lines = c.lines.map(uncomment) }
    while let f = c.lines.first, f.trimmingCharacters(in: .whitespaces).isEmpty {
      c.lines.removeFirst()
      c.firstLine += 1
    }
    while let l = c.lines.last, l.trimmingCharacters(in: .whitespaces).isEmpty { c.lines.removeLast() }
    if c.markerLine == nil && c.lines.isEmpty { return }
    cells.append(c)
  }

  /// `-- text` → `text`; lines that are not comments are kept as written.
  static func uncomment(_ line: String) -> String {
    let t = line.drop { $0 == " " || $0 == "\t" }
    guard t.hasPrefix("--") else { return line }
    var rest = t.dropFirst(2)
    if rest.first == " " { rest = rest.dropFirst() }
    return String(rest)
  }

  /// The new cell a marker line starts: `[type]`, `key=value` pairs and a title.
  static func marker(_ rest: Substring, line: Int, path: String) throws -> NotebookCell {
    func fail(_ m: String) -> NotebookParseError { NotebookParseError(path: path, line: line, message: m) }
    var cell = NotebookCell(kind: .code, lines: [], firstLine: line + 1, markerLine: line)
    var s = rest[...]
    var title: [String] = []
    var sawType = false
    while true {
      s = s.drop { $0 == " " || $0 == "\t" }
      guard let c = s.first else { break }
      if c == "[" {
        guard let close = s.firstIndex(of: "]") else { throw fail("unclosed '[' in cell marker (expected [markdown], [md] or [raw])") }
        let name = s[s.index(after: s.startIndex)..<close].trimmingCharacters(in: .whitespaces).lowercased()
        guard !sawType else { throw fail("cell marker names a type twice ('[\(name)]')") }
        switch name {
        case "markdown", "md": cell.kind = .markdown
        case "raw": cell.kind = .raw
        default: throw fail("unknown cell type '[\(name)]' (expected [markdown], [md] or [raw])")
        }
        sawType = true
        s = s[s.index(after: close)...]
      } else if let (key, valueText, after) = keyValue(s) {
        guard let value = try? JSON.parse(Data(valueText.utf8)) else {
          throw fail("metadata '\(key)' is not valid JSON: \(valueText)")
        }
        if key == "tags" {
          guard case .array(let items) = value else { throw fail("tags must be a list of strings, e.g. tags=[\"hide\"]") }
          for item in items {
            guard case .string(let t) = item else { throw fail("tags must be a list of strings, e.g. tags=[\"hide\"]") }
            if !cell.tags.contains(t) { cell.tags.append(t) } // nbformat wants unique tags
          }
        } else {
          cell.metadata.append((key, value))
        }
        s = after
      } else {
        let word = s.prefix { $0 != " " && $0 != "\t" }
        title.append(String(word))
        s = s.dropFirst(word.count)
      }
    }
    if !title.isEmpty { cell.title = title.joined(separator: " ") }
    return cell
  }

  /// `key=<json>` at the start of `s`: the key, the value's text (a JSON string, array or
  /// object with nesting and quotes respected, or a bare word) and what follows.
  static func keyValue(_ s: Substring) -> (String, String, Substring)? {
    let key = s.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }
    guard !key.isEmpty, s.dropFirst(key.count).first == "=" else { return nil }
    let v = s.dropFirst(key.count + 1)
    var depth = 0, inString = false, escaped = false
    var end = v.startIndex
    while end < v.endIndex {
      let c = v[end]
      if inString {
        if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
      } else if c == "\"" {
        inString = true
      } else if c == "[" || c == "{" {
        depth += 1
      } else if c == "]" || c == "}" {
        depth -= 1
      } else if (c == " " || c == "\t") && depth <= 0 {
        break
      }
      end = v.index(after: end)
      if depth == 0 && !inString && (c == "]" || c == "}" || (c == "\"" && end > v.index(after: v.startIndex))) { break }
    }
    return (String(key), String(v[..<end]), v[end...])
  }
}
