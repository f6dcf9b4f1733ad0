/// A quota expression that does not parse: the message names the 1-based column and
/// quotes the expression with a caret under the problem, so a long `general.quota`
/// string in a YAML file points at its typo.
public struct QuotaError: Error, CustomStringConvertible, Equatable {
  public var expression: String
  /// 1-based character position of the problem.
  public var column: Int
  public var message: String

  public init(expression: String, column: Int, message: String) {
    self.expression = expression
    self.column = column
    self.message = message
  }

  public var description: String {
    "quota: \(message) at column \(column)\n  \(expression)\n  \(String(repeating: " ", count: max(0, column - 1)))^"
  }
}
