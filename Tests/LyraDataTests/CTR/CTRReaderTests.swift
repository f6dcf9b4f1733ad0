import Foundation
@testable import LyraData
import XCTest

/// The Criteo and Avazu readers on small hand-written files: tokens, vocabularies with a
/// frequency threshold and OOV ids, malformed lines skipped (counted, file:line) or refused,
/// and the binary cache reused on the second open.
final class CTRReaderTests: XCTestCase {
  private var dir: String!
  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "lyra-ctr-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }
  override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

  private func criteoLine(_ label: String, i1: String, c1: String) -> String {
    ([label, i1] + Array(repeating: "1", count: 12) + [c1] + Array(repeating: "ab", count: 25)).joined(separator: "\t")
  }

  func testLogSquaredBuckets() {
    XCTAssertEqual(CriteoFormat.integerToken(""), "")
    XCTAssertEqual(CriteoFormat.integerToken("2"), "v2")
    XCTAssertEqual(CriteoFormat.integerToken("-1"), "v-1")
    XCTAssertEqual(CriteoFormat.integerToken("3"), "b1")     // ln 3 = 1.0986, squared 1.207
    XCTAssertEqual(CriteoFormat.integerToken("100"), "b21")  // ln 100 = 4.605, squared 21.2
    XCTAssertNil(CriteoFormat.integerToken("x7"))
  }

  func testCriteoVocabularyThresholdOOVAndSkippedLines() throws {
    let path = dir + "/day.txt"
    let lines = [criteoLine("1", i1: "100", c1: "68fd1e64"), criteoLine("0", i1: "", c1: "68fd1e64"),
                 "1\t2\t3",                                              // line 3: 3 fields
                 criteoLine("0", i1: "abc", c1: "05db9164"),             // line 4: I1 not an integer
                 criteoLine("1", i1: "101", c1: "05db9164x")]
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    var o = CTRReadOptions()
    o.minFrequency = 2
    let (d, report) = try CTRTextReader.read(path, format: CriteoFormat(), options: o)
    XCTAssertEqual(report.samples, 3)
    XCTAssertEqual(report.skipped, 2)
    XCTAssertEqual(report.firstErrors.count, 2)
    XCTAssertTrue(report.firstErrors[0].hasPrefix(path + ":3: "), report.firstErrors[0])
    XCTAssertTrue(report.firstErrors[1].hasPrefix(path + ":4:2: "), report.firstErrors[1])
    XCTAssertEqual(d.count, 3)
    XCTAssertEqual(d.fieldSizes.count, 39)
    // I1: tokens b21, "", b21 (101 → ln² = 21.3): "b21" twice kept, "" once → OOV. C1: 68fd1e64 twice kept.
    XCTAssertEqual(d.fieldSizes[0], 2)
    XCTAssertEqual(d.fieldSizes[13], 2)
    let r = (0..<3).map { d.record(at: $0) }
    XCTAssertEqual(r.map(\.label), [1, 0, 1])
    XCTAssertEqual(r.map { $0.ids[0] }, [1, 0, 1], "I1: b21, OOV, b21")
    XCTAssertEqual(r.map { $0.ids[13] - Int32(d.fieldSizes[0..<13].reduce(0, +)) }, [1, 1, 0], "C1: kept, kept, OOV")

    // The second open maps the cache, same data.
    let (again, r2) = try CTRTextReader.read(path, format: CriteoFormat(), options: o)
    XCTAssertTrue(r2.fromCache)
    XCTAssertEqual(r2.skipped, 2, "a reuse reports what the parse skipped")
    XCTAssertEqual(r2.firstErrors, report.firstErrors)
    XCTAssertEqual(try again.load().ids, try d.load().ids)
    // Other options: the cache is rebuilt, not reused.
    o.minFrequency = 1
    XCTAssertFalse(try CTRTextReader.read(path, format: CriteoFormat(), options: o).report.fromCache)
  }

  func testRefuseNamesFileAndLine() throws {
    let path = dir + "/bad.txt"
    try ([criteoLine("1", i1: "5", c1: "a"), criteoLine("2", i1: "5", c1: "a")].joined(separator: "\n")).write(toFile: path, atomically: true, encoding: .utf8)
    var o = CTRReadOptions()
    o.onError = .refuse
    XCTAssertThrowsError(try CTRTextReader.read(path, format: CriteoFormat(), options: o)) { e in
      XCTAssertTrue("\(e)".hasPrefix(path + ":2:1: label must be 0 or 1"), "\(e)")
    }
    XCTAssertThrowsError(try CTRTextReader.read(dir + "/missing.txt", format: CriteoFormat())) { e in
      XCTAssertTrue("\(e)".contains("missing.txt"), "\(e)")
    }
  }

  func testAvazuHourSplitAndHeader() throws {
    let path = dir + "/train.csv"
    let row = { (id: String, click: String, hour: String) in ([id, click, hour] + (0..<21).map { "c\($0)" }).joined(separator: ",") }
    let text = [AvazuFormat.columns.joined(separator: ","), row("1", "0", "14102100"), row("2", "1", "14102113"), row("3", "1", "1410")]
    try text.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    let (d, report) = try CTRTextReader.read(path, format: AvazuFormat())
    XCTAssertEqual(report.samples, 2)
    XCTAssertEqual(report.skipped, 1)
    XCTAssertTrue(report.firstErrors[0].hasPrefix(path + ":4:3: hour"), report.firstErrors[0])
    XCTAssertEqual(d.fieldSizes.count, 23)
    XCTAssertEqual(d.fieldSizes[0], 3, "hour of day: 00, 13 and the OOV id")
    XCTAssertEqual(d.fieldSizes[1], 2, "day: one value and the OOV id")
  }

  func testSyntheticIsDeterministicAndPlantsDistinctPairs() throws {
    var g = SyntheticCTR()
    g.samples = 500
    g.seed = 5
    let a = try g.make(), b = try g.make()
    XCTAssertEqual(a.ids, b.ids)
    XCTAssertEqual(a.labels, b.labels)
    let p = try g.plantedPairs()
    XCTAssertEqual(Set(p.map { [$0.0, $0.1] }).count, 3)
    XCTAssertTrue(p.allSatisfy { $0.0 < $0.1 && $0.1 < 8 })
    g.seed = 6
    XCTAssertNotEqual(try g.make().labels, a.labels)
    g.pairs = [(3, 3)]
    XCTAssertThrowsError(try g.plantedPairs())
  }
}
