import Foundation
import LyraBase
import LyraTensor

/// Torch7-style printing: a 1-D tensor as a column, 2-D as a matrix, higher ranks as
/// `(i,j,.,.) =` slices, then `[lyra.FloatTensor of size 2x3]`. Past `threshold`
/// elements only `edgeitems` rows and columns at each end are shown (torch7#219).
enum TensorFormat {
  struct Options {
    var precision = 4
    var threshold = 1000
    var edgeitems = 3
    var linewidth = 80
  }

  nonisolated(unsafe) static var options = Options()

  static func typeName(_ t: Tensor) -> String { TensorDTypeNames.torchName(t.dtype) }

  /// One line, for tables and the REPL's nested printing: `lyra.FloatTensor - size: 3x4`.
  static func short(_ t: Tensor) -> String { "\(typeName(t)) - size: \(ShapeText.format(t.shape, .size))" }

  static func footer(_ t: Tensor) -> String {
    var s = "[\(typeName(t)) of size \(ShapeText.format(t.shape, .size))"
    if t.requiresGrad { s += ", requires grad" }
    return s + "]"
  }

  /// Positions shown along a dimension of `size`: all, or the edges with -1 for "...".
  static func shown(_ size: Int, summarise: Bool) -> [Int] {
    let e = options.edgeitems
    if !summarise || size <= 2 * e { return Array(0..<size) }
    return Array(0..<e) + [-1] + Array((size - e)..<size)
  }

  static func render(_ t: Tensor) -> String {
    if t.rank == 0 {
      let v = t.scalarItem()
      return "\(number(v, fmt: formatter(for: [v])))\n" + footer(t)
    }
    if t.count == 0 { return "[\(typeName(t)) with no elements of size \(ShapeText.format(t.shape, .size))]" }
    let c = t.contiguous()
    let values = (0..<c.count).lazy.map { c.scalarValue($0) }
    let summarise = t.count > options.threshold
    let shape = t.shape
    let picks = shape.map { shown($0, summarise: summarise) }
    // Formatter from the values that will be shown.
    var sample: [Scalar] = []
    func collect(_ d: Int, _ offset: Int) {
      if d == shape.count { sample.append(values[offset]); return }
      let stride = shape[(d + 1)...].reduce(1, *)
      for i in picks[d] where i >= 0 { collect(d + 1, offset + i * stride) }
    }
    collect(0, 0)
    let fmt = formatter(for: sample)
    let cols = shape.count >= 2 ? shape[shape.count - 1] : 1
    let rows = shape.count >= 2 ? shape[shape.count - 2] : shape[0]
    let rowPicks = shape.count >= 2 ? picks[shape.count - 2] : picks[0]
    let colPicks = shape.count >= 2 ? picks[shape.count - 1] : [0]
    _ = rows
    var out: [String] = []

    func matrix(_ base: Int) {
      for r in rowPicks {
        if r < 0 { out.append(" ..."); continue }
        var line = ""
        for cIdx in colPicks {
          if cIdx < 0 { line += " ..."; continue }
          line += " " + number(values[base + r * cols + cIdx], fmt: fmt)
        }
        out.append(line)
      }
    }

    if shape.count <= 2 {
      matrix(0)
    } else {
      let lead = Array(shape.dropLast(2))
      let plane = shape[shape.count - 2] * cols
      func walk(_ d: Int, _ idx: [Int], _ offset: Int) {
        if d == lead.count {
          out.append("(" + (idx.map { String($0 + 1) } + [".", "."]).joined(separator: ",") + ") = ")
          matrix(offset)
          out.append("")
          return
        }
        let stride = lead[(d + 1)...].reduce(1, *) * plane
        for i in picks[d] {
          if i < 0 { out.append("(...)"); out.append(""); continue }
          walk(d + 1, idx + [i], offset + i * stride)
        }
      }
      walk(0, [], 0)
    }
    return out.joined(separator: "\n") + "\n" + footer(t)
  }

  struct Fmt {
    var integer: Bool
    var scientific: Bool
    var width: Int
    var precision: Int
  }

  /// The layout for `sample`: integers and bools as they are (true/false), floats as
  /// integers when all are, else fixed or scientific with `precision` digits.
  static func formatter(for sample: [Scalar]) -> Fmt {
    if sample.contains(where: { if case .float32 = $0 { return false }; if case .float64 = $0 { return false }; return true }) {
      return Fmt(integer: true, scientific: false, width: sample.map { $0.description.count }.max() ?? 1, precision: 0)
    }
    let finite = sample.map(\.double).filter { $0.isFinite }
    let allInt = finite.allSatisfy { $0 == $0.rounded() && abs($0) < 1e8 }
    let maxAbs = finite.map { abs($0) }.max() ?? 0
    let minAbs = finite.filter { $0 != 0 }.map { abs($0) }.min() ?? 1
    let p = options.precision
    if allInt {
      let w = max(finite.map { String(Int($0)).count }.max() ?? 1, sample.contains { !$0.double.isFinite } ? 4 : 1)
      return Fmt(integer: true, scientific: false, width: w, precision: 0)
    }
    let sci = maxAbs >= 1e5 || minAbs < 1e-4
    let w = sample.map { String(format: sci ? "%.\(p)e" : "%.\(p)f", $0.double).count }.max() ?? 1
    return Fmt(integer: false, scientific: sci, width: w, precision: p)
  }

  static func number(_ x: Scalar, fmt: Fmt) -> String {
    let s: String, v = x.double
    if case .int = x { s = x.description } else if case .bool = x { s = x.description } else if !v.isFinite { s = v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") } else if fmt.integer { s = String(Int(v)) } else {
      s = String(format: fmt.scientific ? "%.\(fmt.precision)e" : "%.\(fmt.precision)f", Double(v))
    }
    return String(repeating: " ", count: max(0, fmt.width - s.count)) + s
  }
}
