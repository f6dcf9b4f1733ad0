import Foundation
import LyraBase

/// A run notebook as a Jupyter notebook (nbformat 4.5): opens in Jupyter, VS Code and
/// GitHub's viewer with every output in place, though no kernel can re-run it.
///
/// Mapping: printed text → `stream`, a trailing value → `execute_result`, `display()` →
/// `display_data`, the error → `error`. Tags go to `metadata.tags`; `hide` also sets
/// `metadata.jupyter.source_hidden`. Lyra's own facts (status, seconds) are kept under
/// `metadata.lyra`.
public struct IpynbRenderer {
  public let run: NotebookRun

  public init(_ run: NotebookRun) { self.run = run }

  public func render() -> String {
    let cells = run.notebook.cells.enumerated().map { cell($1, run.outcomes[$0], index: $0 + 1) }
    let doc: JSON = .orderedObject([
      ("cells", .array(cells)),
      ("metadata", .orderedObject([
        ("kernelspec", .orderedObject([("display_name", .string("Lyra (Lua 5.4)")), ("language", .string("lua")), ("name", .string("lyra"))])),
        ("language_info", .orderedObject([
          ("file_extension", .string(".lua")), ("mimetype", .string("text/x-lua")), ("name", .string("lua")), ("version", .string("5.4")),
        ])),
        ("lyra", .orderedObject([
          ("source", .string((run.notebook.path as NSString).lastPathComponent)),
          ("seconds", .number(IpynbRenderer.round(run.seconds))),
          ("failed", .bool(run.failed)),
          ("version", .string(run.version)),
        ])),
      ])),
      ("nbformat", .number(4)),
      ("nbformat_minor", .number(5)),
    ])
    return doc.formatted(indent: 1) + "\n"
  }

  func cell(_ c: NotebookCell, _ o: CellOutcome, index: Int) -> JSON {
    var meta: [(String, JSON)] = []
    if c.isHidden { meta.append(("jupyter", .orderedObject([("source_hidden", .bool(true))]))) }
    if c.kind == .code, o.executionCount != nil || o.status != .text {
      meta.append(("lyra", .orderedObject([("status", .string(IpynbRenderer.status(o.status))), ("seconds", .number(IpynbRenderer.round(o.seconds)))])))
    }
    if !c.tags.isEmpty { meta.append(("tags", .array(c.tags.map { .string($0) }))) }
    if let t = c.title { meta.append(("title", .string(t))) }
    meta += c.metadata.map { ($0.key, $0.value) }
    var fields: [(String, JSON)] = [("cell_type", .string(c.kind.rawValue))]
    if c.kind == .code { fields.append(("execution_count", o.executionCount.map { .number(Double($0)) } ?? .null)) }
    fields.append(("id", .string("cell-\(index)")))
    fields.append(("metadata", .orderedObject(meta)))
    if c.kind == .code { fields.append(("outputs", .array(o.outputs.map { output($0, count: o.executionCount) }))) }
    fields.append(("source", IpynbRenderer.lines(c.source)))
    return .orderedObject(fields)
  }

  func output(_ out: CellOutput, count: Int?) -> JSON {
    switch out {
    case .stream(let name, let text):
      return .orderedObject([("name", .string(name)), ("output_type", .string("stream")), ("text", IpynbRenderer.lines(text))])
    case .result(let b):
      return .orderedObject([("data", data(b)), ("execution_count", count.map { .number(Double($0)) } ?? .null),
                      ("metadata", .orderedObject([])), ("output_type", .string("execute_result"))])
    case .display(let b):
      return .orderedObject([("data", data(b)), ("metadata", .orderedObject([])), ("output_type", .string("display_data"))])
    case .error(let name, let message, let traceback):
      return .orderedObject([("ename", .string(name)), ("evalue", .string(message)), ("output_type", .string("error")),
                      ("traceback", .array(traceback.map { .string($0) }))])
    }
  }

  /// A MIME bundle: text formats as line lists (nbformat's multiline strings), PNG as one
  /// base64 string.
  func data(_ b: MIMEBundle) -> JSON {
    .orderedObject(b.data.keys.sorted().map { k in
      let v = b.data[k]!
      return (k, k == "image/png" ? .string(v.filter { !$0.isWhitespace }) : IpynbRenderer.lines(v))
    })
  }

  /// Text as nbformat stores it: a list of lines, each but the last ending in "\n".
  static func lines(_ text: String) -> JSON {
    var out: [JSON] = []
    var cur = ""
    for ch in text.unicodeScalars { // scalars: "\r\n" is one Character but must end a line
      cur.unicodeScalars.append(ch)
      if ch == "\n" {
        out.append(.string(cur))
        cur = ""
      }
    }
    if !cur.isEmpty { out.append(.string(cur)) }
    return .array(out)
  }

  static func status(_ s: CellOutcome.Status) -> String {
    switch s {
    case .ok: return "ok"
    case .failed: return "failed"
    case .notRun: return "not run"
    case .skipped: return "skipped"
    case .text: return "empty"
    }
  }

  static func round(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
