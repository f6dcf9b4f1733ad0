import Foundation

/// A JSON value: what model descriptions, checkpoint sidecars and reports are made of.
///
/// Descriptions are data, never code (docs/architecture.md#descriptions-are-data): a worker can rebuild a model from
/// one without trusting its sender, and the same value round-trips through Lua tables.
public indirect enum JSON: Equatable, CustomStringConvertible {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSON])
  case object([String: JSON])

  public init(_ i: Int) { self = .number(Double(i)) }

  public var int: Int? {
    if case .number(let d) = self, d == d.rounded(), abs(d) < 9e15 { return Int(d) }
    return nil
  }
  public var double: Double? { if case .number(let d) = self { return d } else { return nil } }
  public var string: String? { if case .string(let s) = self { return s } else { return nil } }
  public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
  public var array: [JSON]? { if case .array(let a) = self { return a } else { return nil } }
  public var object: [String: JSON]? { if case .object(let o) = self { return o } else { return nil } }
  public subscript(key: String) -> JSON? { object?[key] }

  /// Compact text with sorted keys (stable files, stable diffs).
  public var text: String { String(decoding: JSON.encode(self, pretty: false), as: UTF8.self) }

  /// Pretty-printed text with sorted keys.
  public var description: String { String(decoding: JSON.encode(self, pretty: true), as: UTF8.self) }

  public static func encode(_ v: JSON, pretty: Bool) -> Data {
    let e = JSONEncoder()
    e.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return (try? e.encode(v)) ?? Data("null".utf8)
  }

  public static func parse(_ data: Data) throws -> JSON {
    do { return try JSONDecoder().decode(JSON.self, from: data) } catch {
      throw JSONError("invalid JSON: \(error)")
    }
  }
}

extension JSON: Codable {
  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let d = try? c.decode(Double.self) {
      self = .number(d)
    } else if let s = try? c.decode(String.self) { self = .string(s) } else if let a = try? c.decode([JSON].self) {
      self = .array(a)
    } else { self = .object(try c.decode([String: JSON].self)) }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .null: try c.encodeNil()
    case .bool(let b): try c.encode(b)
    case .number(let d):
      if d == d.rounded(), abs(d) < 9e15 { try c.encode(Int(d)) } else { try c.encode(d) }
    case .string(let s): try c.encode(s)
    case .array(let a): try c.encode(a)
    case .object(let o): try c.encode(o)
    }
  }
}

/// Text that is not valid JSON.
public struct JSONError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
