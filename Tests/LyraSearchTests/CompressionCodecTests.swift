import LyraBase
import LyraSpace
import XCTest

@testable import LyraSearch

/// The Prune-EA and Quant-EA genomes: every individual is one the compression steps can
/// build, the operators do what VEGA's do, and Pareto evolution over them finds a known front.
final class CompressionCodecTests: XCTestCase {
  func masks(_ c: Config) -> [[Int]] {
    guard case .list(let l)? = c[PruneCodec.masksKey] else { return [] }
    return l.map { GenomeOps.ints($0)! }
  }

  func testPruneSamplesAndMutantsAreValidAndKeepTheMinimum() throws {
    let codec = try PruneCodec(channels: [16, 32, 8], minKeep: 0.5, flipRate: 0.1, keepProbability: 0...1)
    XCTAssertEqual([codec.minimum(0), codec.minimum(1), codec.minimum(2)], [8, 16, 4])
    XCTAssertEqual(codec.length, 56)
    var kept: [Double] = []
    for seed in UInt64(0)..<200 {
      let g = Generator(seed: seed)
      let c = codec.sample(g)
      try codec.validate(c)
      XCTAssertEqual(masks(c).map(\.count), [16, 32, 8])
      let m = codec.mutate(c, g)
      try codec.validate(m)
      XCTAssertNotEqual(m, c, "a mutant differs from its parent")
      kept.append(codec.keptFraction(c)!)
    }
    XCTAssertLessThan(kept.min()!, 0.6, "keep probabilities spread over the range")
    XCTAssertGreaterThan(kept.max()!, 0.9)
  }

  func testPruneMutationFlipsAboutTheRateOfBits() throws {
    let codec = try PruneCodec(channels: [100, 100], minKeep: 0, flipRate: 0.1)
    var flips = 0
    let g = Generator(seed: 3)
    let parent = codec.sample(g)
    for _ in 0..<100 {
      let a = masks(parent).flatMap { $0 }, b = masks(codec.mutate(parent, g)).flatMap { $0 }
      flips += zip(a, b).filter { $0 != $1 }.count
    }
    XCTAssertEqual(Double(flips) / 100, 20, accuracy: 3, "200 bits × 0.1 (a group at its one-channel minimum may add a repair)")
  }

  /// Two-point crossover: the child is one parent with one contiguous slice of the other.
  func testPruneCrossoverIsTwoPoint() throws {
    let codec = try PruneCodec(channels: [10, 10], minKeep: 0)
    let zeros = [PruneCodec.masksKey: ParamValue.list([GenomeOps.list([1] + Array(repeating: 0, count: 9)),
                                                       GenomeOps.list([1] + Array(repeating: 0, count: 9))])]
    let ones = [PruneCodec.masksKey: ParamValue.list([GenomeOps.list(Array(repeating: 1, count: 10)),
                                                      GenomeOps.list(Array(repeating: 1, count: 10))])]
    var segments = Set<[Int]>()
    for seed in UInt64(0)..<200 {
      let child = try XCTUnwrap(codec.crossover(zeros, ones, Generator(seed: seed)))
      try codec.validate(child)
      let bits = masks(child).flatMap { $0 }, z = masks(zeros).flatMap { $0 }, o = masks(ones).flatMap { $0 }
      let fromOther = bits.indices.filter { bits[$0] != z[$0] }
      let fromZeros = bits.indices.filter { bits[$0] != o[$0] }
      // the positions taken from the other parent are all the differing positions of one index range
      func isRun(_ s: [Int]) -> Bool {
        guard let f = s.first, let l = s.last else { return true }
        return s == Array(f...l).filter { z[$0] != o[$0] }
      }
      XCTAssertTrue(isRun(fromOther) || isRun(fromZeros), "seed \(seed): \(bits)")
      segments.insert(fromOther)
    }
    XCTAssertGreaterThan(segments.count, 30, "cut points vary")
  }

  func testPruneValidateNamesTheProblem() throws {
    let codec = try PruneCodec(channels: [4, 2], minKeep: 0.5)
    func expect(_ v: ParamValue?, _ fragment: String, line: UInt = #line) {
      var c = Config()
      c[PruneCodec.masksKey] = v
      XCTAssertThrowsError(try codec.validate(c), line: line) { XCTAssertTrue("\($0)".contains(fragment), "\($0)", line: line) }
    }
    expect(nil, "missing")
    expect(.list([GenomeOps.list([1, 1, 1, 1])]), "1 masks for 2 prunable groups")
    expect(.list([GenomeOps.list([1, 1, 1]), GenomeOps.list([1, 1])]), "[1]: 3 entries for 4 channels")
    expect(.list([GenomeOps.list([1, 2, 1, 1]), GenomeOps.list([1, 1])]), "[1]: not a list of 0/1 ints")
    expect(.list([GenomeOps.list([1, 0, 0, 0]), GenomeOps.list([1, 1])]), "keeps 1 of 4 channels, fewer than the minimum 2")
    XCTAssertThrowsError(try PruneCodec(channels: []))
    XCTAssertThrowsError(try PruneCodec(channels: [4], minKeep: 2))
    XCTAssertNoThrow(try codec.validate([PruneCodec.masksKey: .list([GenomeOps.list([0, 1, 1, 0]), GenomeOps.list([0, 1])])]))
  }

  func testQuantSamplesMutantsAndCrossovers() throws {
    let codec = try QuantCodec(layers: 6, bitCandidates: [2, 4, 8], activations: true)
    XCTAssertEqual(codec.mutationRate, 1.0 / 12)
    var seen = Set<Int>()
    for seed in UInt64(0)..<200 {
      let g = Generator(seed: seed)
      let a = codec.sample(g), b = codec.sample(g)
      try codec.validate(a)
      seen.formUnion(GenomeOps.ints(a[QuantCodec.bitsKey])! + GenomeOps.ints(a[QuantCodec.activationBitsKey])!)
      let m = codec.mutate(a, g)
      try codec.validate(m)
      XCTAssertNotEqual(m, a)
      let child = try XCTUnwrap(codec.crossover(a, b, g))
      try codec.validate(child)
      let x = codec.decode(a)!, y = codec.decode(b)!, z = codec.decode(child)!
      XCTAssertTrue(z.indices.allSatisfy { z[$0] == x[$0] || z[$0] == y[$0] })
    }
    XCTAssertEqual(seen, [2, 4, 8])
    XCTAssertThrowsError(try QuantCodec(layers: 3, bitCandidates: [1, 8])) { XCTAssertTrue("\($0)".contains("1 is not a supported width"), "\($0)") }
    XCTAssertThrowsError(try codec.validate([QuantCodec.bitsKey: GenomeOps.list([8, 8, 8, 8, 8, 16]),
                                             QuantCodec.activationBitsKey: GenomeOps.list([8, 8, 8, 8, 8, 8])])) {
      XCTAssertTrue("\($0)".contains("16 is not one of the bit candidates"), "\($0)")
    }
    let weightsOnly = try QuantCodec(layers: 2, bitCandidates: [4, 8])
    XCTAssertNil(weightsOnly.sample(Generator(seed: 1))[QuantCodec.activationBitsKey])
  }

  /// Companion hyperparameters are sampled with the individual and carried unchanged.
  func testCompanionSpaceKeys() throws {
    let space = try SearchSpace(parameters: [try Hyperparameter(key: "trainer.lr", type: .category, range: [.double(0.01), .double(0.1)])])
    let codec = try PruneCodec(channels: [4], space: space)
    let c = codec.sample(Generator(seed: 2))
    XCTAssertNotNil(c["trainer.lr"])
    XCTAssertEqual(codec.mutate(c, Generator(seed: 3))["trainer.lr"], c["trainer.lr"])
    var bad = c
    bad["trainer.lr"] = .double(0.5)
    XCTAssertThrowsError(try codec.validate(bad))
    XCTAssertThrowsError(try PruneCodec(channels: [4], space: try SearchSpace(parameters: [
      try Hyperparameter(key: PruneCodec.masksKey, type: .int, range: [0, 1]),
    ])))
  }

  /// Prune-EA on a toy with a known front: removing an "important" channel costs one
  /// unit of error, every kept channel one unit of FLOPs. With at least one channel per
  /// group, the front is (FLOPs 3, error 0) and (FLOPs 2, error 1): keep exactly the
  /// important channels, or the two that keep a group alive at the least error.
  func testParetoEvolutionFindsTheKnownPruningFront() throws {
    let important: [[Int]] = [[0, 1], [2]]
    let codec = try PruneCodec(channels: [6, 6], minKeep: 0)
    for seed in UInt64(0)..<3 {
      let alg = ParetoEvolution(codec: codec, objectives: [Objective("error"), Objective("flops")], seed: seed,
                                population: 12, maxTrials: 250, crossoverRate: 0.5)
      MOToys.run(alg) { c in
        let m = self.masks(c)
        let error = important.enumerated().map { g, idx in idx.filter { m[g][$0] == 0 }.count }.reduce(0, +)
        return ["error": Double(error), "flops": Double(m.flatMap { $0 }.reduce(0, +))]
      }
      let front = Set(alg.paretoFront().map { [$0.result.metrics["error"]!, $0.result.metrics["flops"]!] })
      XCTAssertEqual(front, [[0, 3], [1, 2]], "seed \(seed)")
    }
  }
}
