import LyraBase
import LyraSpace
import XCTest

@testable import LyraSearch

/// SM-NAS two-level search: blocks first, then the macro around the best blocks.
final class SMNasTests: XCTestCase {
  static let blockSpace = try! DblockNasCodec.space(opNum: [2, 3, 4], skipNum: [0, 1, 2], baseChannel: [32])
  static let macroSpace = try! SearchSpace(parameters: [
    try! Hyperparameter(key: DnetNasCodec.codeLengthKey, type: .int, range: [10, 14]),
    try! Hyperparameter(key: DnetNasCodec.downsampleKey, type: .category, range: [2, 3]),
    try! Hyperparameter(key: DnetNasCodec.baseChannelKey, type: .category, range: [32]),
    try! Hyperparameter(key: DnetNasCodec.finalChannelKey, type: .category, range: [128, 256]),
  ])
  static let objectives = [Objective("accuracy", .maximize), Objective("latency", .minimize)]

  /// Synthetic: accuracy likes conv3 ops (op 0) and add connections, and more blocks;
  /// latency grows with the layer count and the number of blocks.
  static func metrics(_ c: Config) -> [String: Double]? {
    let e = try! DNetEncoding(parsing: c[DblockNasCodec.encodingKey]!.description)
    let b = e.blocks[0]
    let conv3 = Double(b.ops.filter { $0 == 0 }.count), adds = Double(b.connections.filter { !$0.concat }.count)
    if b.ops.first == 6 && b.ops.last == 6 { return nil }
    let acc = 0.5 + 0.05 * conv3 + 0.02 * adds + 0.01 * Double(e.blockCount)
    return ["accuracy": acc, "latency": Double(b.ops.count) * Double(e.blockCount) + 0.1 * Double(e.macro.filter { $0 == "2" }.count)]
  }

  func make(seed: UInt64 = 3, keepBlocks: Int = 1) -> SMNas {
    try! SMNas(blockSpace: Self.blockSpace, macroSpace: Self.macroSpace, objectives: Self.objectives, seed: seed,
               blockTrials: 40, macroTrials: 50, population: 8, keepBlocks: keepBlocks, lengths: 8...18)
  }

  func testMovesToStageTwoWithTheBestBlock() throws {
    let s = make()
    XCTAssertEqual(s.stage, 1)
    var firstStage: [Trial] = []
    for _ in 0..<40 {
      let t = s.ask()!
      firstStage.append(t)
      s.tell(t.id, Self.metrics(t.config).map { TrialResult($0) } ?? .failed())
    }
    XCTAssertTrue(firstStage.allSatisfy { s.stageOf($0.id) == 1 })
    for t in firstStage {
      let e = try DNetEncoding(parsing: t.config[DblockNasCodec.encodingKey]!.description)
      XCTAssertEqual(e.macro, DblockNasCodec.defaultMacro, "stage 1 keeps the macro fixed")
    }
    XCTAssertEqual(s.stage, 1, "stage 2 starts on the next ask")
    // The best block: stage 1's most accurate completed trial (the first objective), the
    // fastest among equally accurate ones (only it is on the front), then the earliest.
    let ok = firstStage.compactMap { t in Self.metrics(t.config).map { (t, $0["accuracy"]!, $0["latency"]!) } }
    let best = ok.min { ($1.1, $0.2, $0.0.id) < ($0.1, $1.2, $1.0.id) }!.0
    let bestBlock = SMNas.blockCode(of: best.config)!
    MOToys.run(s, workers: 2, Self.metrics)
    XCTAssertEqual(s.stage, 2)
    XCTAssertEqual(s.bestBlocks, [bestBlock])
    XCTAssertTrue(s.isDone)
    let second = s.history.trials.filter { s.stageOf($0.id) == 2 }
    XCTAssertEqual(second.count, 50)
    let codec = try DnetNasCodec(space: Self.macroSpace, blockCode: bestBlock, lengths: 8...18)
    var macros = Set<String>()
    for t in second {
      XCTAssertNoThrow(try codec.validate(t.config))
      XCTAssertEqual(SMNas.blockCode(of: t.config), bestBlock)
      macros.insert(try DNetEncoding(parsing: t.config[DblockNasCodec.encodingKey]!.description).macro)
    }
    XCTAssertEqual(macros.count, 50, "stage 2 searches the macro")
    XCTAssertEqual(s.history.trials.map(\.id), Array(0..<90))
  }

  func testWaitsBetweenStagesAndKeepsSeveralBlocks() {
    let s = make(keepBlocks: 3)
    var pending: [Trial] = []
    while let t = s.ask() { pending.append(t) }
    // Stage 1 waits for its initial sample (population 8) to be told.
    XCTAssertEqual(pending.count, 8)
    MOToys.run(s, workers: 4, stopAfterTells: 39, pending: pending, Self.metrics).pending.forEach { t in
      XCTAssertNil(s.ask(), "stage 2 cannot start while a block trial is running")
      s.tell(t.id, Self.metrics(t.config).map { TrialResult($0) } ?? .failed())
    }
    XCTAssertNotNil(s.ask())
    XCTAssertEqual(s.stage, 2)
    XCTAssertLessThanOrEqual(s.bestBlocks.count, 3)
    XCTAssertGreaterThanOrEqual(s.bestBlocks.count, 2)
    XCTAssertEqual(Set(s.bestBlocks).count, s.bestBlocks.count)
  }

  func testStateRestoreAcrossTheStageBoundary() throws {
    let whole = MOToys.run(make(), workers: 3, Self.metrics).log
    for cut in [10, 38, 40, 41, 60] {
      let first = make()
      let (head, pending) = MOToys.run(first, workers: 3, stopAfterTells: cut, Self.metrics)
      let text = first.state().text
      let second = make()
      try second.restore(try JSON.parse(Data(text.utf8)))
      XCTAssertEqual(second.stage, first.stage, "cut \(cut)")
      XCTAssertEqual(second.bestBlocks, first.bestBlocks, "cut \(cut)")
      let tail = MOToys.run(second, workers: 3, pending: pending, Self.metrics).log
      XCTAssertEqual(head + tail, whole, "cut \(cut)")
    }
    XCTAssertThrowsError(try make(seed: 4).restore(make().state()) )
  }

  func testAllBlocksFailingEndsTheSearch() {
    let s = make()
    MOToys.run(s) { _ in nil }
    XCTAssertTrue(s.gaveUp)
    XCTAssertTrue(s.isDone)
    XCTAssertEqual(s.history.trials.count, 40)
    XCTAssertThrowsError(try SMNas(blockSpace: Self.blockSpace, macroSpace: Self.blockSpace, blockTrials: 5, macroTrials: 5))
  }
}
