import LyraBase
import XCTest
@testable import LyraData

/// The loader's order, batching, determinism and prefetch thread.
final class DataLoaderTests: XCTestCase {
  /// Sample i has features [i, 10 i] and label i % 7, so batches reveal their indices.
  let ds = InMemoryDataset(features: (0 ..< 103).flatMap { [Float($0), Float(10 * $0)] }, sampleShape: [2],
                           labels: (0 ..< 103).map { Int32($0 % 7) })

  func collect(_ it: DataLoader.Iterator) -> [Batch] {
    var out: [Batch] = []
    while let b = it.next() { out.append(b) }
    return out
  }

  func testEveryIndexOncePerEpochAndContentsMatch() {
    let loader = DataLoader(ds, batchSize: 10, shuffle: true, seed: 42)
    XCTAssertEqual(loader.batchCount, 11)
    for epoch in 0 ..< 3 {
      var seen: [Int] = []
      var batches = 0
      for b in loader {
        batches += 1
        XCTAssertEqual(b.shape, [b.count, 2])
        for (k, i) in b.indices.enumerated() {
          XCTAssertEqual(b.data[2 * k], Float(i))
          XCTAssertEqual(b.data[2 * k + 1], Float(10 * i))
          XCTAssertEqual(b.labels[k], Int32(i % 7))
        }
        seen += b.indices
      }
      XCTAssertEqual(batches, 11)
      XCTAssertEqual(seen.sorted(), Array(0 ..< 103), "epoch \(epoch)")
      XCTAssertNotEqual(seen, Array(0 ..< 103), "shuffled")
      XCTAssertEqual(loader.epoch, epoch + 1)
    }
  }

  func testSameSeedSameOrderDifferentEpochsAndSeedsDiffer() {
    let a = DataLoader(ds, batchSize: 8, shuffle: true, seed: 7)
    let b = DataLoader(ds, batchSize: 8, shuffle: true, seed: 7)
    let c = DataLoader(ds, batchSize: 8, shuffle: true, seed: 8)
    let a0 = Array(a).flatMap(\.indices), a1 = Array(a).flatMap(\.indices)
    XCTAssertEqual(a0, Array(b).flatMap(\.indices))
    XCTAssertEqual(a1, Array(b).flatMap(\.indices))
    XCTAssertNotEqual(a0, a1)
    XCTAssertNotEqual(a0, Array(c).flatMap(\.indices))
    XCTAssertEqual(collect(a.batches(epoch: 1)).flatMap(\.indices), a1, "replaying an epoch")
    XCTAssertEqual(a.order(epoch: 0), a0)
  }

  func testNoShuffleIsSequentialAndLastBatchIsShort() {
    let loader = DataLoader(ds, batchSize: 25)
    let batches = Array(loader)
    XCTAssertEqual(batches.map(\.count), [25, 25, 25, 25, 3])
    XCTAssertEqual(batches.flatMap(\.indices), Array(0 ..< 103))
    XCTAssertEqual(batches.last!.shape, [3, 2])
  }

  func testDropLast() {
    let loader = DataLoader(ds, batchSize: 25, shuffle: true, seed: 1, dropLast: true)
    XCTAssertEqual(loader.batchCount, 4)
    let batches = Array(loader)
    XCTAssertEqual(batches.map(\.count), [25, 25, 25, 25])
    XCTAssertEqual(Set(batches.flatMap(\.indices)).count, 100)
    XCTAssertEqual(DataLoader(ds, batchSize: 200, dropLast: true).batchCount, 0)
    XCTAssertTrue(Array(DataLoader(ds, batchSize: 200, dropLast: true)).isEmpty)
  }

  /// A transform that uses the generator, so identical batches prove identical streams.
  struct Noise: Transform {
    func apply(_ sample: inout Sample, generator: Generator) {
      for i in sample.features.indices { sample.features[i] += generator.nextFloat() }
    }
  }

  func testPrefetchGivesIdenticalBatches() {
    let plain = DataLoader(ds, batchSize: 9, shuffle: true, seed: 3, transform: Noise(), prefetch: 0)
    let ahead = DataLoader(ds, batchSize: 9, shuffle: true, seed: 3, transform: Noise(), prefetch: 3)
    for _ in 0 ..< 3 {
      let p = Array(plain), q = Array(ahead)
      XCTAssertEqual(p.count, 12)
      XCTAssertEqual(p, q)
    }
    // And the transform really ran: features are no longer the integers.
    XCTAssertNotEqual(Array(plain)[0].data[0], Float(Array(plain)[0].indices[0]))
  }

  func testTransformRandomnessDiffersAcrossEpochs() {
    let loader = DataLoader(ds, batchSize: 103, transform: Noise())
    XCTAssertNotEqual(Array(loader)[0].data, Array(loader)[0].data)
  }

  func testEarlyStopReleasesTheProducer() {
    let big = InMemoryDataset(features: [Float](repeating: 1, count: 10_000), sampleShape: [1],
                              labels: [Int32](repeating: 0, count: 10_000))
    let loader = DataLoader(big, batchSize: 1, prefetch: 2)
    var queue: BatchQueue?
    do {
      let it = loader.makeIterator()
      XCTAssertNotNil(it.next())
      queue = it.queue
    }  // the iterator is released here, as after a `break`
    XCTAssertTrue(queue!.producerExited)
    XCTAssertLessThan(queue!.produced, 10)

    let it = loader.makeIterator()
    _ = it.next()
    it.stop()
    XCTAssertNil(it.next())
    XCTAssertTrue(it.queue!.producerExited)
  }

  func testBreakOutOfLoopManyTimes() {
    let loader = DataLoader(ds, batchSize: 1, shuffle: true, seed: 5, prefetch: 4)
    for _ in 0 ..< 50 {
      for (k, _) in loader.enumerated() where k == 2 { break }
    }
    XCTAssertEqual(loader.epoch, 50)
  }

  func testImageDatasetWithAugmentThenNormalize() throws {
    let pixels: [UInt8] = (0 ..< 2 * 4).map { UInt8($0 * 30) }
    var images = ImageDataset(pixels: pixels, labels: [3, 4], imageShape: [1, 2, 2], normalization: .fashionMNIST)
    images.normalization = nil
    let invert = try AugmentRegistry.op(named: "Invert")
    let loader = DataLoader(images, batchSize: 2, transform: Compose([
      AugmentTransform([(invert, 1.0, 0)]), Normalize(.fashionMNIST),
    ]))
    let b = Array(loader)[0]
    XCTAssertEqual(b.shape, [2, 1, 2, 2])
    XCTAssertEqual(b.labels, [3, 4])
    for (i, v) in b.data.enumerated() {
      XCTAssertEqual(v, ((255 - Float(pixels[i])) / 255 - 0.2860) / 0.3530, accuracy: 1e-6)
    }
  }

  func testRandomSplitAndSubset() {
    let (train, val) = ds.randomSplit(fraction: 0.8, seed: 9)
    XCTAssertEqual(train.count, 82)
    XCTAssertEqual(val.count, 21)
    XCTAssertEqual(Set(train.indices + val.indices), Set(0 ..< 103))
    XCTAssertEqual(train.item(at: 5), ds.item(at: train.indices[5]))
    XCTAssertEqual(ds.randomSplit(fraction: 0.8, seed: 9).0.indices, train.indices)
  }
}
