import Foundation

/// A run notebook as Markdown: markdown cells as written, code in ```lua fences,
/// outputs under it. Pictures become files next to the document (`<stem>_files/`), since
/// most Markdown viewers (GitHub among them) drop inline SVG and long data URIs.
public struct MarkdownRenderer {
  public let run: NotebookRun

  public init(_ run: NotebookRun) { self.run = run }

  /// The document and the picture files it links to (names relative to `assetsFolder`,
  /// which is itself relative to the document).
  public func render(assetsFolder: String) -> (text: String, files: [(name: String, data: Data)]) {
    var parts: [String] = []
    var files: [(String, Data)] = []
    let source = (run.notebook.path as NSString).lastPathComponent
    parts.append("<!-- lyra notebook \(source): \(RenderSupport.summary(run)) -->\n")
    for (k, cell) in run.notebook.cells.enumerated() {
      let o = run.outcomes[k]
      switch cell.kind {
      case .markdown:
        if !cell.isHidden { parts.append(cell.source + "\n") }
      case .raw:
        if !cell.isHidden { parts.append(cell.source + "\n") }
      case .code:
        if cell.isEmpty { continue }
        var block = ""
        if !cell.isHidden {
          block += RenderSupport.fence(cell.source, info: "lua")
          if let note = RenderSupport.note(o) { block += "\n*(\(note))*\n" }
        }
        for (j, out) in o.outputs.enumerated() {
          block += "\n" + output(out, cell: k + 1, index: j + 1, folder: assetsFolder, files: &files)
        }
        if !block.isEmpty { parts.append(block) }
      }
    }
    return (parts.joined(separator: "\n"), files)
  }

  func output(_ out: CellOutput, cell: Int, index: Int, folder: String, files: inout [(String, Data)]) -> String {
    switch out {
    case .stream(_, let text):
      return RenderSupport.fence(text, info: "text")
    case .error(_, let message, let traceback):
      return "**Error:**\n\n" + RenderSupport.fence(RenderSupport.errorText(message, traceback), info: "text")
    case .result(let b), .display(let b):
      let base = "cell\(cell)-\(index)"
      if let svg = b["image/svg+xml"] {
        files.append((base + ".svg", Data(svg.utf8)))
        return "![\(alt(b))](\(folder)/\(base).svg)\n"
      }
      if let png = b["image/png"], let data = RenderSupport.pngBytes(png) {
        files.append((base + ".png", data))
        return "![\(alt(b))](\(folder)/\(base).png)\n"
      }
      if let md = b["text/markdown"] { return md + "\n" }
      if let html = b["text/html"] { return html + "\n" }
      return RenderSupport.fence(b["text/plain"] ?? "", info: "text")
    }
  }

  /// Alt text for a picture: the first line of its text form, without brackets.
  func alt(_ b: MIMEBundle) -> String {
    let first = (b["text/plain"] ?? "output").split(separator: "\n").first.map(String.init) ?? "output"
    return String(first.filter { $0 != "[" && $0 != "]" }.prefix(80))
  }
}
