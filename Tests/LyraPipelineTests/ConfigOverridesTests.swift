import XCTest
import LyraBase
@testable import LyraPipeline

/// `lyra run cfg.yml --set KEY=VALUE`.
final class ConfigOverridesTests: XCTestCase {
  func testValuesAreYAMLAndPathsAreCreated() throws {
    let base = try YAMLDocument(text: "pipeline: [hpo]\nhpo: {trainer: {epochs: 3}}").value
    let out = try ConfigOverrides.apply(base, ["hpo.trainer.epochs=1", "hpo.dataset.train.max_samples=512",
                                               "hpo.trainer.optimizer={type: SGD, params: {lr: 0.1}}", "general.plugins=[a.lua, b.lua]",
                                               "hpo.trainer.type=Trainer"])
    XCTAssertEqual(out["hpo"]?["trainer"]?["epochs"]?.int, 1)
    XCTAssertEqual(out["hpo"]?["dataset"]?["train"]?["max_samples"]?.int, 512)
    XCTAssertEqual(out["hpo"]?["trainer"]?["optimizer"]?["params"]?["lr"]?.double, 0.1)
    XCTAssertEqual(out["general"]?["plugins"]?.array?.count, 2)
    XCTAssertEqual(out["hpo"]?["trainer"]?["type"]?.string, "Trainer")
  }

  func testBadAssignmentsAreClearErrors() throws {
    let base = try YAMLDocument(text: "pipeline: [hpo]\nhpo: {trainer: {epochs: 3}}").value
    XCTAssertThrowsError(try ConfigOverrides.apply(base, ["hpo.trainer.epochs"])) { XCTAssertTrue("\($0)".contains("expected KEY=VALUE"), "\($0)") }
    XCTAssertThrowsError(try ConfigOverrides.apply(base, ["hpo..epochs=2"])) { XCTAssertTrue("\($0)".contains("empty part"), "\($0)") }
    XCTAssertThrowsError(try ConfigOverrides.apply(base, ["hpo.trainer.epochs.x=2"])) {
      XCTAssertTrue("\($0)".contains("not a mapping"), "\($0)")
    }
    XCTAssertThrowsError(try ConfigOverrides.apply(base, ["hpo.trainer.epochs=[1, 2"])) { XCTAssertTrue("\($0)".contains("not valid YAML"), "\($0)") }
    // A misspelt key is caught by the config check afterwards, as in a file.
    let bad = try ConfigOverrides.apply(base, ["hpo.trainr.epochs=2"])
    XCTAssertThrowsError(try PipelineConfig(json: bad)) { XCTAssertTrue("\($0)".contains("did you mean 'trainer'"), "\($0)") }
  }
}
