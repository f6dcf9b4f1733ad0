import Foundation
import XCTest
import LyraBase
@testable import LyraPipeline

/// `lyra status TASK` shows what the task was run from: the config file, every command
/// line that ran it, and (`--config`) the effective config with its `--set`s applied.
/// (RecordedConfigTests' task folder and config.)
extension RecordedConfigTests {
  func testStatusNamesTheConfigAndEveryCommandLine() throws {
    let root: String = try {
      let p = try Pipeline(raw: try raw(samples: 300), file: "c.yml", command: ["lyra", "run", "c.yml", "--set", "hpo.dataset.train.max_samples=300"])
      try p.writeReports()
      return p.root
    }()
    let id = (root as NSString).lastPathComponent
    _ = try Pipeline(raw: try raw(samples: 300), file: "c.yml", resume: id, tasksFolder: base, command: ["lyra", "run", "--resume", id])
    let text = try TaskStatus.summary(root: root)
    XCTAssertTrue(text.contains("  config: c.yml (effective config recorded in trials.db"), text)
    XCTAssertTrue(text.contains("  run by:\n    lyra run c.yml --set hpo.dataset.train.max_samples=300\n    lyra run --resume \(id)"), text)
    let config = try JSON.parse(Data(try TaskStatus.recordedConfig(root: root).utf8))
    XCTAssertEqual(config["hpo"]?["dataset"]?["train"]?["max_samples"]?.int, 300)
    XCTAssertThrowsError(try TaskStatus.recordedConfig(root: base + "/nothing-here")) { e in
      XCTAssertTrue("\(e)".contains("not a task folder"), "\(e)")
    }
  }
}
