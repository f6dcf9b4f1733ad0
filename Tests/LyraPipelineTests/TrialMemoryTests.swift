import Foundation
import XCTest
import LyraBase
import LyraSpace
import LyraTensor
@testable import LyraPipeline

/// A sampled network that outgrows memory fails its own trial, with the reason recorded;
/// the next trial (which fits) trains as usual. (NAGO at VEGA's batch size once took the
/// worker down with it; a search must go on past one oversized sample.)
final class TrialMemoryTests: XCTestCase {
  let section: JSON = try! YAMLDocument(text: """
    dataset: {type: FashionMnist, common: {batch_size: 64}, train: {max_samples: 128}, test: {max_samples: 64}}
    model: {model_desc: {modules: [backbone], backbone: {type: MLP, hidden: [256]}}}
    trainer: {type: Trainer, epochs: 1, optimizer: {type: SGD, params: {lr: 0.05}}}
    """).value

  override func tearDown() { MemoryGuard.limit = nil; super.tearDown() }

  func testAnOversizedTrialFailsWithTheReasonAndTheNextOneRuns() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-tm-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    MemoryGuard.limit = BufferCache.liveBytes + (64 << 10)
    let refused = try TrialTraining.run(section: section, general: .object([:]), taskRoot: root,
                                        spec: TrialSpec(step: "s", trial: 0, config: [:], budget: 1, checkpointDir: root + "/a"))
    XCTAssertEqual(refused.result.status, .failed)
    XCTAssertTrue(refused.result.message?.contains("above the limit of ") == true, refused.result.message ?? "")
    XCTAssertEqual(refused.record.status, .failed)
    MemoryGuard.limit = nil
    let fits = try TrialTraining.run(section: section, general: .object([:]), taskRoot: root,
                                     spec: TrialSpec(step: "s", trial: 1, config: [:], budget: 1, checkpointDir: root + "/b"))
    XCTAssertNotEqual(fits.result.status, .failed)
    XCTAssertNotNil(fits.result.metrics["accuracy"])
  }
}
