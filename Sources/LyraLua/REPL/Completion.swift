import CReadline
import Foundation

/// Tab completion: readline asks, `lyra.repl.complete` in `stdlib/lyra/repl.lua` answers.
///
/// The Lua side walks tables and `__index` *tables* with rawget only, so completing
/// never runs user code (no `__index` function is called).
public enum Completion {
  /// The completer to hand to `ReadlineEditor`.
  public static var readlineCompleter: lyra_rl_completer { completer }

  /// The state completion reads; set by the REPL while it is reading a line.
  static weak var state: LuaState?

  static let completer: lyra_rl_completer = { lineToPoint, word in
    guard let state = Completion.state, let lineToPoint = lineToPoint, let word = word else { return nil }
    let line = String(cString: lineToPoint)
    let w = String(cString: word)
    guard let results = try? state.execute(
      "local c = lyra and lyra.repl and lyra.repl.complete; if c then return c(...) end",
      name: "=(completion)", args: [.string(line), .string(w)]),
      case .table(let array, _)? = results.first
    else { return nil } // nil: readline falls back to file names (inside strings)
    let words = array.compactMap { v -> String? in if case .string(let s) = v { return s } else { return nil } }
    guard !words.isEmpty else {
      lyra_rl_no_fallback()
      return nil
    }
    // readline wants [common prefix, match1, match2, ...] NULL-terminated.
    var prefix = words[0]
    for x in words.dropFirst() { prefix = String(prefix.commonPrefix(with: x)) }
    let list: [String] = words.count == 1 ? [words[0]] : [prefix] + words
    guard let m = lyra_rl_alloc_matches(Int32(list.count)) else { return nil }
    for (k, s) in list.enumerated() { m[k] = strdup(s) }
    return m
  }
}
