import LyraNN
import LyraTensor

/// `tostring(model)`: Torch7's tree (`nn.Sequential { (1): ... }`) with each module's
/// output shape (once the model has seen an input) and parameter counts.
enum ModuleFormat {
  static func render(_ m: Module) -> String {
    var shapes: [ObjectIdentifier: [Int]] = [:]
    if var input = ModuleLua.lastInput[ObjectIdentifier(m)], !input.isEmpty {
      input[0] = 1
      if let calls = try? ModuleLua.inEval(m, { try ModuleTracer.trace(m, input: Tensor.zeros(input)) }) {
        for c in calls { shapes[ObjectIdentifier(c.module)] = c.output }
      }
    }
    var lines: [String] = []
    func head(_ m: Module) -> String {
      let summary = NNConstructors.luaSummary(m)
      var s = "nn." + m.typeName + (summary.isEmpty ? "" : "(\(summary))")
      let own = m.ownParameters.reduce(0) { $0 + $1.tensor.count }
      var notes: [String] = []
      if let out = shapes[ObjectIdentifier(m)], m.children.isEmpty { notes.append("-> " + ShapeText.format(out, .size)) }
      if own > 0 { notes.append("\(grouped(own)) params") }
      if !notes.isEmpty { s += "   " + notes.joined(separator: ", ") }
      return s
    }
    func walk(_ m: Module, _ indent: String, _ label: String) {
      if m.children.isEmpty {
        lines.append(indent + label + head(m))
        return
      }
      lines.append(indent + label + head(m) + " {")
      for (k, c) in m.children.enumerated() {
        let name = Int(c.name) != nil ? "(\(k + 1)): " : "(\(c.name)): "
        walk(c.module, indent + "  ", name)
      }
      lines.append(indent + "}")
    }
    walk(m, "", "")
    lines.append("\(grouped(m.parameterCount)) parameters" + (shapes.isEmpty ? "" : ", output \(ShapeText.format(shapes[ObjectIdentifier(m)] ?? [], .size))"))
    return lines.joined(separator: "\n")
  }

  /// 421738 → "421,738".
  static func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, c) in s.reversed().enumerated() {
      if i > 0 && i % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return String(out.reversed())
  }
}
