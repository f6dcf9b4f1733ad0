import Foundation
import LyraBase
import XCTest
@testable import LyraData

/// PBA's policy (Ho et al. 2019): how many ops a sample gets, each op's probability, the
/// schedule's JSON and per-epoch lookup, and the loader switching policies by epoch.
final class PBAPolicyTests: XCTestCase {
  /// A 1×4×4 image with values 10, 20, ..., 160: Invert maps v to 255 − v, so an image
  /// tells whether it was inverted an odd number of times.
  let base = Sample(features: (1...16).map { Float(10 * $0) }, shape: [1, 4, 4], label: 0)

  func pairs(_ n: Int, _ p: Double, _ m: Double = 0) -> [PBAPolicy.Pair] {
    Array(repeating: PBAPolicy.Pair(probability: p, magnitude: m), count: n)
  }

  /// The fraction of `n` samples that come out inverted.
  func invertedFraction(_ policy: PBAPolicy, n: Int = 20_000, seed: UInt64 = 1) -> Double {
    let g = Generator(seed: seed)
    var inverted = 0
    for _ in 0..<n {
      var s = base
      policy.apply(&s, generator: g)
      if s.features[0] == 245 { inverted += 1 } else { XCTAssertEqual(s, base) }
    }
    return Double(inverted) / Double(n)
  }

  func testOpCountDistribution() throws {
    let g = Generator(seed: 3)
    var counts = [0, 0, 0]
    for _ in 0..<30_000 { counts[PBAPolicy.drawCount(g)] += 1 }
    for (k, p) in PBAPolicy.countProbabilities.enumerated() { XCTAssertEqual(Double(counts[k]) / 30_000, p, accuracy: 0.01) }
    XCTAssertEqual(PBAPolicy.countProbabilities, [0.2, 0.3, 0.5])
    // Three Invert pairs that always apply: a sample gets exactly `count` of them (the walk
    // stops once `count` applied), so it ends inverted only for count 1 — P = 0.3. A rule
    // that applied every entry would invert every sample; "at most 2" would give 0.8.
    XCTAssertEqual(invertedFraction(try PBAPolicy(["Invert": pairs(3, 1)])), 0.3, accuracy: 0.012)
    // Invert and Identity, both always: count 1 picks Invert half the time, count 2 both.
    XCTAssertEqual(invertedFraction(try PBAPolicy(["Invert": pairs(1, 1), "Identity": pairs(1, 1)])), 0.3 * 0.5 + 0.5, accuracy: 0.012)
  }

  func testProbabilities() throws {
    // One entry with probability p: applied when count ≥ 1 (0.8) and the coin says so.
    for p in [0.0, 0.3, 0.7, 1.0] {
      XCTAssertEqual(invertedFraction(try PBAPolicy(["Invert": pairs(1, p)])), 0.8 * p, accuracy: 0.012, "p = \(p)")
    }
    // Two pairs of probability 0.5: the walk tries the second when the first misses, so
    // P(exactly one applied) = P(count=1)·(1 − 0.25) + P(count=2)·2·0.5·0.5 = 0.225 + 0.25.
    XCTAssertEqual(invertedFraction(try PBAPolicy(["Invert": pairs(2, 0.5)])), 0.475, accuracy: 0.012)
  }

  func testZeroProbabilityEntriesChangeNothing() throws {
    let img = Sample(features: (0..<3 * 8 * 8).map { Float(($0 * 37) % 256) }, shape: [3, 8, 8], label: 1)
    let a = try PBAPolicy(["Rotate": [.init(probability: 0.6, magnitude: 7)], "ShearX": [.init(probability: 0.4, magnitude: 3)],
                           "Cutout": pairs(2, 0, 5), "Invert": pairs(2, 0)])
    let b = a.compacted
    XCTAssertEqual(b.pairs.keys.sorted(), ["Rotate", "ShearX"])
    XCTAssertEqual(a.activeCount, 2)
    let ga = Generator(seed: 9), gb = Generator(seed: 9)
    var changed = 0
    for _ in 0..<200 {
      var x = img, y = img
      a.apply(&x, generator: ga)
      b.apply(&y, generator: gb)
      XCTAssertEqual(x, y)
      if x != img { changed += 1 }
    }
    XCTAssertGreaterThan(changed, 50)
    var s = img
    PBAPolicy.none.apply(&s, generator: ga)
    XCTAssertEqual(s, img)
  }

  func testBadPoliciesAreErrors() {
    XCTAssertThrowsError(try PBAPolicy(["Rotat": pairs(1, 0.5)])) { XCTAssertTrue("\($0)".contains("unknown augmentation op 'Rotat'"), "\($0)") }
    XCTAssertThrowsError(try PBAPolicy(["Rotate": pairs(1, 1.5)])) { XCTAssertTrue("\($0)".contains("probability must be in [0, 1]"), "\($0)") }
    XCTAssertThrowsError(try PBAPolicy(["Rotate": pairs(1, 0.5, 11)])) { XCTAssertTrue("\($0)".contains("magnitude must be in [0, 10]"), "\($0)") }
    XCTAssertThrowsError(try PBAPolicy.pairs(from: ["prob1": 0.5], op: "Rotate")) { XCTAssertTrue("\($0)".contains("prob1 without magnitude1"), "\($0)") }
    XCTAssertThrowsError(try PBAPolicy.pairs(from: ["prob1": 0.5, "magnitude1": 2, "mag2": 1], op: "Rotate")) {
      XCTAssertTrue("\($0)".contains("Rotate.mag2: unknown key"), "\($0)")
    }
  }

  func testScheduleJSONRoundTripAndEpochLookup() throws {
    let text = """
      [{"from_epoch": 0, "policy": {}},
       {"from_epoch": 3, "policy": {"Rotate": {"prob1": 0.3, "magnitude1": 4, "prob2": 0, "magnitude2": 2}}},
       {"from_epoch": 6, "policy": {"Rotate": {"prob1": 0.5, "magnitude1": 5}, "Cutout": {"prob1": 0.2, "magnitude1": 8}}}]
      """
    let s = try JSONDecoder().decode(AugmentSchedule.self, from: Data(text.utf8))
    XCTAssertEqual(s.segments.map(\.fromEpoch), [0, 3, 6])
    XCTAssertEqual(s.segments[1].policy.pairs["Rotate"], [.init(probability: 0.3, magnitude: 4), .init(probability: 0, magnitude: 2)])
    XCTAssertEqual(s.policy(forEpoch: 0), .none)
    XCTAssertEqual(s.policy(forEpoch: 2), .none)
    XCTAssertEqual(s.policy(forEpoch: 3), s.segments[1].policy)
    XCTAssertEqual(s.policy(forEpoch: 5), s.segments[1].policy)
    XCTAssertEqual(s.policy(forEpoch: 6), s.segments[2].policy)
    XCTAssertEqual(s.policy(forEpoch: 100), s.segments[2].policy)
    let again = try JSONDecoder().decode(AugmentSchedule.self, from: try JSONEncoder().encode(s))
    XCTAssertEqual(again, s)
    let encoded = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
    XCTAssertTrue(encoded.contains("\"from_epoch\":3"), encoded)
    XCTAssertTrue(encoded.contains("\"magnitude1\":4"), encoded)
    // Epochs must start at 0 and increase.
    XCTAssertThrowsError(try JSONDecoder().decode(AugmentSchedule.self, from: Data(#"[{"from_epoch": 1, "policy": {}}]"#.utf8)))
    XCTAssertThrowsError(try AugmentSchedule([.init(fromEpoch: 0, policy: .none), .init(fromEpoch: 0, policy: .none)])) {
      XCTAssertTrue("\($0)".contains("must increase"), "\($0)")
    }
    XCTAssertThrowsError(try AugmentSchedule([]))
  }

  /// The loader applies each epoch's policy: by epoch number, with or without prefetch,
  /// through `Compose` (augment then normalise), and for a replayed epoch after a resume.
  func testLoaderSwitchesPolicyByEpoch() throws {
    let ds = InMemoryDataset(samples: (0..<40).map { i in Sample(features: base.features, shape: [1, 4, 4], label: Int32(i % 3)) })
    let invert = try PBAPolicy(["Invert": pairs(3, 1)])
    let schedule = try AugmentSchedule([.init(fromEpoch: 0, policy: .none), .init(fromEpoch: 2, policy: invert)])
    func loader(prefetch: Int) -> DataLoader {
      DataLoader(ds, batchSize: 8, shuffle: true, seed: 4,
                 transform: Compose([schedule.transform, Normalize(mean: [0], std: [1])]), prefetch: prefetch)
    }
    func inverted(_ l: DataLoader, epoch: Int) -> Int {
      var n = 0
      let it = l.batches(epoch: epoch)
      while let b = it.next() { for k in 0..<b.count where b.data[16 * k] > 0.5 { n += 1 } }
      return n
    }
    let a = loader(prefetch: 2), b = loader(prefetch: 0)
    XCTAssertEqual(inverted(a, epoch: 0), 0)
    XCTAssertEqual(inverted(a, epoch: 1), 0)
    let e2 = inverted(a, epoch: 2)
    XCTAssertGreaterThan(e2, 3)
    XCTAssertLessThan(e2, 25)
    for e in 0..<5 {
      let x = a.batches(epoch: e), y = b.batches(epoch: e)
      while let p = x.next() { XCTAssertEqual(p, y.next()) }
    }
    // `for batch in loader` follows the epoch counter (set on resume).
    b.setEpoch(3)
    var n = 0
    for batch in b { for k in 0..<batch.count where batch.data[16 * k] > 0.5 { n += 1 } }
    XCTAssertEqual(n, inverted(a, epoch: 3))
    XCTAssertEqual(b.epoch, 4)
    // Used directly, a schedule applies its first segment.
    var s = base
    schedule.transform.apply(&s, generator: Generator(seed: 1))
    XCTAssertEqual(s, base)
  }
}
