import Foundation

/// The pipeline's console: permanent log lines, and on a terminal one live status line
/// under them (step, trials done/running/failed, best so far, elapsed, ETA) redrawn in
/// place. Off a terminal (a log file, CI, a pipe) only the plain lines are written, so
/// logs stay greppable and free of control characters.
///
/// Why one object: the status line must be erased before a log line is printed and
/// drawn again after it, or the two interleave into garbage.
public final class StatusLine {
  /// Whether the live line is drawn: stderr is a terminal and TERM is not "dumb"
  /// (LYRA_PROGRESS=plain forces plain lines, =live forces the live line).
  public let live: Bool
  private let write: (String) -> Void
  private var current = ""
  private var lastDraw = Date.distantPast
  private let lock = NSLock()

  public init(live: Bool? = nil, write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
    self.live = live ?? StatusLine.terminalDefault()
    self.write = write
  }

  public static func terminalDefault() -> Bool {
    let env = ProcessInfo.processInfo.environment
    switch env["LYRA_PROGRESS"] {
    case "plain"?: return false
    case "live"?: return true
    default: return isatty(2) != 0 && env["TERM"] != "dumb"
    }
  }

  /// A permanent line (above the live line, which is redrawn after it).
  public func log(_ text: String) {
    lock.lock(); defer { lock.unlock() }
    if live && !current.isEmpty {
      write("\r\u{1B}[K" + text + "\n" + clipped(current))
    } else {
      write(text + "\n")
    }
  }

  /// Replaces the live line; redraws at most 10 times a second unless `force`. The text
  /// is only made when it will be drawn (callers build it from the trial store).
  public func update(_ text: @autoclosure () -> String, force: Bool = false) {
    guard live else { return }
    lock.lock(); defer { lock.unlock() }
    let now = Date()
    guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
    lastDraw = now
    current = text()
    write("\r\u{1B}[K" + clipped(current))
  }

  /// Erases the live line (end of a step).
  public func clear() {
    guard live else { return }
    lock.lock(); defer { lock.unlock() }
    if !current.isEmpty { write("\r\u{1B}[K") }
    current = ""
  }

  /// One terminal row: a wrapped status line could not be erased by \r.
  private func clipped(_ s: String) -> String {
    var ws = winsize()
    let cols = ioctl(2, UInt(TIOCGWINSZ), &ws) == 0 && ws.ws_col > 10 ? Int(ws.ws_col) - 1 : 119
    return s.count > cols ? String(s.prefix(cols - 1)) + "…" : s
  }

  /// "1h02m", "4m05s", "12s".
  public static func duration(_ seconds: Double) -> String {
    let s = Int(max(0, seconds).rounded())
    if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
    if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return "\(s)s"
  }
}
