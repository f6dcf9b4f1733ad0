/// An error that crossed the Lua boundary, in either direction.
///
/// Lua → Swift: a failed `pcall` (syntax, runtime or memory error), carrying the
/// message and Lua's traceback. Swift → Lua: thrown inside a bound function and
/// turned into a Lua error by the trampoline after the Swift frame has returned.
public struct LuaError: Error, CustomStringConvertible, Equatable {
  public enum Kind: Equatable { case syntax, runtime, memory, file, argument }
  public var kind: Kind
  /// The message as Lua shows it (`chunk:line: text`), with the traceback when there is one.
  public var message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// A runtime error with `message`; inside a bound function it is prefixed with the
  /// caller's `chunk:line:` position.
  public init(_ message: String) { self.init(.runtime, message) }

  public var description: String { message }

  /// The message without the `stack traceback:` section.
  public var messageWithoutTraceback: String {
    if let r = message.range(of: "\nstack traceback:") { return String(message[..<r.lowerBound]) }
    return message
  }
}

/// A bad argument to a bound function: formatted like Lua's own
/// `bad argument #2 to 'lyra.zeros' (number expected, got string)`.
public struct LuaArgumentError: Error {
  public var index: Int
  public var message: String
  public init(_ index: Int, _ message: String) {
    self.index = index
    self.message = message
  }
}

/// An error raised by a bound function in its own words: the trampoline prefixes the
/// caller's `chunk:line:` and the function's full name (`lyra.Tensor:add: shapes ...`).
public struct LuaFailure: Error, CustomStringConvertible {
  public var description: String
  public init(_ message: String) { description = message }
}

/// Thrown by a bound function that left an error value on top of the stack (from a
/// protected call it made): the trampoline raises that value unchanged.
public struct LuaRaiseTop: Error {
  public init() {}
}
