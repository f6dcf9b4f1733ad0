import LyraBase
import LyraSpace

/// SM-NAS-style two-level search (Yao, Xu, Li, Zhang, Li, "SM-NAS: Structural-to-Modular
/// Neural Architecture Search for Object Detection", AAAI 2020), in the form VEGA ships
/// for D-Nets (DblockNas then DnetNas, docs/algorithms/sm_nas.md), as one ask/tell algorithm.
///
/// Stage 1 searches the *block* (`DblockNasCodec`, fixed macro) for `blockTrials`
/// trials. When they are all told, the `keepBlocks` best block codes of stage 1's Pareto
/// front (ordered by the first objective) are fixed and stage 2 searches the *macro*
/// (`DnetNasCodec` over `macroSpace`) for `macroTrials` trials. Both stages are
/// `ParetoEvolution`s with the same objectives, population and operators.
///
/// Why two levels: the block decides the cost per block and the macro how many blocks at
/// which width; searching them jointly multiplies two large spaces, while fixing the good
/// blocks first lets the second search spend its trials on depth and width only (SM-NAS's
/// structural-then-modular split; VEGA's DblockNas → DnetNas hand-off).
///
/// Trial ids are this algorithm's (0, 1, 2, ... over both stages); `stageOf` says which
/// stage a trial belongs to. Between the stages `ask` returns nil until stage 1 is all
/// told. If every block trial failed there is no block to keep and the search ends.
/// Restore is exact: both stages are rebuilt by replaying this algorithm's events.
public final class SMNas: SearchBase {
  public let blockCodec: DblockNasCodec
  public let macroSpace: SearchSpace
  public let seed: UInt64
  public let blockTrials: Int
  public let macroTrials: Int
  public let population: Int
  public let randomSamples: Int?
  public let mutationsPerChild: Int
  public let randomRatio: Double
  public let keepBlocks: Int
  public let lengths: ClosedRange<Int>?
  public let budget: Double?
  /// Stage 1 (block search) and, once started, stage 2 (macro search).
  public let blockSearch: ParetoEvolution
  public private(set) var macroSearch: ParetoEvolution?
  /// The block codes fixed for stage 2 (empty during stage 1).
  public private(set) var bestBlocks: [String] = []
  /// True when stage 1 ended with no successful trial.
  public private(set) var gaveUp = false
  private var inner: [Int: (stage: Int, id: Int)] = [:]

  /// The stage new trials come from: 1 (blocks) or 2 (macro).
  public var stage: Int { macroSearch == nil ? 1 : 2 }
  /// The stage a trial of this algorithm belongs to.
  public func stageOf(_ trialID: Int) -> Int? { inner[trialID]?.stage }

  public init(blockSpace: SearchSpace, macroSpace: SearchSpace, objectives: [Objective] = [Objective("loss")], seed: UInt64 = 0,
              blockTrials: Int, macroTrials: Int, population: Int = 16, randomSamples: Int? = nil, mutationsPerChild: Int = 1,
              randomRatio: Double = 0, keepBlocks: Int = 1, macro: String = DblockNasCodec.defaultMacro,
              lengths: ClosedRange<Int>? = nil, budget: Double? = nil) throws {
    guard blockTrials >= 1, macroTrials >= 0, keepBlocks >= 1 else {
      throw CodecError("SM-NAS needs blockTrials ≥ 1, macroTrials ≥ 0 and keepBlocks ≥ 1")
    }
    self.blockCodec = try DblockNasCodec(space: blockSpace, macro: macro)
    // Checks the macro space now, with a stand-in block, so a bad space fails at load time.
    _ = try DnetNasCodec(space: macroSpace, blockCode: "0-", lengths: lengths)
    self.macroSpace = macroSpace
    self.seed = seed
    self.blockTrials = blockTrials
    self.macroTrials = macroTrials
    self.population = population
    self.randomSamples = randomSamples
    self.mutationsPerChild = mutationsPerChild
    self.randomRatio = randomRatio
    self.keepBlocks = keepBlocks
    self.lengths = lengths
    self.budget = budget
    self.blockSearch = ParetoEvolution(codec: blockCodec, objectives: objectives, seed: seed, population: population,
                                       maxTrials: blockTrials, randomSamples: randomSamples.map { min($0, blockTrials) },
                                       mutationsPerChild: mutationsPerChild, randomRatio: randomRatio)
    super.init(objectives: objectives)
  }

  public override func propose() -> Trial? {
    if macroSearch == nil {
      if let t = blockSearch.ask() { return forward(t, stage: 1) }
      guard blockSearch.isDone, !gaveUp else { return nil }
      startMacroSearch()
    }
    guard let s = macroSearch, let t = s.ask() else { return nil }
    return forward(t, stage: 2)
  }

  private func forward(_ t: Trial, stage: Int) -> Trial {
    let outer = newTrial(t.config, budget: budget)
    inner[outer.id] = (stage, t.id)
    return outer
  }

  /// Fixes the best blocks of stage 1's front and builds stage 2.
  private func startMacroSearch() {
    let front = blockSearch.paretoFront()
      .map { (code: Self.blockCode(of: $0.trial.config), loss: Ranking.losses($0.result, objectives)[0]) }
      .enumerated().sorted { $0.element.loss < $1.element.loss || ($0.element.loss == $1.element.loss && $0.offset < $1.offset) }
      .compactMap(\.element.code)
    var blocks: [String] = []
    for b in front where !blocks.contains(b) && blocks.count < keepBlocks { blocks.append(b) }
    guard !blocks.isEmpty, macroTrials > 0 else { gaveUp = true; return }
    bestBlocks = blocks
    let codec = try! DnetNasCodec(space: macroSpace, blockCodes: blocks, lengths: lengths)
    macroSearch = ParetoEvolution(codec: codec, objectives: objectives, seed: seed &+ 0x9E37_79B9_7F4A_7C15, population: population,
                                  maxTrials: macroTrials, randomSamples: randomSamples.map { min($0, macroTrials) },
                                  mutationsPerChild: mutationsPerChild, randomRatio: randomRatio)
  }

  /// The block part of a config's DNet encoding.
  static func blockCode(of c: Config) -> String? {
    guard case .string(let s)? = c[DblockNasCodec.encodingKey] else { return nil }
    return s.split(separator: "_", omittingEmptySubsequences: false).first.map(String.init)
  }

  public override func observe(_ trial: Trial, _ result: TrialResult) {
    guard let (stage, id) = inner[trial.id] else { return }
    (stage == 1 ? blockSearch : macroSearch!).tell(id, result)
  }

  public override var exhausted: Bool { gaveUp || (macroSearch?.exhausted ?? false) }

  public override var settings: JSON {
    .object(["algorithm": .string("sm_nas"), "seed": StateCodec.uint64(seed), "block_codec": blockCodec.settings,
             "macro_keys": .array(macroSpace.keys.map { .string($0) }), "macro_dimension": JSON(macroSpace.dimension),
             "objectives": .array(objectives.map { .array([.string($0.name), .string($0.direction.rawValue)]) }),
             "block_trials": JSON(blockTrials), "macro_trials": JSON(macroTrials), "population": JSON(population),
             "random_samples": StateCodec.optionalInt(randomSamples), "mutations_per_child": JSON(mutationsPerChild),
             "random_ratio": StateCodec.double(randomRatio), "keep_blocks": JSON(keepBlocks),
             "lengths": lengths.map { .array([JSON($0.lowerBound), JSON($0.upperBound)]) } ?? .null,
             "budget": StateCodec.optionalDouble(budget)])
  }
}
