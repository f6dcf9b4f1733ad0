import LyraBase

/// One cell of a jupytext "percent" notebook (`-- %%` markers in a `.lua` file).
///
/// Kept as source lines with their position in the file, so errors, tracebacks and
/// the compiled notebook (NotebookProgram) all speak in the file's own line numbers.
public struct NotebookCell: Equatable {
  public enum Kind: String, Equatable {
    case code, markdown, raw
  }

  public var kind: Kind
  /// The cell's lines without the marker; markdown lines without their `-- ` prefix.
  /// Leading and trailing blank lines are dropped.
  public var lines: [String]
  /// File line (1-based) of `lines[0]`; for an empty cell, the line after the marker.
  public var firstLine: Int
  /// File line of the `-- %%` marker; nil for code before the first marker.
  public var markerLine: Int?
  /// Free text after `%%` that is neither `[type]` nor `key=value` (jupytext's cell title).
  public var title: String?
  /// From `tags=[...]`: `hide` (run, code not shown), `skip` (not run), any others kept.
  public var tags: [String]
  /// Other `key=value` pairs of the marker, in the order written.
  public var metadata: [(key: String, value: JSON)]

  public init(kind: Kind, lines: [String], firstLine: Int, markerLine: Int? = nil, title: String? = nil,
              tags: [String] = [], metadata: [(key: String, value: JSON)] = []) {
    self.kind = kind
    self.lines = lines
    self.firstLine = firstLine
    self.markerLine = markerLine
    self.title = title
    self.tags = tags
    self.metadata = metadata
  }

  public var source: String { lines.joined(separator: "\n") }
  /// Run, but its code is left out of Markdown and HTML (outputs are shown).
  public var isHidden: Bool { tags.contains("hide") }
  /// Not run; shown with its code and marked skipped.
  public var isSkipped: Bool { tags.contains("skip") }
  /// No code or text at all.
  public var isEmpty: Bool { lines.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }

  public static func == (a: NotebookCell, b: NotebookCell) -> Bool {
    a.kind == b.kind && a.lines == b.lines && a.firstLine == b.firstLine && a.markerLine == b.markerLine
      && a.title == b.title && a.tags == b.tags && a.metadata.map(\.key) == b.metadata.map(\.key)
      && a.metadata.map(\.value) == b.metadata.map(\.value)
  }
}

/// A parsed notebook: its file and its cells in order.
public struct Notebook: Equatable {
  /// The path it was read from (used in messages and as the chunk name).
  public var path: String
  public var cells: [NotebookCell]

  public init(path: String, cells: [NotebookCell]) {
    self.path = path
    self.cells = cells
  }
}
