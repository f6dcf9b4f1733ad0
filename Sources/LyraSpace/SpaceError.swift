/// A search space that cannot be built: names the key and what is wrong.
public struct SpaceError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
