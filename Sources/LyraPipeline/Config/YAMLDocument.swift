import Foundation
import LyraBase
import Yams

/// YAML text (VEGA's config format) as a JSON value tree, remembering the line of every
/// key so errors can name the file, key and line (docs/architecture.md#bad-input).
public struct YAMLDocument {
  public let value: JSON
  /// Dotted key path (`hpo.search_algorithm.policy`) → 1-based line in the text.
  public let lines: [String: Int]
  public let file: String
  /// The source text (saved with the task).
  public let text: String

  /// The largest config file read (16 MiB): configs are a few KiB; anything near this is
  /// not a config, and Yams would hold several copies of it.
  public static let maxBytes = 16 << 20

  /// The most values a document may expand to, aliases included (one million). YAML
  /// aliases share nodes, so a 504-byte "billion laughs" document expands to gigabytes
  /// when converted; counting while converting stops it at this many values.
  public static let maxNodes = 1_000_000

  public init(text: String, file: String = "<text>") throws {
    self.file = file
    self.text = text
    guard text.utf8.count <= YAMLDocument.maxBytes else {
      throw ConfigError(file: file, line: nil, key: nil,
                        message: "the file is \(text.utf8.count) bytes; a config may have at most \(YAMLDocument.maxBytes) bytes (16 MiB)")
    }
    let node: Node?
    do { node = try Yams.compose(yaml: text) } catch let e as YamlError {
      throw ConfigError(file: file, line: YAMLDocument.line(of: e), key: nil, message: YAMLDocument.describe(e))
    }
    var lines: [String: Int] = [:]
    var budget = YAMLDocument.maxNodes
    value = try node.map { try YAMLDocument.convert($0, path: "", file: file, lines: &lines, budget: &budget) } ?? .null
    self.lines = lines
  }

  public init(contentsOf path: String) throws {
    if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > YAMLDocument.maxBytes {
      throw ConfigError(file: path, line: nil, key: nil,
                        message: "the file is \(size) bytes; a config may have at most \(YAMLDocument.maxBytes) bytes (16 MiB)")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigError(file: path, line: nil, key: nil, message: "cannot read the file")
    }
    try self.init(text: String(decoding: data, as: UTF8.self), file: path)
  }

  /// `budget` counts down one per value produced; aliases are expanded, so an alias bomb
  /// runs it out and becomes an error naming the file and the key where it happened.
  static func convert(_ node: Node, path: String, file: String, lines: inout [String: Int], budget: inout Int) throws -> JSON {
    budget -= 1
    if budget < 0 {
      throw ConfigError(file: file, line: node.mark?.line, key: path,
                        message: "the document expands to more than \(maxNodes) values (aliases of aliases?); a config is far smaller")
    }
    switch node {
    case .scalar(let s):
      if s.style != .plain { return .string(s.string) }
      if let b = node.bool { return .bool(b) }
      if let i = node.int { return JSON(i) }
      if let d = node.float { return .number(d) }
      if node.null != nil { return .null }
      return .string(s.string)
    case .sequence(let seq):
      return .array(try seq.enumerated().map { k, n in
        try convert(n, path: path + "[\(k + 1)]", file: file, lines: &lines, budget: &budget)
      })
    case .mapping(let map):
      var o: [String: JSON] = [:]
      for (k, v) in map {
        guard let key = k.string else {
          throw ConfigError(file: file, line: k.mark.map { $0.line }, key: path, message: "mapping keys must be strings")
        }
        let p = path.isEmpty ? key : path + "." + key
        if o[key] != nil { throw ConfigError(file: file, line: k.mark.map { $0.line }, key: p, message: "duplicate key") }
        if let m = k.mark { lines[p] = m.line }
        o[key] = try convert(v, path: p, file: file, lines: &lines, budget: &budget)
      }
      return .object(o)
    case .alias:
      return .null
    }
  }

  static func line(of e: YamlError) -> Int? {
    switch e {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
    case .duplicatedKeysInMapping(_, let context): return context.mark.line
    default: return nil
    }
  }

  static func describe(_ e: YamlError) -> String {
    switch e {
    case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return "invalid YAML: \(problem)"
    case .duplicatedKeysInMapping(let keys, _): return "duplicate key \(keys.map { "'\($0)'" }.joined(separator: ", "))"
    default: return "invalid YAML: \(e)"
    }
  }
}

/// A bad config: the file, the line and the key at fault, and what is wrong.
public struct ConfigError: Error, CustomStringConvertible {
  public var file: String
  public var line: Int?
  public var key: String?
  public var message: String
  public init(file: String, line: Int?, key: String?, message: String) {
    self.file = file
    self.line = line
    self.key = key
    self.message = message
  }
  public var description: String {
    var s = file
    if let line { s += ":\(line)" }
    s += ": "
    if let key, !key.isEmpty { s += "\(key): " }
    return s + message
  }
}
