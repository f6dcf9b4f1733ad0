/// An SQLite failure, naming the database file so a message is actionable on its own.
public struct SQLiteError: Error, CustomStringConvertible {
  /// The extended result code (SQLITE_BUSY, SQLITE_NOTADB, ...).
  public var code: Int32
  public var message: String
  public var path: String
  public init(code: Int32, message: String, path: String) {
    self.code = code
    self.message = message
    self.path = path
  }
  public var description: String { "\(path): \(message) (sqlite code \(code))" }
}
