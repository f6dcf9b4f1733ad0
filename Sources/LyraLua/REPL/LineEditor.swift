import CReadline
import Foundation

/// What one read from the line editor gave.
public enum LineRead: Equatable {
  case line(String)
  /// Ctrl-D on an empty line, or the end of piped input.
  case endOfInput
  /// Ctrl-C: the partial line was dropped.
  case interrupted
}

/// A source of input lines for the REPL: readline on a terminal, plain reads otherwise.
public protocol LineEditor: AnyObject {
  func read(prompt: String) -> LineRead
  /// Records a complete entry (a multi-line statement is one entry).
  func addHistory(_ entry: String)
}

/// GNU readline with persistent history and Lua-aware completion.
public final class ReadlineEditor: LineEditor {
  let historyPath: String?

  /// `historyPath` nil disables the history file.
  public init(historyPath: String?, completer: lyra_rl_completer?) {
    self.historyPath = historyPath
    lyra_rl_init("lyra", completer)
    lyra_rl_history_setup(1000)
    if let p = historyPath { _ = lyra_rl_history_read(p) }
  }

  public func read(prompt: String) -> LineRead {
    var status: Int32 = 0
    guard let p = lyra_rl_readline(prompt, &status) else { return status == 1 ? .interrupted : .endOfInput }
    defer { free(p) }
    return .line(String(cString: p))
  }

  /// Adds the entry and rewrites the history file at once, so a crash loses nothing.
  public func addHistory(_ entry: String) {
    guard !entry.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) else { return }
    lyra_rl_history_add(entry)
    if let p = historyPath { _ = lyra_rl_history_write(p) }
  }

  /// Where history lives: `$LYRA_HISTORY`, else `~/.lyra_history`; empty disables it.
  public static func defaultHistoryPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    if let p = environment["LYRA_HISTORY"] { return p.isEmpty ? nil : p }
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return home + "/.lyra_history"
  }
}

/// Reads standard input line by line without prompts or history (piped input).
public final class PlainEditor: LineEditor {
  public init() {}
  public func read(prompt: String) -> LineRead {
    guard let line = readLine(strippingNewline: true) else { return .endOfInput }
    return .line(line)
  }
  public func addHistory(_ entry: String) {}
}
