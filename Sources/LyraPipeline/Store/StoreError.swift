/// A trial store that cannot be used: the message names the file and what is wrong.
public struct StoreError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
