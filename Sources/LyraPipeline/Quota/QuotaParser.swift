import LyraBase
import LyraNN

/// Recursive descent over `clause (and clause)*`, where a clause is
/// `quantity (< | <= | > | >=) number`, `quantity in [number, number]`, `model_valid`
/// or `runtime < number`. Every error names the column of the offending token.
struct QuotaParser {
  let text: String
  let tokens: [QuotaToken]
  var pos = 0

  init(_ text: String) throws {
    self.text = text
    tokens = try QuotaLexer.tokens(text)
  }

  static let aliases: [String: Quota.Quantity] = [
    "flops": .flops, "params": .params, "latency": .latency, "host_latency": .latency,
  ]
  static let words = ["flops", "params", "latency", "host_latency", "model_valid", "runtime"]

  func fail(_ t: QuotaToken, _ message: String) -> QuotaError {
    QuotaError(expression: text, column: t.column, message: message)
  }

  mutating func next() -> QuotaToken {
    defer { pos += 1 }
    return tokens[pos]
  }

  func describe(_ t: QuotaToken) -> String {
    switch t.kind {
    case .word(let w): return "'\(w)'"
    case .number(let d): return "\(d)"
    case .op(let o): return "'\(o)'"
    case .open: return "'['"
    case .close: return "']'"
    case .comma: return "','"
    case .end: return "the end"
    }
  }

  mutating func number(_ what: String) throws -> Double {
    let t = next()
    guard case .number(let d) = t.kind else { throw fail(t, "expected \(what), found \(describe(t))") }
    return d
  }

  mutating func expect(_ kind: QuotaToken.Kind, _ what: String) throws {
    let t = next()
    guard t.kind == kind else { throw fail(t, "expected \(what), found \(describe(t))") }
  }

  mutating func parse() throws -> ([Quota.Clause], Bool, Double?) {
    var clauses: [Quota.Clause] = [], modelValid = false, runtime: Double?
    if tokens[0].kind == .end { return ([], false, nil) }
    while true {
      let t = next()
      guard case .word(let w) = t.kind else { throw fail(t, "expected a quantity (\(QuotaParser.words.joined(separator: ", "))), found \(describe(t))") }
      if w == "model_valid" {
        modelValid = true
      } else if w == "runtime" {
        try expect(.op("<"), "'<' after runtime")
        runtime = try number("a number of hours")
      } else if let q = QuotaParser.aliases[w] {
        clauses.append(try clause(q))
      } else if w == "device_latency" || w == "affinity" {
        throw fail(t, "'\(w)' needs an evaluator Lyra does not have; use latency (host, ms)")
      } else {
        let hint = Suggest.hint(w, in: QuotaParser.words)
        throw fail(t, "unknown quantity '\(w)'\(hint)")
      }
      let sep = next()
      if sep.kind == .end { return (clauses, modelValid, runtime) }
      guard sep.kind == .word("and") else { throw fail(sep, "expected 'and' or the end, found \(describe(sep))") }
    }
  }

  mutating func clause(_ q: Quota.Quantity) throws -> Quota.Clause {
    let t = next()
    switch t.kind {
    case .op(let o):
      let v = try number("a number after '\(o)'")
      switch o {
      case "<": return .init(quantity: q, lower: -.infinity, upper: v, lowerInclusive: false, upperInclusive: false)
      case "<=": return .init(quantity: q, lower: -.infinity, upper: v, lowerInclusive: false, upperInclusive: true)
      case ">": return .init(quantity: q, lower: v, upper: .infinity, lowerInclusive: false, upperInclusive: false)
      default: return .init(quantity: q, lower: v, upper: .infinity, lowerInclusive: true, upperInclusive: false)
      }
    case .word("in"):
      try expect(.open, "'['")
      let lo = try number("a lower bound")
      try expect(.comma, "','")
      let hiTok = tokens[pos]
      let hi = try number("an upper bound")
      try expect(.close, "']'")
      guard lo <= hi else { throw fail(hiTok, "empty range [\(lo), \(hi)]") }
      return .init(quantity: q, lower: lo, upper: hi, lowerInclusive: true, upperInclusive: true)
    default:
      throw fail(t, "expected <, <=, >, >= or 'in' after \(q.rawValue), found \(describe(t))")
    }
  }
}
