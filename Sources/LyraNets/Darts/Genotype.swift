import Foundation
import LyraBase
import LyraNN
import LyraTensor

/// A derived DARTS architecture in the paper's notation: per cell type, two `(operation,
/// input node)` pairs for each intermediate node (node 0 and 1 are the cell's inputs,
/// node 2 the first intermediate one), and the nodes concatenated into the output.
///
///     Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ...], normal_concat=[2, 3, 4, 5],
///              reduce=[('max_pool_3x3', 0), ...], reduce_concat=[2, 3, 4, 5])
public struct Genotype: Equatable, CustomStringConvertible {
  public struct Edge: Equatable {
    public var op: String
    public var input: Int
    public init(_ op: String, _ input: Int) { self.op = op; self.input = input }
  }
  public var normal: [Edge]
  public var normalConcat: [Int]
  public var reduce: [Edge]
  public var reduceConcat: [Int]

  public init(normal: [Edge], normalConcat: [Int], reduce: [Edge], reduceConcat: [Int]) {
    self.normal = normal
    self.normalConcat = normalConcat
    self.reduce = reduce
    self.reduceConcat = reduceConcat
  }

  /// The paper's derivation (§2.4) from one cell type's α, [edges, ops]: for each
  /// intermediate node, the `k` incoming edges whose strongest non-`none` softmax weight is
  /// largest, each with its strongest non-`none` operation. Ties keep the earlier edge
  /// and the earlier operation.
  public static func derive(_ alpha: Tensor, primitives: [String], steps: Int, k: Int = 2) -> [Edge] {
    let w = alpha.detach().softmax(-1).toArray()
    let n = primitives.count
    var out: [Edge] = []
    var start = 0
    for i in 0..<steps {
      let inputs = 2 + i
      var best: [(strength: Float, input: Int, op: Int)] = []
      for j in 0..<inputs {
        var op = -1
        var strength = -Float.infinity
        for o in 0..<n where primitives[o] != "none" {
          let v = w[(start + j) * n + o]
          if v > strength { strength = v; op = o }
        }
        if op >= 0 { best.append((strength, j, op)) }
      }
      let chosen = best.enumerated().sorted { a, b in
        a.element.strength != b.element.strength ? a.element.strength > b.element.strength : a.offset < b.offset
      }.prefix(k).map(\.element)
      out += chosen.map { Edge(primitives[$0.op], $0.input) }
      start += inputs
    }
    return out
  }

  /// The text in the paper's (and its code's `genotypes.py`) notation.
  public var description: String {
    func edges(_ e: [Edge]) -> String { "[" + e.map { "('\($0.op)', \($0.input))" }.joined(separator: ", ") + "]" }
    func ints(_ a: [Int]) -> String { "[" + a.map(String.init).joined(separator: ", ") + "]" }
    return "Genotype(normal=\(edges(normal)), normal_concat=\(ints(normalConcat)), reduce=\(edges(reduce)), reduce_concat=\(ints(reduceConcat)))"
  }

  /// Reads the paper's notation back (what `description` writes, or a genotype copied from
  /// the DARTS code: `range(2, 6)` for a concat list is accepted). Throws naming the part.
  public init(parsing text: String) throws {
    func field(_ name: String) throws -> Substring {
      guard let r = text.range(of: name + "=") else { throw DescriptionError("genotype: missing '\(name)=' in \(text.prefix(80))") }
      let rest = text[r.upperBound...]
      var depth = 0
      for idx in rest.indices {
        let c = rest[idx]
        if c == "[" || c == "(" { depth += 1 }
        if c == "]" || c == ")" { depth -= 1 }
        if depth < 0 || (depth == 0 && c == ",") { return rest[..<idx] }
      }
      return rest
    }
    func edges(_ name: String) throws -> [Edge] {
      let s = try field(name)
      var out: [Edge] = []
      var cursor = s.startIndex
      while let open = s[cursor...].firstIndex(of: "("), let close = s[open...].firstIndex(of: ")") {
        let parts = s[s.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let i = Int(parts[1]), i >= 0 else {
          throw DescriptionError("genotype: \(name) entry '(\(s[s.index(after: open)..<close]))' is not ('op', input)")
        }
        out.append(Edge(parts[0].trimmingCharacters(in: CharacterSet(charactersIn: "'\"")), i))
        cursor = s.index(after: close)
      }
      return out
    }
    func ints(_ name: String) throws -> [Int] {
      let s = try field(name).trimmingCharacters(in: .whitespaces)
      if s.hasPrefix("range(") {
        let a = s.dropFirst(6).dropLast().split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard a.count == 2, a[0] <= a[1] else { throw DescriptionError("genotype: \(name) '\(s)' is not range(a, b)") }
        return Array(a[0]..<a[1])
      }
      let body = s.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
      let a = body.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      let v = a.compactMap { Int($0) }
      guard v.count == a.count else { throw DescriptionError("genotype: \(name) '\(s)' is not a list of node numbers") }
      return v
    }
    self.init(normal: try edges("normal"), normalConcat: try ints("normal_concat"),
              reduce: try edges("reduce"), reduceConcat: try ints("reduce_concat"))
  }

  /// As JSON for a model description: `{normal: [[op, input], ...], normal_concat: [...], ...}`.
  public var json: JSON {
    func edges(_ e: [Edge]) -> JSON { .array(e.map { .array([.string($0.op), JSON($0.input)]) }) }
    return .object(["normal": edges(normal), "normal_concat": .array(normalConcat.map { JSON($0) }),
                    "reduce": edges(reduce), "reduce_concat": .array(reduceConcat.map { JSON($0) })])
  }
}
