/// An error from reading or decoding data. It always says which file (or source) and,
/// where it applies, which line and column, because bad input must be reported precisely
/// rather than crash or be silently patched over (docs/architecture.md#bad-input).
public struct DataError: Error, CustomStringConvertible, Equatable {
  /// The file (or a description of the source) the error is about.
  public var file: String
  /// 1-based line, for text formats.
  public var line: Int?
  /// 1-based column (or a column name in `message`), for text formats.
  public var column: Int?
  /// What is wrong, in words.
  public var message: String

  public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  /// `file:line:column: message`, the form compilers use, so editors can jump to it.
  public var description: String {
    var s = file
    if let line { s += ":\(line)" }
    if let column { s += ":\(column)" }
    return s + ": " + message
  }
}

extension DataError: CustomDebugStringConvertible {
  public var debugDescription: String { description }
}

#if canImport(Foundation)
import Foundation
extension DataError: LocalizedError {
  public var errorDescription: String? { description }
}
#endif
