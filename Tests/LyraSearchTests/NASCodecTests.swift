import LyraBase
import LyraSpace
import XCTest

@testable import LyraSearch

/// The NAS codecs always hand out individuals the network builders accept: property tests
/// over many seeds, plus the DNet grammar on VEGA's own strings.
final class NASCodecTests: XCTestCase {
  func hp(_ key: String, _ type: ParamType, _ range: [ParamValue]) -> Hyperparameter { try! Hyperparameter(key: key, type: type, range: range) }

  // MARK: DNet grammar

  func testDNetGrammarAcceptsVegaEncodings() throws {
    // VEGA's documented examples (docs/algorithms/pareto_ea.md#dnet-encodings) and strings of VEGA's model zoo form.
    for s in ["031-_64_12-1111-11211112-2", "031-a02_64_211-2111-211111-211", "0-_32_1", "0213141-c13a24_16_-1-21",
              "031-*1-a01*2_64_1-1-2", "6_8_12"] {
      let e = try DNetEncoding(parsing: s)
      XCTAssertEqual(try DNetEncoding(parsing: e.description), e, s)
    }
    let e = try DNetEncoding(parsing: "031-_64_12-1111-11211112-2")
    XCTAssertEqual(e.blockCount, 15, "the §10 example builds 15 blocks")
    XCTAssertEqual(e.blocks[0].ops, [0, 1])
    XCTAssertEqual(e.blocks[0].channels, [3])
    XCTAssertEqual(e.channels, 64)
    let c = try DNetBlock(parsing: "0213141-c13a24")
    XCTAssertEqual(c.ops, [0, 1, 1, 1])
    XCTAssertEqual(c.connections, [DNetConnection(concat: true, from: 1, to: 3), DNetConnection(concat: false, from: 2, to: 4)])
    XCTAssertEqual(c.description, "0213141-c13a24")
  }

  func testDNetGrammarRejects() {
    for bad in ["031-_64_1--2", "031-_64_12-", "031-_64_", "031-_64_-", "071-_64_1", "051-_64_1", "03-_64_1", "031-a21_64_1",
                "031-a03_64_1", "031-b01_64_1", "031-a0_64_1", "031-_0_1", "031-_x_1", "031_64", "031-_64_1_2", "031-a01-a01_64_1",
                "031-_64_102", "0-*1-_64_1-1-1", "0-*1-*2-_64_1-1", "0-_1_1", "0102030405060708090-_8_1"] {
      XCTAssertThrowsError(try DNetEncoding(parsing: bad), bad)
    }
  }

  // MARK: BackboneNas

  func backboneSpace(counts: Bool = true) -> SearchSpace {
    var p = [hp(BackboneNasCodec.depthKey, .category, [18, 20, 34, 50, 101, 152]),
             hp(BackboneNasCodec.baseChannelKey, .category, [32, 48, 64]),
             hp("trainer.optimizer.params.lr", .floatExp, [1e-3, 1e-1])]
    if counts {
      p += [hp(BackboneNasCodec.doubleChannelKey, .int, [1, 4]), hp(BackboneNasCodec.downsampleKey, .int, [0, 5])]
    }
    return try! SearchSpace(parameters: p)
  }

  func ones(_ v: ParamValue?) -> Int { BackboneNasCodec.bits(v)!.reduce(0, +) }

  func testBackboneBlockCountsAndStandardLayouts() throws {
    XCTAssertEqual(BackboneNasCodec.blocks, [18: 8, 20: 9, 34: 16, 50: 16, 101: 33, 152: 50])
    XCTAssertEqual(BackboneNasCodec.standardLayout(depth: 18), [0, 0, 1, 0, 1, 0, 1, 0])
    XCTAssertEqual(BackboneNasCodec.standardLayout(depth: 34), [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0])
    XCTAssertEqual(BackboneNasCodec.standardLayout(depth: 20), [0, 0, 0, 1, 0, 0, 1, 0, 0])
    for (d, n) in BackboneNasCodec.blocks { XCTAssertEqual(BackboneNasCodec.standardLayout(depth: d)!.count, n) }
    // Without counts in the space, both lists are the standard layout.
    let codec = try BackboneNasCodec(space: backboneSpace(counts: false))
    let c = codec.sample(Generator(seed: 1))
    let depth = c[BackboneNasCodec.depthKey]!.number.map(Int.init)!
    XCTAssertEqual(BackboneNasCodec.bits(c[BackboneNasCodec.doubleChannelKey]), BackboneNasCodec.standardLayout(depth: depth))
    XCTAssertNoThrow(try codec.validate(c))
  }

  func testBackboneSamplesAndMutationsKeepLengthsAndCounts() throws {
    let codec = try BackboneNasCodec(space: backboneSpace(), swapDistance: 3)
    var depths = Set<Int>(), moved = 0
    for seed in UInt64(0)..<300 {
      let g = Generator(seed: seed)
      var c = codec.sample(g)
      try codec.validate(c)
      guard case .int(let depth)? = c[BackboneNasCodec.depthKey] else { return XCTFail("depth must be an int") }
      depths.insert(depth)
      let n = BackboneNasCodec.blocks[depth]!
      let (dc, ds) = (ones(c[BackboneNasCodec.doubleChannelKey]), ones(c[BackboneNasCodec.downsampleKey]))
      XCTAssertTrue((1...4).contains(dc) && (0...5).contains(ds))
      let lr = c["trainer.optimizer.params.lr"]
      XCTAssertNotNil(lr, "other keys of the space are carried")
      for _ in 0..<20 {
        let m = codec.mutate(c, g)
        try codec.validate(m)
        XCTAssertEqual(BackboneNasCodec.bits(m[BackboneNasCodec.doubleChannelKey])!.count, n)
        XCTAssertEqual(BackboneNasCodec.bits(m[BackboneNasCodec.downsampleKey])!.count, n)
        XCTAssertEqual(ones(m[BackboneNasCodec.doubleChannelKey]), dc, "mutation keeps the count")
        XCTAssertEqual(ones(m[BackboneNasCodec.downsampleKey]), ds)
        XCTAssertEqual(m[BackboneNasCodec.depthKey], c[BackboneNasCodec.depthKey])
        XCTAssertEqual(m["trainer.optimizer.params.lr"], lr)
        if m != c { moved += 1 }
        c = m
      }
    }
    XCTAssertEqual(depths, [18, 20, 34, 50, 101, 152])
    XCTAssertGreaterThan(moved, 300 * 20 / 2, "most mutations change the layout")
    // Crossover of equal depths mixes the two lists; different depths do not cross.
    let g = Generator(seed: 3)
    let a = codec.sample(g)
    var b = codec.mutate(codec.mutate(a, g), g)
    let x = codec.crossover(a, b, g)!
    try codec.validate(x)
    XCTAssertTrue([a, b].contains { $0[BackboneNasCodec.doubleChannelKey] == x[BackboneNasCodec.doubleChannelKey] })
    b[BackboneNasCodec.depthKey] = a[BackboneNasCodec.depthKey] == .int(18) ? .int(34) : .int(18)
    XCTAssertNil(codec.crossover(a, b, g))
  }

  func testBackboneRejectsImpossibleSpaces() {
    XCTAssertThrowsError(try BackboneNasCodec(space: try SearchSpace(parameters: [hp(BackboneNasCodec.depthKey, .category, [18, 19])])))
    XCTAssertThrowsError(try BackboneNasCodec(space: try SearchSpace(parameters: [hp("network.backbone.width", .category, [1])])))
    // 9 ones cannot fit ResNet-18's 8 blocks.
    XCTAssertThrowsError(try BackboneNasCodec(space: try SearchSpace(parameters: [
      hp(BackboneNasCodec.depthKey, .category, [18, 50]), hp(BackboneNasCodec.downsampleKey, .int, [1, 9]),
    ])))
    let codec = try! BackboneNasCodec(space: backboneSpace())
    var c = codec.sample(Generator(seed: 0))
    c[BackboneNasCodec.downsampleKey] = .list([1, 0])
    XCTAssertThrowsError(try codec.validate(c))
  }

  // MARK: DblockNas

  func testDblockSamplesAndMutationsAreValidBlocks() throws {
    let space = try DblockNasCodec.space(opNum: [1, 2, 3, 4, 5], skipNum: [0, 1, 2, 3, 20], baseChannel: [32, 64])
    let codec = try DblockNasCodec(space: space)
    var capped = 0, concat = 0, add = 0
    for seed in UInt64(0)..<400 {
      let g = Generator(seed: seed)
      var c = codec.sample(g)
      try codec.validate(c)
      var e = try DNetEncoding(parsing: c[DblockNasCodec.encodingKey]!.description)
      XCTAssertEqual(e.macro, DblockNasCodec.defaultMacro)
      XCTAssertTrue([32, 64].contains(e.channels))
      let layers = e.blocks[0].ops.count
      XCTAssertTrue((1...5).contains(layers))
      XCTAssertEqual(e.blocks[0].channels.count, layers - 1)
      let possible = layers * (layers + 1) / 2 - 1
      XCTAssertLessThanOrEqual(e.blocks[0].connections.count, min(20, possible))
      if e.blocks[0].connections.count == possible { capped += 1 }
      for k in e.blocks[0].connections { if k.concat { concat += 1 } else { add += 1 } }
      for _ in 0..<10 {
        let m = codec.mutate(c, g)
        try codec.validate(m)
        let f = try DNetEncoding(parsing: m[DblockNasCodec.encodingKey]!.description)
        XCTAssertEqual(f.blocks[0].ops.count, layers, "mutation keeps op_num")
        XCTAssertEqual(f.blocks[0].connections.count, e.blocks[0].connections.count, "and skip_num")
        XCTAssertEqual(f.channels, e.channels)
        XCTAssertNotEqual(m, c, "a mutation always changes the block")
        c = m
        e = f
      }
    }
    XCTAssertGreaterThan(capped, 0)
    XCTAssertEqual(Double(concat) / Double(concat + add), 0.5, accuracy: 0.05)
    // Connections are a uniform subset, not always the first pairs (VEGA's permutation(skip_num) slip).
    let firsts = (UInt64(0)..<200).map { s -> String in
      DblockNasCodec.randomBlock(layers: 4, skips: 1, Generator(seed: s)).connections[0].description.dropFirst().description
    }
    XCTAssertGreaterThan(Set(firsts).count, 5)
    XCTAssertEqual(DblockNasCodec.pairs(layers: 2).map { "\($0.0)\($0.1)" }, ["01", "12"])
  }

  func testDblockRejectsBadSettings() {
    XCTAssertThrowsError(try DblockNasCodec(space: try DblockNasCodec.space(opNum: [10], skipNum: [0], baseChannel: [32])))
    XCTAssertThrowsError(try DblockNasCodec(space: try DblockNasCodec.space(opNum: [3], skipNum: [0], baseChannel: [32]), macro: "1--1"))
    XCTAssertThrowsError(try DblockNasCodec(space: try SearchSpace(parameters: [hp(DblockNasCodec.opNumKey, .category, [3])])))
  }

  // MARK: DnetNas

  func dnetSpace() -> SearchSpace {
    try! SearchSpace(parameters: [
      hp(DnetNasCodec.codeLengthKey, .int, [10, 20]), hp(DnetNasCodec.downsampleKey, .int, [1, 4]),
      hp(DnetNasCodec.baseChannelKey, .category, [32, 64]), hp(DnetNasCodec.finalChannelKey, .category, [128, 256, 512]),
    ])
  }

  /// Checks the macro constraints and returns (length, '-' count, '2' count).
  func macroShape(_ c: Config, block: String) throws -> (Int, Int, Int) {
    let text = c[DnetNasCodec.encodingKey]!.description
    let parts = text.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
    XCTAssertEqual(parts[0], block)
    let m = Array(parts[2])
    XCTAssertNotEqual(m.last, "-", text)
    for i in 1..<m.count { XCTAssertFalse(m[i] == "-" && m[i - 1] == "-", text) }
    XCTAssertTrue(m.allSatisfy { "12-".contains($0) }, text)
    _ = try DNetEncoding(parsing: text)
    return (m.count, m.filter { $0 == "-" }.count, m.filter { $0 == "2" }.count)
  }

  func testDnetSamplesHaveTheRequestedShape() throws {
    let codec = try DnetNasCodec(space: dnetSpace(), blockCode: "031-a02")
    for seed in UInt64(0)..<500 {
      let g = Generator(seed: seed)
      // The same stream as the codec's: its space draw comes first.
      let s = dnetSpace().sample(Generator(seed: seed))
      let c = codec.sample(g)
      try codec.validate(c)
      let (len, downs, twos) = try macroShape(c, block: "031-a02")
      XCTAssertEqual(len, NASSpace.int(s, DnetNasCodec.codeLengthKey))
      XCTAssertEqual(downs, NASSpace.int(s, DnetNasCodec.downsampleKey))
      let t = NASSpace.int(s, DnetNasCodec.finalChannelKey)! / NASSpace.int(s, DnetNasCodec.baseChannelKey)!
      XCTAssertEqual(1 << twos, t, "log2(final/base) doublings")
    }
  }

  func testDnetMacroSamplingIsUniformOverValidMacros() {
    // Length 4, one '-', one '2': 3 units carry the '-', 3 digits the '2' → 9 macros.
    let g = Generator(seed: 11)
    var counts: [String: Int] = [:]
    for _ in 0..<9000 { counts[DnetNasCodec.randomMacro(length: 4, downsample: 1, doublings: 1, g), default: 0] += 1 }
    XCTAssertEqual(counts.keys.sorted(), ["-112", "-121", "-211", "1-12", "1-21", "11-2", "12-1", "2-11", "21-1"])
    for (m, n) in counts { XCTAssertEqual(Double(n), 1000, accuracy: 120, m) }
  }

  func testDnetMutationsKeepConstraints() throws {
    let codec = try DnetNasCodec(space: dnetSpace(), blockCodes: ["031-a02", "1-"])
    let bounded = try DnetNasCodec(space: dnetSpace(), blockCodes: ["031-a02"], lengths: 8...22)
    var lengths = Set<Int>(), kinds = Set<Int>()
    for seed in UInt64(0)..<200 {
      let g = Generator(seed: seed)
      var c = codec.sample(g)
      let block = c[DnetNasCodec.encodingKey]!.description.split(separator: "_")[0].description
      let (len0, d, t) = try macroShape(c, block: block)
      var b = bounded.sample(g)
      for _ in 0..<40 {
        let m = codec.mutate(c, g)
        try codec.validate(m)
        let (len, dd, tt) = try macroShape(m, block: block)
        XCTAssertEqual(dd, d, "'-' count kept")
        XCTAssertEqual(tt, t, "'2' count kept")
        let before = try macroShape(c, block: block).0
        XCTAssertTrue(abs(len - before) <= 1)
        kinds.insert(len - before + 1)
        lengths.insert(len - len0)
        c = m
        b = bounded.mutate(b, g)
        try bounded.validate(b)
        let bl = try macroShape(b, block: "031-a02").0
        XCTAssertTrue((8...22).contains(bl))
      }
    }
    XCTAssertEqual(kinds, [0, 1, 2], "remove, swap and insert all happen")
    XCTAssertGreaterThan(lengths.count, 5, "lengths drift without bounds, as in VEGA")
    // By hand: with the length fixed at 3, "-21" can only swap.
    let g = Generator(seed: 2)
    var seen = Set<String>()
    for _ in 0..<200 { seen.insert(DnetNasCodec.mutate(macro: "-21", lengths: 3...3, g)) }
    XCTAssertEqual(seen, ["2-1", "-12"], "with the length fixed, only the two swaps are legal")
  }

  func testDnetRejectsImpossibleSpaces() {
    func space(_ len: [ParamValue], _ down: [ParamValue], _ base: [ParamValue], _ fin: [ParamValue]) -> SearchSpace {
      try! SearchSpace(parameters: [hp(DnetNasCodec.codeLengthKey, .category, len), hp(DnetNasCodec.downsampleKey, .category, down),
                                    hp(DnetNasCodec.baseChannelKey, .category, base), hp(DnetNasCodec.finalChannelKey, .category, fin)])
    }
    XCTAssertNoThrow(try DnetNasCodec(space: space([6], [3], [32], [64]), blockCode: "0-"))
    XCTAssertThrowsError(try DnetNasCodec(space: space([5], [3], [32], [64]), blockCode: "0-"))
    XCTAssertThrowsError(try DnetNasCodec(space: space([8], [2], [32], [96]), blockCode: "0-"), "96/32 is not a power of 2")
    XCTAssertThrowsError(try DnetNasCodec(space: space([8], [2], [32], [64]), blockCode: "9-"))
    XCTAssertThrowsError(try DnetNasCodec(space: space([8], [2], [32], [64]), blockCodes: []))
  }

  // MARK: SpaceCodec

  func testSpaceCodecCrossoverKeepsConditionsValid() throws {
    let space = try SearchSpace(parameters: [
      hp("opt", .category, ["sgd", "adam"]), hp("momentum", .float, [0, 0.99]), hp("beta1", .float, [0.8, 0.99]), hp("lr", .floatExp, [1e-4, 1]),
    ], conditions: [Condition(child: "momentum", parent: "opt", rule: .equal("sgd")), Condition(child: "beta1", parent: "opt", rule: .equal("adam"))])
    let codec = SpaceCodec(space: space)
    let g = Generator(seed: 8)
    var made = 0
    for _ in 0..<300 {
      let a = codec.sample(g), b = codec.sample(g)
      guard let x = codec.crossover(a, b, g) else { continue }
      made += 1
      try codec.validate(x)
      for k in x.keys { XCTAssertTrue(x[k] == a[k] || x[k] == b[k]) }
    }
    XCTAssertGreaterThan(made, 250)
  }
}

/// ConstrainedCodec: redraws until a constraint the codec cannot see holds.
final class ConstrainedCodecTests: XCTestCase {
  func testSamplesAndMutantsSatisfyTheConstraint() throws {
    let space = try SearchSpace(parameters: [try Hyperparameter(key: "x", type: .int, range: [0, 99])])
    let even = ConstrainedCodec(SpaceCodec(space: space), name: "even") { c in
      if case .int(let i)? = c["x"] { return i % 2 == 0 }
      return false
    }
    let g = Generator(seed: 4)
    for _ in 0..<200 {
      let c = even.sample(g)
      guard case .int(let i)? = c["x"] else { return XCTFail("no x") }
      XCTAssertEqual(i % 2, 0)
      guard case .int(let j)? = even.mutate(c, g)["x"] else { return XCTFail("no x") }
      XCTAssertEqual(j % 2, 0)
    }
    XCTAssertThrowsError(try even.validate(["x": .int(3)]))
    XCTAssertNoThrow(try even.validate(["x": .int(4)]))
    // An impossible constraint ends after `attempts` draws instead of looping.
    let never = ConstrainedCodec(SpaceCodec(space: space), name: "never", attempts: 5) { _ in false }
    XCTAssertNotNil(never.sample(g)["x"])
  }
}
