import Foundation
import XCTest
import LyraBase
@testable import LyraPipeline
import LyraSearch

/// The search-algorithm factory's table: every entry builds from its smallest config and
/// asks a first trial; every alias reaches its entry; an unknown name suggests from the table.
final class SearchAlgorithmTableTests: XCTestCase {
  /// The search-space parameters each algorithm needs at least ("": a learning rate only).
  /// A table entry missing here fails `testEveryAlgorithmBuildsFromItsMinimalConfig`.
  static let minimal: [String: String] = [
    "RandomSearch": "", "GridSearch": "", "AshaHpo": "", "HyperbandHpo": "", "BohbHpo": "", "BossHpo": "",
    "PBTHpo": "", "PBAHpo": "", "TpeHpo": "", "EvolutionAlgorithm": "", "ParetoEA": "", "PruneEA": "", "QuantEA": "",
    "BackboneNas": "\(param("depth", "[18, 20]")), \(param("base_channel", "[4, 8]"))",
    "DblockNas": blockParams, "DnetNas": param("base_channel", "[8]") + ", " + macroParams, "SMNas": blockParams + ", " + macroParams,
    "MFASC": "", "MFKD1": param("depth", "[18, 20]"), "ESRSearch": "", "DifferentialAlgorithm": "",
  ]
  /// Algorithms that search a space written as a network, with that space.
  static let networkSpaces: [String: String] = [
    "ESRSearch": "{modules: [esrbody], esrbody: {type: ESRN, block_type: [S, G], conv_num: [2], growth_rate: [8], G0: 8}}",
    "DifferentialAlgorithm": darts,
  ]
  /// Algorithms whose default objective is not accuracy (VEGA's ESRSearch: PSNR).
  static let defaultObjectives: [String: Objective] = ["ESRSearch": Objective("PSNR", .maximize)]
  static let ranges: [String: String] = ["ESRSearch": "range: {node_num: 4, min_active: 2, min_params: 1, max_params: 100000}"]
  static let blockParams = [param("op_num", "[2, 3]"), param("skip_num", "[0, 1]"), param("base_channel", "[8]")].joined(separator: ", ")
  static let macroParams = [param("code_length", "[3, 4]", type: "INT"), param("final_channel", "[16]"), param("downsample", "[1]")]
    .joined(separator: ", ")
  static func param(_ key: String, _ range: String, type: String = "CATEGORY") -> String {
    "{key: network.backbone.\(key), type: \(type), range: \(range)}"
  }
  static let policies: [String: String] = ["DnetNas": "policy: {block_codes: [\"031-\"]}"]
  /// DARTS searches a supernet description.
  static let darts = "{modules: [net], net: {type: DartsNetwork, search: true, init_channels: 2, cells: {modules: [normal, reduce], "
    + "normal: {steps: 1, genotype: [[[none, skip_connect], 2, 0], [[none, skip_connect], 2, 1]]}, "
    + "reduce: {steps: 1, genotype: [[[none, skip_connect], 2, 0], [[none, skip_connect], 2, 1]]}}}}"

  /// A models folder with one small trained-model description (what the compression
  /// searches start from).
  func modelsFolder() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-algtable-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let desc = #"{"modules": ["backbone"], "backbone": {"type": "SimpleCnn", "channels": 8, "hidden": 16}}"#
    try Data(desc.utf8).write(to: URL(fileURLWithPath: dir + "/desc_1.json"))
    return dir
  }

  /// The table entry's name for a name or alias.
  func entry(_ name: String) -> String {
    SearchAlgorithmFactory.table.first { $0.name == name || $0.aliases.contains(name) }?.name ?? name
  }

  func config(type: String, extra: String, models: String) throws -> PipelineConfig {
    let params = extra.isEmpty ? "{key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.001, 0.1]}" : extra
    let text = """
      pipeline: [s]
      s:
        pipe_step: {type: SearchPipeStep}
        search_algorithm: {type: \(type)\(Self.policies[type].map { ", " + $0 } ?? "")\(Self.ranges[entry(type)].map { ", " + $0 } ?? "")}
        trainer: {epochs: 2}
        model: {models_folder: "\(models)"}
        search_space: \(Self.networkSpaces[entry(type)] ?? "{hyperparameters: [\(params)]}")
      """
    return try PipelineConfig(document: try YAMLDocument(text: text, file: "\(type).yml"), taskFolder: "/tmp/task-algtable")
  }

  func testEveryAlgorithmBuildsFromItsMinimalConfig() throws {
    let models = try modelsFolder()
    defer { try? FileManager.default.removeItem(atPath: models) }
    XCTAssertEqual(Set(SearchAlgorithmFactory.table.map(\.name)), Set(Self.minimal.keys), "every table entry has a minimal config here")
    for entry in SearchAlgorithmFactory.table {
      for name in [entry.name] + entry.aliases {
        let c = try config(type: name, extra: Self.minimal[entry.name] ?? "", models: models)
        do {
          let made = try SearchAlgorithmFactory.make(step: "s", section: c.steps[0].section, seed: 1, config: c)
          XCTAssertNotNil(made.algorithm.ask(), "\(name) hands out a first trial")
          XCTAssertEqual(made.objectives, [Self.defaultObjectives[entry.name] ?? Objective("accuracy", .maximize)], name)
        } catch {
          XCTFail("\(name) (\(entry.name)): \(error)")
        }
      }
    }
  }

  /// Names and aliases never collide (the registry would silently keep only the last).
  func testNamesAndAliasesAreUnique() {
    let all = SearchAlgorithmFactory.knownTypes
    XCTAssertEqual(Set(all).count, all.count)
    XCTAssertEqual(SearchAlgorithmFactory.entries.names.count, all.count)
  }

  func testUnknownNameSuggestsTheNearestFromTheTable() throws {
    func message(_ type: String) throws -> String {
      let c = try config(type: type, extra: "", models: "/nonexistent")
      do {
        _ = try SearchAlgorithmFactory.make(step: "s", section: c.steps[0].section, seed: 1, config: c)
        return "built"
      } catch { return "\(error)" }
    }
    XCTAssertTrue(try message("TpeHop").contains("s.search_algorithm.type: unknown search algorithm 'TpeHop' (did you mean 'TpeHpo'?)"))
    XCTAssertTrue(try message("Hyperbnd").contains("unknown search algorithm 'Hyperbnd' (did you mean 'Hyperband'?)"), "aliases are candidates")
    // SMNas, SMNasS and SMNasM are all one edit away: the algorithm's own name comes first.
    XCTAssertTrue(try message("SMNasL").contains("(did you mean 'SMNas'?)"))
    let far = try message("SimulatedAnnealing")
    XCTAssertTrue(far.contains("unknown search algorithm 'SimulatedAnnealing'") && !far.contains("did you mean"), far)
  }
}
