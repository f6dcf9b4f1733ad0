import LyraBase
import LyraData

/// VEGA's PBA search space: `search_space: {transformers: [{Cutout: true}, {Rotate: true},
/// ...]}` (or one mapping `{Cutout: true, ...}`), the augmentation ops PBAHpo searches —
/// those set to true, in the order listed (VEGA's `PBAHpo.operation_names`). Lyra's PBAHpo
/// searches the same ops (PBA's 15, Ho et al. 2019), so the list restricts `policy.ops`;
/// VEGA's spellings with an underscore (`Translate_X`, `Shear_Y`) are Lyra's op names
/// without it. Any other name is an error naming the closest op.
///
/// Why split off here: a Lyra search space holds hyperparameters only; `transformers` is
/// taken out before the rest (`hyperparameters`, searched jointly) is parsed.
enum PBATransformers {
  /// `search_space` without `transformers` (what `SearchSpace(json:)` parses); a space
  /// that lists only ops has no jointly searched hyperparameters.
  static func space(of section: JSON) -> JSON {
    guard var o = section["search_space"]?.object, o.removeValue(forKey: "transformers") != nil else {
      return section["search_space"] ?? .object([:])
    }
    if o["hyperparameters"] == nil { o["hyperparameters"] = .array([]) }
    return .object(o)
  }

  /// Whether the section's search space lists `transformers`.
  static func given(in section: JSON) -> Bool { section["search_space"]?["transformers"] != nil }

  /// The ops `search_space.transformers` switches on, as Lyra's op names; nil when absent.
  static func ops(step: String, section: JSON, config: PipelineConfig) throws -> [String]? {
    guard let value = section["search_space"]?["transformers"] else { return nil }
    let key = "\(step).search_space.transformers"
    var pairs: [(String, JSON)] = []
    if let list = value.array {
      for (i, item) in list.enumerated() {
        guard let o = item.object, o.count == 1, let (name, on) = o.first else {
          throw config.error("\(key)[\(i)]", "expected one `Op: true` entry, got \(item.text)")
        }
        pairs.append((name, on))
      }
    } else if let o = value.object {
      pairs = o.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    } else {
      throw config.error(key, "expected a list of `Op: true` entries, got \(value.text)")
    }
    var ops: [String] = []
    for (name, on) in pairs {
      guard let flag = on.bool else { throw config.error("\(key).\(name)", "expected true or false, got \(on.text)") }
      let lyraName = name.replacingOccurrences(of: "_", with: "")
      guard PBAPolicy.searchOps.contains(lyraName) else {
        let vegaNames = PBAPolicy.searchOps.map { $0.hasSuffix("X") || $0.hasSuffix("Y") ? String($0.dropLast()) + "_" + String($0.last!) : $0 }
        throw config.error("\(key).\(name)", "unknown PBA op '\(name)'\(Suggest.hint(name, in: vegaNames + PBAPolicy.searchOps)); " +
                           "PBA searches \(vegaNames.joined(separator: ", "))")
      }
      if flag, !ops.contains(lyraName) { ops.append(lyraName) }
    }
    guard !ops.isEmpty else { throw config.error(key, "no op is switched on (set at least one to true)") }
    return ops
  }
}
