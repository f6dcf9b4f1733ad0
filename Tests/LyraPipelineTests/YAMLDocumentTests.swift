import XCTest
import LyraBase
@testable import LyraPipeline

final class YAMLDocumentTests: XCTestCase {
  func testValuesAndLines() throws {
    let doc = try YAMLDocument(text: """
      general:
        parallel_search: true
      pipeline: [hpo]
      hpo:
        search_algorithm: {type: AshaHpo, policy: {total_epochs: 50}}
        name: "007"
      """, file: "cfg.yml")
    XCTAssertEqual(doc.value["general"]?["parallel_search"], .bool(true))
    XCTAssertEqual(doc.value["pipeline"], .array([.string("hpo")]))
    XCTAssertEqual(doc.value["hpo"]?["search_algorithm"]?["policy"]?["total_epochs"], JSON(50))
    XCTAssertEqual(doc.value["hpo"]?["name"], .string("007"), "quoted scalars stay strings")
    XCTAssertEqual(doc.lines["hpo.search_algorithm.policy"], 5)
    XCTAssertEqual(doc.lines["general.parallel_search"], 2)
  }

  func testMalformedYAMLNamesFileAndLine() {
    XCTAssertThrowsError(try YAMLDocument(text: "a: 1\nb: [1, 2\nc: 3\n", file: "bad.yml")) { e in
      XCTAssertTrue("\(e)".hasPrefix("bad.yml:"), "\(e)")
    }
    XCTAssertThrowsError(try YAMLDocument(text: "a: 1\na: 2\n", file: "dup.yml")) { e in
      XCTAssertTrue("\(e)".hasPrefix("dup.yml:") && "\(e)".contains("duplicate key 'a'"), "\(e)")
    }
  }
}
