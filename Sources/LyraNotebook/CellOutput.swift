/// One value in several formats (a MIME bundle, as Jupyter calls it): `text/plain`
/// always, plus `image/svg+xml`, `image/png` (base64 text), `text/html` or
/// `text/markdown` when the value has them. Each renderer picks the richest it can show.
public struct MIMEBundle: Equatable {
  public var data: [String: String]

  public init(_ data: [String: String]) { self.data = data }

  public subscript(mime: String) -> String? { data[mime] }

  /// Formats in the order of preference for a page that can show anything.
  public static let preference = ["image/svg+xml", "image/png", "text/html", "text/markdown", "text/plain"]

  /// MIME types present, preferred first, then any others by name.
  public var types: [String] {
    MIMEBundle.preference.filter { data[$0] != nil } + data.keys.filter { !MIMEBundle.preference.contains($0) }.sorted()
  }
}

/// What a cell produced, in order (nbformat's four output types).
public enum CellOutput: Equatable {
  /// Text written to `stdout` or `stderr`.
  case stream(name: String, text: String)
  /// The value of the cell's trailing expression.
  case result(MIMEBundle)
  /// A value passed to `display()`.
  case display(MIMEBundle)
  /// The error that stopped the run: Lua's message and the traceback lines.
  case error(name: String, message: String, traceback: [String])
}

/// How one cell fared.
public struct CellOutcome: Equatable {
  public enum Status: Equatable {
    /// Ran to the end.
    case ok
    /// Raised an error or did not compile.
    case failed
    /// An earlier cell failed.
    case notRun
    /// Tagged `skip`.
    case skipped
    /// Markdown, raw, or an empty code cell: nothing to run.
    case text
  }

  public var status: Status
  public var outputs: [CellOutput] = []
  /// Wall time from the cell's start to the next cell's (0 when not run).
  public var seconds: Double = 0
  /// Jupyter's execution count: 1, 2, ... over the cells that ran.
  public var executionCount: Int?

  public init(status: Status) { self.status = status }
}

/// A notebook after running: one outcome per cell.
public struct NotebookRun {
  public var notebook: Notebook
  public var outcomes: [CellOutcome]
  /// Wall time of the whole run.
  public var seconds: Double
  /// The Lyra version that ran it (the HTML footer, the ipynb's `metadata.lyra.version`).
  public var version: String

  public init(notebook: Notebook, outcomes: [CellOutcome], seconds: Double, version: String) {
    self.notebook = notebook
    self.outcomes = outcomes
    self.seconds = seconds
    self.version = version
  }

  /// True when a cell failed (what `--check` tests).
  public var failed: Bool { outcomes.contains { $0.status == .failed } }
  /// Index of the failed cell, if any.
  public var failedCell: Int? { outcomes.firstIndex { $0.status == .failed } }
}

extension NotebookRun {
  /// One line: cells run, the failed one, time (`5 code cells, 5 run, 0.31 s`).
  public var summary: String { RenderSupport.summary(self) }
}
