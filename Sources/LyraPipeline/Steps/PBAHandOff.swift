import LyraBase
import LyraSearch
import LyraSpace

/// What a PBA search hands to the next step: PBA's product is not the last policy but the
/// *schedule* its best member's lineage trained with (Ho et al. 2019, §3; population
/// based training's hyperparameter schedule, Jaderberg et al. 2017). The chosen record's
/// hps get `dataset.transforms: {schedule: [{from_epoch, policy: {pba: {...}}}, ...]}` in
/// place of the last segment's policy, so a TrainPipeStep that merges the record's hps
/// (its `models_folder` is the search step's output) replays the schedule from epoch 0.
///
/// Ops whose pairs all have probability 0 are left out of each written policy (they never
/// apply, and PBAPolicy augments identically without them); an all-zero policy is `{pba: {}}`.
enum PBAHandOff {
  /// `r` with its lineage's schedule when `algorithm` is a PBA; otherwise `r` unchanged.
  static func withSchedule(_ r: TrialRecord, algorithm: SearchAlgorithm) -> TrialRecord {
    guard let pba = algorithm as? PBA else { return r }
    let segments = pba.policySchedule(of: r.workerID)
    guard !segments.isEmpty else { return r }
    let path = pba.policyExplore.prefix.split(separator: ".").map(String.init)
    let schedule = JSON.array(segments.map { s in
      .object(["from_epoch": JSON(Int(s.fromBudget)), "policy": .object(["pba": written(s.policy, path: path)])])
    })
    // The last policy's keys go; the schedule takes the place of the transforms.
    var out = r
    out.hps = replacing(r.hps, at: Array(path.prefix(path.count - 1)), with: .object(["schedule": schedule]))
    return out
  }

  /// The op map of a policy config (`{Rotate: {prob1, magnitude1, ...}}`), without ops
  /// that never apply.
  static func written(_ policy: Config, path: [String]) -> JSON {
    var node = Binding.nest(policy)
    for k in path { node = node[k] ?? .object([:]) }
    let ops = (node.object ?? [:]).filter { _, fields in
      (fields.object ?? [:]).contains { k, v in k.hasPrefix("prob") && (v.double ?? 0) > 0 }
    }
    return .object(ops)
  }

  /// `json` with the value at `path` (object keys) set to `value`, creating objects on the way.
  static func replacing(_ json: JSON, at path: [String], with value: JSON) -> JSON {
    guard let head = path.first else { return value }
    var o = json.object ?? [:]
    o[head] = replacing(o[head] ?? .object([:]), at: Array(path.dropFirst()), with: value)
    return .object(o)
  }
}
