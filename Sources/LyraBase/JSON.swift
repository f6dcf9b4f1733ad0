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
  /// An object whose members keep the order written (and may repeat a key), for
  /// documents whose layout is part of the format: the notebook's `.ipynb` files, which
  /// `formatted(indent:)` writes byte-for-byte reproducibly. Reading it (`object`,
  /// subscript) sees a dictionary in which the last of a repeated key wins; `text`,
  /// `description` and `Codable` write it with sorted keys like `.object`. Parsing never
  /// makes one.
  case orderedObject([(String, JSON)])

  public static func == (a: JSON, b: JSON) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case let (.bool(x), .bool(y)): return x == y
    case let (.number(x), .number(y)): return x == y
    case let (.string(x), .string(y)): return x == y
    case let (.array(x), .array(y)): return x == y
    case let (.object(x), .object(y)): return x == y
    case let (.orderedObject(x), .orderedObject(y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
    default: return false
    }
  }

  public init(_ i: Int) { self = .number(Double(i)) }

  public var int: Int? {
    if case .number(let d) = self, d == d.rounded(), abs(d) < 9e15 { return Int(d) }
    return nil
  }
  public var double: Double? { if case .number(let d) = self { return d } else { return nil } }
  public var string: String? { if case .string(let s) = self { return s } else { return nil } }
  public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
  public var array: [JSON]? { if case .array(let a) = self { return a } else { return nil } }
  public var object: [String: JSON]? {
    switch self {
    case .object(let o): return o
    case .orderedObject(let m): return Dictionary(m, uniquingKeysWith: { _, last in last })
    default: return nil
    }
  }
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
    case .orderedObject: try c.encode(object ?? [:])
    }
  }
}

extension JSON {
  /// JSON text indented by `indent` spaces a level (nbformat's own files use 1): `.object`
  /// keys sorted, `.orderedObject` members in their order, integral numbers below 1e15 as
  /// integers, other finite numbers as Swift writes them, non-finite ones as null; strings
  /// by `TextEscaping.jsonString` (no escaped `/`, unlike JSONSerialization). The same
  /// value always gives the same bytes, which `text` (JSONEncoder) does not promise.
  public func formatted(indent: Int = 1) -> String {
    var out = ""
    write(&out, level: 0, indent: indent)
    return out
  }

  private func write(_ out: inout String, level: Int, indent: Int) {
    let pad = String(repeating: " ", count: (level + 1) * indent), end = String(repeating: " ", count: level * indent)
    func members(_ m: [(String, JSON)]) {
      if m.isEmpty { out += "{}"; return }
      out += "{\n"
      for (i, (k, v)) in m.enumerated() {
        out += pad + TextEscaping.jsonString(k) + ": "
        v.write(&out, level: level + 1, indent: indent)
        out += i + 1 < m.count ? ",\n" : "\n"
      }
      out += end + "}"
    }
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let d):
      if d.isFinite, d == d.rounded(), abs(d) < 1e15 { out += String(Int64(d)) } else if d.isFinite { out += "\(d)" } else { out += "null" }
    case .string(let s): out += TextEscaping.jsonString(s)
    case .array(let a):
      if a.isEmpty { out += "[]"; return }
      out += "[\n"
      for (i, v) in a.enumerated() {
        out += pad
        v.write(&out, level: level + 1, indent: indent)
        out += i + 1 < a.count ? ",\n" : "\n"
      }
      out += end + "]"
    case .object(let o): members(o.keys.sorted().map { ($0, o[$0]!) })
    case .orderedObject(let m): members(m)
    }
  }
}

/// Text that is not valid JSON.
public struct JSONError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
