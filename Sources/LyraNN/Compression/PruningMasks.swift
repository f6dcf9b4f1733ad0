import LyraTensor

extension Pruning {
  /// Masks keeping, in every group, the `keep` fraction of channels (at least one) whose
  /// filters have the largest L1 norm, summed over the group's convolutions (Li et al.,
  /// "Pruning Filters for Efficient ConvNets", ICLR 2017).
  ///
  /// Why it is here: a one-shot baseline for PruneEA, a good seed for its first
  /// population, and the "prune 50%" reference the compression step reports against.
  public static func l1Masks(_ model: Module, keep: Double) throws -> [[Bool]] {
    guard keep > 0, keep <= 1 else { throw CompressionError("Pruning.l1Masks: keep must be in (0, 1], got \(keep)") }
    let modules = Dictionary(model.namedModules().map { ($0.name, $0.module) }, uniquingKeysWith: { a, _ in a })
    return groups(model).map { g in
      var norms = [Double](repeating: 0, count: g.channels)
      for name in g.convolutions {
        guard let conv = modules[name] as? Conv2d else { continue }
        let w = conv.weight.contiguous().toArray(), per = w.count / g.channels
        for c in 0..<g.channels { for j in 0..<per { norms[c] += Double(Swift.abs(w[c * per + j])) } }
      }
      let k = Swift.max(1, Int((keep * Double(g.channels)).rounded()))
      let order = norms.indices.sorted { norms[$0] != norms[$1] ? norms[$0] > norms[$1] : $0 < $1 }
      var mask = [Bool](repeating: false, count: g.channels)
      for c in order.prefix(k) { mask[c] = true }
      return mask
    }
  }

  /// Masks that keep everything (the unpruned model).
  public static func fullMasks(_ model: Module) -> [[Bool]] {
    groups(model).map { [Bool](repeating: true, count: $0.channels) }
  }
}
