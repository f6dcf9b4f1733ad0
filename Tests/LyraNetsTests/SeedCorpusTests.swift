import Foundation
import LyraBase
import LyraTensor
@testable import LyraNets
import XCTest

/// The fuzzing seeds under Tests/fuzz/corpus/desc must stay valid descriptions: a fuzzer
/// mutating a seed the reader already rejects explores only the error path.
final class DescriptionSeedCorpusTests: XCTestCase {
  func testDescriptionSeedsBuild() throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("fuzz/corpus/desc").path
    let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    XCTAssertFalse(names.isEmpty)
    for n in names {
      let desc = try JSON.parse(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + n)))
      let m = try NetworkRegistry.build(desc)
      XCTAssertGreaterThan(m.parameters().count, 0, n)
    }
  }
}
