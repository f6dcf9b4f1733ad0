/// One SQLite value, for binding parameters and reading rows.
///
/// Why an enum instead of generic bind overloads: a statement's arguments become a plain
/// array (`[.text(step), .integer(id)]`), so every query is one call with no per-call
/// binding code to get wrong.
public enum SQLiteValue: Equatable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case blob([UInt8])

  public init(_ i: Int) { self = .integer(Int64(i)) }
  public init(_ i: Int?) { self = i.map { .integer(Int64($0)) } ?? .null }
  public init(_ d: Double?) { self = d.map { .real($0) } ?? .null }
  public init(_ s: String?) { self = s.map { .text($0) } ?? .null }

  public var isNull: Bool { self == .null }
  public var int: Int? {
    switch self {
    case .integer(let i): return Int(i)
    case .real(let d): return d == d.rounded() ? Int(d) : nil
    default: return nil
    }
  }
  public var double: Double? {
    switch self {
    case .real(let d): return d
    case .integer(let i): return Double(i)
    default: return nil
    }
  }
  public var string: String? { if case .text(let s) = self { return s } else { return nil } }
}

/// A result row: values by column index and by column name.
public struct SQLiteRow {
  public let columns: [String]
  public let values: [SQLiteValue]
  public subscript(_ i: Int) -> SQLiteValue { values[i] }
  public subscript(_ name: String) -> SQLiteValue {
    guard let i = columns.firstIndex(of: name) else { return .null }
    return values[i]
  }
}
