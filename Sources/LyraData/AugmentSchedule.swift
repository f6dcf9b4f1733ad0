/// A PBA policy schedule (Ho et al. 2019, §3): which `PBAPolicy` to train with from
/// which epoch on. PBA's search produces one — the policies the best member's lineage
/// used, segment by segment (population based training, Jaderberg et al. 2017, copies
/// and perturbs them) — and a later training from scratch replays it.
///
/// JSON (Codable): `[{"from_epoch": 0, "policy": {...}}, {"from_epoch": 3, ...}]`, each
/// policy in `PBAPolicy`'s form.
public struct AugmentSchedule: Equatable, Codable {
  public struct Segment: Equatable, Codable {
    public var fromEpoch: Int
    public var policy: PBAPolicy
    public init(fromEpoch: Int, policy: PBAPolicy) {
      self.fromEpoch = fromEpoch
      self.policy = policy
    }
    enum CodingKeys: String, CodingKey {
      case fromEpoch = "from_epoch"
      case policy
    }
  }

  public let segments: [Segment]

  /// Segments with strictly increasing epochs, the first at 0.
  public init(_ segments: [Segment]) throws {
    _ = try ScheduledTransform(segments.map { ($0.fromEpoch, $0.policy) })
    self.segments = segments
  }

  public init(from decoder: Decoder) throws {
    try self.init(try decoder.singleValueContainer().decode([Segment].self))
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(segments)
  }

  /// The policy for `epoch` (0-based): the last segment starting at or before it.
  public func policy(forEpoch epoch: Int) -> PBAPolicy {
    (segments.last { $0.fromEpoch <= epoch } ?? segments[0]).policy
  }

  /// The schedule as a loader transform (the loader picks each epoch's policy).
  public var transform: ScheduledTransform {
    try! ScheduledTransform(segments.map { ($0.fromEpoch, $0.policy) })
  }
}
