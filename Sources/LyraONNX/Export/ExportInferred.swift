import LyraNN
import LyraTensor

/// Modules the exporter does not know by type but that only combine children it can
/// export (LyraNets' Network, Cell, Operator and residual blocks, modules written
/// elsewhere). Their `forward` is code the exporter cannot read, so it tries the wirings
/// such wrappers use — the children in order; a residual sum of the body with a skip
/// branch (children named `shortcut`, `downsample` or `skip…`, else the identity), with or
/// without a final ReLU — and writes the first whose native result equals the module's own
/// output on the (random) sample input. A module matching none is an error naming it.
extension ExportContext {
  enum Wiring {
    case chain
    case residual(relu: Bool)
  }

  func emitInferred(_ m: Module, path: String, _ x: Flow) throws -> Flow? {
    guard !m.children.isEmpty, m.ownParameters.isEmpty, m.ownBuffers.isEmpty else { return nil }
    let want = try m(x.sample)
    let (skip, body) = splitSkip(m)
    // A wiring that does not even run (shapes that do not chain) is simply not this module's.
    guard let chained = try? body.reduce(x.sample, { try $1.module($0) }) else { return nil }
    let candidates: [(Wiring, () throws -> Tensor?)] = [
      (.chain, { skip.isEmpty ? chained : nil }),
      (.residual(relu: false), { try self.residual(chained, skip, x.sample) }),
      (.residual(relu: true), { try self.residual(chained, skip, x.sample)?.relu() }),
    ]
    for (wiring, result) in candidates {
      guard let y = try? result(), y.shape == want.shape else { continue }
      let scale = Swift.max(1, want.abs().max().item())
      guard y.sub(want).abs().max().item() <= 1e-5 * scale else { continue }
      return try emit(wiring, body: body, skip: skip, path: path, x, want)
    }
    return nil
  }

  /// Children that form the skip branch of a residual, and the rest (the body, in order).
  private func splitSkip(_ m: Module) -> (skip: [(name: String, module: Module)], body: [(name: String, module: Module)]) {
    func isSkip(_ n: String) -> Bool { n == "shortcut" || n == "downsample" || n.hasPrefix("skip") }
    return (m.children.filter { isSkip($0.name) }, m.children.filter { !isSkip($0.name) })
  }

  /// body + skip(x) natively (skip: the identity when absent, its children chained when several).
  private func residual(_ body: Tensor, _ skip: [(name: String, module: Module)], _ x: Tensor) throws -> Tensor? {
    let s = try skip.reduce(x) { try $1.module($0) }
    return s.shape == body.shape ? body + s : nil
  }

  private func emit(_ wiring: Wiring, body: [(name: String, module: Module)], skip: [(name: String, module: Module)],
                    path: String, _ x: Flow, _ want: Tensor) throws -> Flow {
    var y = x
    for c in body { y = try emit(c.module, path: join(path, c.name), y) }
    guard case .residual(let relu) = wiring else { return y }
    var s = x
    for c in skip { s = try emit(c.module, path: join(path, c.name), s) }
    var out = try node("Add", path: path, inputs: [y.name, s.name])
    if relu { out = try node("Relu", path: path, inputs: [out]) }
    return Flow(name: out, sample: want)
  }
}
