import CRuntime

/// Thrown by long native loops when the user pressed Ctrl-C.
///
/// Lua code is stopped by a hook, but a hook only fires while Lua runs; an epoch or a
/// search loop written in Swift must poll `Interruption.check()` so Ctrl-C stops it too.
public struct Interrupted: Error, CustomStringConvertible {
  public init() {}
  public var description: String { "interrupted!" }
}

/// The process-wide Ctrl-C flag, set by the SIGINT handler and cleared by the REPL.
///
/// In LyraBase so that every layer with a long loop (the trainer, a search, the Lua host)
/// reads the same flag without importing the tensor layer for it.
public enum Interruption {
  /// True when Ctrl-C was pressed and the REPL has not yet cleared it.
  public static var isRequested: Bool { lyra_interrupt_requested() != 0 }

  /// Throws `Interrupted` when Ctrl-C was pressed; cheap enough to call once per batch.
  @inlinable public static func check() throws {
    if lyra_interrupt_requested() != 0 { throw Interrupted() }
  }

  /// Requests an interrupt from code (tests, or a watchdog).
  public static func request() { lyra_interrupt_request() }

  /// Clears a pending interrupt.
  public static func clear() { lyra_interrupt_clear() }
}
