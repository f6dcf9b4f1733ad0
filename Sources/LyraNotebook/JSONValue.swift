import Foundation
import LyraBase

/// A JSON value with object keys kept in the order written: cell-marker metadata is
/// read into it and `.ipynb` files are written from it, byte-for-byte reproducibly
/// (JSONSerialization orders keys arbitrarily and escapes `/`).
public indirect enum JSONValue: Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case let (.bool(x), .bool(y)): return x == y
    case let (.number(x), .number(y)): return x == y
    case let (.string(x), .string(y)): return x == y
    case let (.array(x), .array(y)): return x == y
    case let (.object(x), .object(y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
    default: return false
    }
  }

  /// The member `key` of an object.
  public subscript(key: String) -> JSONValue? {
    if case .object(let m) = self { return m.first { $0.0 == key }?.1 }
    return nil
  }

  /// Parses JSON text (any value at top level); nil when it is not valid JSON.
  public static func parse(_ text: String) -> JSONValue? {
    guard let any = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else { return nil }
    return from(any)
  }

  static func from(_ any: Any) -> JSONValue {
    switch any {
    case is NSNull: return .null
    case let n as NSNumber:
      // CFBoolean is the only NSNumber whose type is "c" on both platforms' JSON readers.
      if String(cString: n.objCType) == "c" { return .bool(n.boolValue) }
      return .number(n.doubleValue)
    case let s as String: return .string(s)
    case let a as [Any]: return .array(a.map(from))
    case let d as [String: Any]: return .object(d.keys.sorted().map { ($0, from(d[$0]!)) })
    default: return .null
    }
  }

  /// JSON text, indented by `indent` spaces per level (nbformat's own files use 1).
  public func text(indent: Int = 1) -> String {
    var out = ""
    write(&out, level: 0, indent: indent)
    return out
  }

  private func write(_ out: inout String, level: Int, indent: Int) {
    let pad = String(repeating: " ", count: (level + 1) * indent), end = String(repeating: " ", count: level * indent)
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let d):
      if d.isFinite, d == d.rounded(), abs(d) < 1e15 { out += String(Int64(d)) } else if d.isFinite { out += "\(d)" } else { out += "null" }
    case .string(let s): out += JSONValue.quote(s)
    case .array(let a):
      if a.isEmpty { out += "[]"; return }
      out += "[\n"
      for (i, v) in a.enumerated() {
        out += pad
        v.write(&out, level: level + 1, indent: indent)
        out += i + 1 < a.count ? ",\n" : "\n"
      }
      out += end + "]"
    case .object(let m):
      if m.isEmpty { out += "{}"; return }
      out += "{\n"
      for (i, (k, v)) in m.enumerated() {
        out += pad + JSONValue.quote(k) + ": "
        v.write(&out, level: level + 1, indent: indent)
        out += i + 1 < m.count ? ",\n" : "\n"
      }
      out += end + "}"
    }
  }

  /// A JSON string literal (LyraBase's one JSON string escaper).
  public static func quote(_ s: String) -> String { TextEscaping.jsonString(s) }
}
