import LyraBase

/// Batches from a dataset for training loops, like PyTorch's `DataLoader`: fixed batch
/// size, optional shuffle, optional `dropLast`, an optional per-sample transform, and
/// prefetch of the next batches on a background thread.
///
/// Determinism: epoch e's order is a permutation drawn from `Generator(seed)` split by e,
/// and batch b's transform randomness from that split again by b + 1. So epochs differ,
/// a run with the same seed repeats exactly, and prefetching (or not) gives identical
/// batches.
///
/// `for batch in loader { ... }` runs the next epoch and advances `epoch`; use
/// `batches(epoch:)` to replay a specific epoch without touching the counter.
public final class DataLoader: Sequence {
  public let dataset: any Dataset
  public let batchSize: Int
  public let shuffle: Bool
  public let seed: UInt64
  public let dropLast: Bool
  public let transform: (any Transform)?
  /// Batches built ahead on a background thread; 0 builds each batch on the caller's
  /// thread when it is asked for.
  public let prefetch: Int
  /// Epochs started so far; the next `for` loop over the loader runs this epoch.
  public private(set) var epoch: Int = 0

  /// - Parameters:
  ///   - shuffle: a new seeded permutation each epoch; otherwise dataset order.
  ///   - dropLast: leave out the last batch when it would be smaller than `batchSize`.
  ///   - transform: applied to each sample (on the prefetch thread when prefetching), so
  ///     it must not mutate shared state.
  public init(_ dataset: any Dataset, batchSize: Int, shuffle: Bool = false, seed: UInt64 = 0, dropLast: Bool = false,
              transform: (any Transform)? = nil, prefetch: Int = 2) {
    precondition(batchSize > 0, "DataLoader: batchSize must be positive, got \(batchSize)")
    precondition(prefetch >= 0, "DataLoader: prefetch must be ≥ 0, got \(prefetch)")
    self.dataset = dataset
    self.batchSize = batchSize
    self.shuffle = shuffle
    self.seed = seed
    self.dropLast = dropLast
    self.transform = transform
    self.prefetch = prefetch
  }

  /// Batches per epoch.
  public var batchCount: Int {
    dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
  }

  /// The sample order of `epoch`: a seeded permutation when shuffling, else 0..<count.
  public func order(epoch: Int) -> [Int] {
    shuffle ? epochGenerator(epoch).permutation(dataset.count) : Array(0 ..< dataset.count)
  }

  /// Sets the epoch counter, e.g. when resuming from a checkpoint.
  public func setEpoch(_ e: Int) {
    precondition(e >= 0, "DataLoader: epoch must be ≥ 0")
    epoch = e
  }

  /// Runs the next epoch and advances the counter.
  public func makeIterator() -> Iterator {
    let it = batches(epoch: epoch)
    epoch += 1
    return it
  }

  /// The batches of `epoch`, without changing the counter. An epoch-dependent transform
  /// (`EpochTransform`, e.g. an augmentation schedule) is resolved for `epoch` here.
  public func batches(epoch: Int) -> Iterator {
    let maker = BatchMaker(dataset: dataset, order: order(epoch: epoch), batchSize: batchSize,
                           transform: transform.map { resolveTransform($0, epoch: epoch) }, generator: epochGenerator(epoch))
    return Iterator(maker: maker, count: batchCount, prefetch: prefetch)
  }

  private func epochGenerator(_ epoch: Int) -> LyraBase.Generator {
    LyraBase.Generator(seed: seed).split(stream: UInt64(epoch))
  }

  /// Yields one epoch's batches; dropping it before the end stops the prefetch thread.
  public final class Iterator: IteratorProtocol {
    private let maker: BatchMaker
    private let count: Int
    private var nextIndex = 0
    let queue: BatchQueue?

    init(maker: BatchMaker, count: Int, prefetch: Int) {
      self.maker = maker
      self.count = count
      if prefetch > 0 && count > 0 {
        let q = BatchQueue(capacity: prefetch)
        q.start(count: count, make: { [maker] in maker.batch($0) })
        queue = q
      } else {
        queue = nil
      }
    }

    /// The next batch; nil at the end of the epoch.
    public func next() -> Batch? {
      if let queue { return queue.take() }
      guard nextIndex < count else { return nil }
      defer { nextIndex += 1 }
      return maker.batch(nextIndex)
    }

    /// Stops prefetching now (also done when the iterator is released).
    public func stop() {
      queue?.cancel()
      nextIndex = count
    }

    deinit { queue?.cancel() }
  }
}

/// Builds batch b of one epoch; a value, so the prefetch thread owns its own copy.
struct BatchMaker {
  let dataset: any Dataset
  let order: [Int]
  let batchSize: Int
  let transform: (any Transform)?
  let generator: Generator

  func batch(_ b: Int) -> Batch {
    let indices = Array(order[b * batchSize ..< min((b + 1) * batchSize, order.count)])
    let rng = generator.split(stream: UInt64(b) + 1)
    var data: [Float] = []
    var labels: [Int32] = []
    labels.reserveCapacity(indices.count)
    var sampleShape: [Int] = []
    for (k, i) in indices.enumerated() {
      var s = dataset.item(at: i)
      transform?.apply(&s, generator: rng)
      if k == 0 {
        sampleShape = s.shape
        data.reserveCapacity(s.features.count * indices.count)
      } else {
        precondition(s.shape == sampleShape, "DataLoader: samples in one batch have shapes \(sampleShape) and \(s.shape)")
      }
      data.append(contentsOf: s.features)
      labels.append(s.label)
    }
    return Batch(data: data, shape: [indices.count] + sampleShape, labels: labels, indices: indices)
  }
}
