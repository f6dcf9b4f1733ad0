import Foundation
import XCTest
@testable import LyraData

/// The fuzzing seeds under Tests/fuzz/corpus/{csv,idx} must stay valid inputs: a fuzzer
/// mutating a seed the reader already rejects explores only the error path.
final class SeedCorpusTests: XCTestCase {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("fuzz/corpus").path

  func files(_ target: String) throws -> [String] {
    let dir = Self.corpus + "/" + target
    let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    XCTAssertFalse(names.isEmpty, "no seeds in \(dir)")
    return names.map { dir + "/" + $0 }
  }

  func testCSVSeedsParse() throws {
    for f in try files("csv") {
      let t = try CSVTable(contentsOf: f)
      XCTAssertGreaterThan(t.rows.count, 1, f)
    }
  }

  func testIDXSeedsDecodeAndTheCompressedOneMatchesTheRaw() throws {
    let paths = try files("idx")
    for f in paths { XCTAssertNoThrow(try IDXArray(contentsOf: f), f) }
    let raw = try IDXArray(contentsOf: paths.first { $0.hasSuffix("idx3-ubyte") }!)
    let gz = try IDXArray(contentsOf: paths.first { $0.hasSuffix("idx3-ubyte.gz") }!)
    XCTAssertEqual(raw.shape, [2, 4, 4])
    XCTAssertEqual(gz.bytes, raw.bytes)
  }
}
