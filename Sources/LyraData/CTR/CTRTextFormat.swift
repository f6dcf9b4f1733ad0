/// One text format of CTR logs: how a line splits into a label and categorical tokens.
/// A token is any string; the vocabulary maps it to an id (rare ones to the OOV bucket).
public protocol CTRTextFormat {
  /// The field names, in the order `parse` returns tokens.
  var fieldNames: [String] { get }
  /// Whether the first line is a header (skipped; checked to have the field count).
  var hasHeader: Bool { get }
  /// The label and the tokens of one line; throws `CTRLineError` with what is wrong.
  func parse(_ line: ArraySlice<UInt8>) throws -> (label: Int32, tokens: [String])
}

/// What is wrong with one line (the reader adds file:line).
public struct CTRLineError: Error {
  public var column: Int?
  public var message: String
  public init(column: Int? = nil, _ message: String) {
    self.column = column
    self.message = message
  }
}

enum CTRTokens {
  /// Splits on one separator byte, keeping empty fields.
  static func split(_ line: ArraySlice<UInt8>, _ sep: UInt8) -> [ArraySlice<UInt8>] {
    line.split(separator: sep, omittingEmptySubsequences: false)
  }

  static func label(_ b: ArraySlice<UInt8>, column: Int) throws -> Int32 {
    if b.count == 1, b.first == UInt8(ascii: "0") { return 0 }
    if b.count == 1, b.first == UInt8(ascii: "1") { return 1 }
    throw CTRLineError(column: column, "label must be 0 or 1, got '\(String(decoding: b, as: UTF8.self))'")
  }
}
