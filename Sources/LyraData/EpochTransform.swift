import LyraBase

/// A transform that depends on the training epoch, such as an augmentation schedule (Ho
/// et al. 2019, PBA: the policy changes as training goes on).
///
/// Why the loader asks for the epoch's transform rather than a callback switching a
/// shared one: `DataLoader.batches(epoch:)` resolves it once per epoch, so epoch e always
/// sees the same policy — whether the run started at 0, resumed from a checkpoint at e,
/// or prefetched the next batches on another thread — and the transform stays a value
/// with no state to race on.
public protocol EpochTransform: Transform {
  /// The transform to use for every sample of `epoch` (0-based).
  func transform(forEpoch epoch: Int) -> any Transform
}

/// `t` with every epoch-dependent part replaced by its transform for `epoch`: an
/// `EpochTransform` itself, or one inside a `Compose` (at any depth). Others are returned
/// as they are.
public func resolveTransform(_ t: any Transform, epoch: Int) -> any Transform {
  if let e = t as? EpochTransform { return resolveTransform(e.transform(forEpoch: epoch), epoch: epoch) }
  if let c = t as? Compose { return Compose(c.transforms.map { resolveTransform($0, epoch: epoch) }) }
  return t
}

/// Transforms by epoch: segment k applies from its `fromEpoch` until the next segment's.
/// Used directly (not through a `DataLoader`) it applies the first segment's transform.
public struct ScheduledTransform: EpochTransform {
  public let segments: [(fromEpoch: Int, transform: any Transform)]

  /// Segments with strictly increasing `fromEpoch`, the first at 0 (so every epoch has
  /// a transform; "nothing yet" is a first segment with an empty policy).
  public init(_ segments: [(fromEpoch: Int, transform: any Transform)]) throws {
    guard let first = segments.first else { throw DataError(file: "augment", "a schedule needs at least one segment") }
    guard first.fromEpoch == 0 else {
      throw DataError(file: "augment", "a schedule's first segment must start at epoch 0, got \(first.fromEpoch)")
    }
    for (a, b) in zip(segments, segments.dropFirst()) where b.fromEpoch <= a.fromEpoch {
      throw DataError(file: "augment", "schedule epochs must increase: \(b.fromEpoch) follows \(a.fromEpoch)")
    }
    self.segments = segments
  }

  /// The index of the segment that covers `epoch`.
  public func segmentIndex(forEpoch epoch: Int) -> Int {
    segments.lastIndex { $0.fromEpoch <= epoch } ?? 0
  }

  public func transform(forEpoch epoch: Int) -> any Transform { segments[segmentIndex(forEpoch: epoch)].transform }

  public func apply(_ sample: inout Sample, generator: Generator) {
    segments[0].transform.apply(&sample, generator: generator)
  }
}
