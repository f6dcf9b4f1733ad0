import XCTest
import LyraBase
@testable import LyraPipeline

/// Hostile and careless configs found by fuzzing (issue 14): each is an error naming the
/// file, key and line, never a trap, an abort or gigabytes of memory.
final class ConfigHostileTests: XCTestCase {
  func load(_ text: String) throws -> PipelineConfig {
    try PipelineConfig(document: try YAMLDocument(text: text, file: "cfg.yml"), taskFolder: "/tmp/task-1")
  }

  func assertConfigError(_ body: @autoclosure () throws -> Any, _ parts: [String], file: StaticString = #filePath, line: UInt = #line) {
    do {
      _ = try body()
      XCTFail("expected a ConfigError containing \(parts)", file: file, line: line)
    } catch let e as ConfigError {
      for p in parts { XCTAssertTrue(e.description.contains(p), "'\(e.description)' lacks '\(p)'", file: file, line: line) }
    } catch {
      XCTFail("expected a ConfigError, got \(error)", file: file, line: line)
    }
  }

  let minimal = "pipeline: [hpo]\nhpo:\n  pipe_step: {type: SearchPipeStep}\n"

  /// A nine-level "billion laughs": each level a list of ten aliases of the one above.
  /// 504 bytes that expanded to ~7.8 GB while being converted; now the conversion stops
  /// at a million values.
  func testAliasBombIsRefusedByNodeCount() {
    var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for i in 1...9 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
    assertConfigError(try YAMLDocument(text: text, file: "bomb.yml"), ["bomb.yml", "expands to more than 1000000 values"])
  }

  /// Aliases within the budget still expand (a legitimate use: shared trainer settings).
  func testSmallAliasesStillExpand() throws {
    let d = try YAMLDocument(text: "base: &b {lr: 0.1, epochs: 2}\nother: *b\n", file: "ok.yml")
    XCTAssertEqual(d.value["other"]?["epochs"], JSON(2))
  }

  /// 100,000 nested flow lists: libyaml's nesting limit (1000) makes it an error, before
  /// the recursive conversion could exhaust the stack.
  func testDeepNestingIsAnError() {
    let text = "k: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    assertConfigError(try YAMLDocument(text: text, file: "deep.yml"), ["deep.yml:1:", "nesting level"])
  }

  func testDocumentLargerThanTheCapIsRefusedBeforeParsing() {
    let text = "k: " + String(repeating: "x", count: 16 << 20)
    assertConfigError(try YAMLDocument(text: text, file: "big.yml"), ["big.yml", "at most 16777216 bytes"])
  }

  /// `general.seed: -1` trapped converting to UInt64 (SIGILL) when the pipeline started.
  func testNegativeSeedIsAnErrorNamingKeyAndLine() {
    assertConfigError(try load("general:\n  seed: -1\n" + minimal), ["cfg.yml:2:", "general.seed", "-1 is out of range", "0…4294967295"])
  }

  /// The same through `--set general.seed=-1` on a valid config.
  func testNegativeSeedThroughSetIsAnError() throws {
    let base = try YAMLDocument(text: minimal, file: "cfg.yml")
    let changed = try ConfigOverrides.apply(base.value, ["general.seed=-1"])
    assertConfigError(try PipelineConfig(json: changed, file: "cfg.yml"), ["general.seed", "out of range"])
  }

  /// PBA's `config_count: 4294967296` asked for a 64 GiB population.
  func testHugePopulationIsAnError() {
    let text = minimal + "  search_algorithm:\n    type: PBAHpo\n    policy: {config_count: 4294967296, each_epochs: 1}\n"
    assertConfigError(try load(text), ["cfg.yml:", "hpo.search_algorithm.policy.config_count", "4294967296 is out of range"])
  }

  func testNegativeAndFractionalCountsAreErrors() {
    assertConfigError(try load(minimal + "  trainer: {epochs: -3}\n"), ["hpo.trainer.epochs", "-3 is out of range"])
    assertConfigError(try load(minimal + "  dataset: {common: {batch_size: 0}}\n"), ["hpo.dataset.common.batch_size", "out of range"])
    assertConfigError(try load(minimal + "  trainer: {epochs: 2.5}\n"), ["hpo.trainer.epochs", "expected an integer"])
    assertConfigError(try load(minimal + "  trainer: {epochs: ten}\n"), ["hpo.trainer.epochs", "expected an integer"])
    assertConfigError(try load(minimal + "  search_algorithm: {type: ASHAHpo, policy: {num_samples: 1e12}}\n"),
                      ["hpo.search_algorithm.policy.num_samples", "out of range"])
  }

  /// A non-string quota was silently ignored (no quota applied).
  func testNonStringQuotaIsAnError() {
    assertConfigError(try load("general:\n  quota: 100\n" + minimal), ["cfg.yml:2:", "general.quota", "expected a string"])
    assertConfigError(try load(minimal + "  quota: {flops: 10}\n"), ["hpo.quota", "expected a string"])
    assertConfigError(try load("pipeline: [hpo]\nhpo:\n  pipe_step: {type: 3}\n"), ["cfg.yml:3:", "hpo.pipe_step.type", "expected a string, got 3"])
    assertConfigError(try load(minimal + "  trainer: {type: [Trainer]}\n"), ["hpo.trainer.type", "expected a string"])
  }

  /// Sane values pass the checks unchanged.
  func testSaneValuesPass() throws {
    let c = try load("general:\n  seed: 7\n  quota: \"flops < 10\"\n" + minimal
      + "  trainer: {epochs: 3, seed: 1}\n  dataset: {common: {batch_size: 64}}\n"
      + "  search_algorithm: {type: PBAHpo, policy: {config_count: 12, each_epochs: 2, total_rungs: 10}}\n")
    XCTAssertEqual(c.general["seed"], JSON(7))
  }

  /// The shipped example configs stay within the limits (the bounds only stop nonsense).
  func testShippedExamplesPassTheLimits() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let folder = root.appendingPathComponent("docs/examples").path
    let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yml") }
    XCTAssertFalse(files.isEmpty)
    for f in files.sorted() { XCTAssertNoThrow(try PipelineConfig(contentsOf: folder + "/" + f, taskFolder: "/tmp/task-1"), f) }
  }
}
