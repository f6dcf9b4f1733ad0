import LyraBase
import LyraData
import LyraNN

/// What a dataset section's `transforms` key asks for. Besides DatasetTransforms' list
/// and policy-object forms, two forms from Population Based Augmentation (Ho et al.
/// 2019):
///
/// - a PBA policy, what a `PBAHpo` search samples (keys `dataset.transforms.pba.<Op>.prob<i>`
///   and `.magnitude<i>`): `{pba: {Rotate: {prob1: 0.3, magnitude1: 4, prob2: 0, magnitude2: 2},
///   Cutout: {...}}}` — per op, (probability in [0, 1], magnitude in [0, 10]) pairs; each
///   sample gets 0, 1 or 2 of them (LyraData's `PBAPolicy`). `{pba: {}}` augments nothing.
/// - a schedule, what a `PBAHpo` search hands to the next step:
///   `{schedule: [{from_epoch: 0, policy: {pba: {}}}, {from_epoch: 3, policy: {pba: {...}}}]}`
///   — each segment's `policy` is any non-schedule form (a list, a policy object or a PBA
///   policy) and applies from its epoch (0-based; the first must be 0, then increasing)
///   until the next one. The loader resolves the policy per epoch, so a run resumed from a
///   checkpoint continues with the right one.
indirect enum DatasetAugmentation {
  case steps([DatasetTransforms.Step])
  case pba(PBAPolicy)
  case schedule([(fromEpoch: Int, augmentation: DatasetAugmentation)])

  /// Parses any form; errors name the key under `path`.
  static func parse(_ value: JSON, path: String, inSchedule: Bool = false) throws -> DatasetAugmentation {
    guard let o = value.object, let form = ["pba", "schedule"].first(where: { o[$0] != nil }) else {
      return .steps(try DatasetTransforms.parse(value, path: path))
    }
    for k in o.keys.sorted() where k != form {
      throw TrainerError.config(key: "\(path).\(k)", "unknown key (a \(form == "pba" ? "PBA policy" : "schedule") has only '\(form)')")
    }
    if form == "pba" { return .pba(try policy(o["pba"]!, path: path + ".pba")) }
    guard !inSchedule else { throw TrainerError.config(key: "\(path).schedule", "a schedule's policy cannot be another schedule") }
    return .schedule(try schedule(o["schedule"]!, path: path + ".schedule"))
  }

  /// `{Op: {prob1, magnitude1, ...}, ...}` → a checked `PBAPolicy`.
  static func policy(_ value: JSON, path: String) throws -> PBAPolicy {
    guard let ops = value.object else { throw TrainerError.config(key: path, "expected {Op: {prob1, magnitude1, ...}, ...}, got \(value.text)") }
    var pairs: [String: [PBAPolicy.Pair]] = [:]
    for name in ops.keys.sorted() {
      let p = "\(path).\(name)"
      guard AugmentRegistry.names.contains(name) else {
        let hint = Suggest.hint(name, in: AugmentRegistry.names)
        throw TrainerError.config(key: p, "unknown augmentation op '\(name)'\(hint)")
      }
      guard let fields = ops[name]!.object else { throw TrainerError.config(key: p, "expected {prob1, magnitude1, ...}, got \(ops[name]!.text)") }
      var numbers: [String: Double] = [:]
      for (k, v) in fields {
        guard let d = v.double else { throw TrainerError.config(key: "\(p).\(k)", "expected a number, got \(v.text)") }
        numbers[k] = d
      }
      do { pairs[name] = try PBAPolicy.pairs(from: numbers, op: name) } catch let e as DataError {
        throw TrainerError.config("\(path).\(e.message)")
      }
      for (i, pair) in pairs[name]!.enumerated() {
        guard (0...1).contains(pair.probability) else { throw TrainerError.config(key: "\(p).prob\(i + 1)", "must be in [0, 1], got \(pair.probability)") }
        guard (0...10).contains(pair.magnitude) else { throw TrainerError.config(key: "\(p).magnitude\(i + 1)", "must be in [0, 10], got \(pair.magnitude)") }
      }
    }
    do { return try PBAPolicy(pairs) } catch { throw TrainerError.config(key: path, "\(error)") }
  }

  /// `[{from_epoch, policy}, ...]` with epochs from 0, increasing.
  static func schedule(_ value: JSON, path: String) throws -> [(fromEpoch: Int, augmentation: DatasetAugmentation)] {
    guard let list = value.array, !list.isEmpty else {
      throw TrainerError.config(key: path, "expected a non-empty list of {from_epoch, policy}, got \(value.text)")
    }
    var out: [(fromEpoch: Int, augmentation: DatasetAugmentation)] = []
    for (i, v) in list.enumerated() {
      let p = "\(path)[\(i)]"
      let r = try ParamReader(v, path: p)
      guard let e = try r.optionalInt("from_epoch", min: 0) else { throw TrainerError.config(key: p, "missing 'from_epoch'") }
      guard let policy = r.raw("policy") else { throw TrainerError.config(key: p, "missing 'policy'") }
      try r.finish()
      if i == 0 && e != 0 { throw TrainerError.config(key: "\(p).from_epoch", "the first segment must start at epoch 0, got \(e)") }
      if let last = out.last, e <= last.fromEpoch {
        throw TrainerError.config(key: "\(p).from_epoch", "epochs must increase, got \(e) after \(last.fromEpoch)")
      }
      out.append((e, try parse(policy, path: "\(p).policy", inSchedule: true)))
    }
    return out
  }

  /// The loader transform on raw pixels; nil when nothing would ever change a sample.
  func transform() throws -> (any Transform)? {
    switch self {
    case .steps(let s): return s.isEmpty ? nil : try AugmentTransform(named: s)
    case .pba(let p): return p.activeCount == 0 ? nil : p
    case .schedule(let segments):
      let parts = try segments.map { ($0.fromEpoch, try $0.augmentation.transform()) }
      if parts.allSatisfy({ $0.1 == nil }) { return nil }
      return try ScheduledTransform(parts.map { ($0.0, $0.1 ?? Compose([])) })
    }
  }
}
