import XCTest
@testable import LyraData

/// RFC 4180 parsing, malformed rows, and the tabular dataset built from a table.
final class CSVTests: XCTestCase {
  func testQuotedFieldsWithCommasQuotesAndNewlines() throws {
    let text = "id,name,price\r\n1,\"Smith, John\",3.5\r\n2,\"say \"\"hi\"\"\",4\n\n3,\"two\nlines\",\n"
    let t = try CSVTable(parsing: text, file: "mem.csv")
    XCTAssertEqual(t.header, ["id", "name", "price"])
    XCTAssertEqual(t.rows, [["1", "Smith, John", "3.5"], ["2", "say \"hi\"", "4"], ["3", "two\nlines", ""]])
    XCTAssertEqual(t.lines, [2, 3, 5])
  }

  func testLastLineWithoutNewlineAndEmptyQuoted() throws {
    let t = try CSVTable(parsing: "a,b\n\"\",x\n1,\"q\"", file: "m")
    XCTAssertEqual(t.rows, [["", "x"], ["1", "q"]])
  }

  func testWrongFieldCountNamesFileAndLine() throws {
    let dir = TempDir()
    let p = dir.write("bad.csv", text: "a,b,c\n1,2,3\n4,5\n")
    assertDataError(try CSVTable(contentsOf: p), contains: ["bad.csv:3:", "expected 3 fields", "got 2"])
  }

  func testUnterminatedQuote() {
    assertDataError(try CSVTable(parsing: "a,b\n1,2\n3,\"oops\n", file: "u.csv"),
                    contains: ["u.csv:3:2", "unterminated quoted field", "character 3"])
  }

  func testGarbageAfterClosingQuoteAndBareQuote() {
    assertDataError(try CSVTable(parsing: "a,b\n\"x\"y,2\n", file: "g.csv"), contains: ["g.csv:2:1", "after a closing quote"])
    assertDataError(try CSVTable(parsing: "a,b\n1,5\"\n", file: "q.csv"), contains: ["q.csv:2:2", "quote inside an unquoted field"])
  }

  func testEmptyAndDuplicateHeader() {
    assertDataError(try CSVTable(parsing: "", file: "e.csv"), contains: ["e.csv", "empty"])
    assertDataError(try CSVTable(parsing: "a,b,a\n1,2,3\n", file: "d.csv"), contains: ["d.csv:1:3", "duplicate column name 'a'"])
  }

  let clicks = """
    click,hour,site,price,device
    1,10,"a.com, news",2.5,phone
    0,11,b.com,1,desktop
    0,10,a.com,,phone
    1,12,"a.com, news",4,tablet
    """

  func testTabularInferenceAndLayout() throws {
    let t = try CSVTable(parsing: clicks, file: "clicks.csv")
    let ds = try TabularDataset(table: t, label: "click", missing: -1)
    XCTAssertEqual(ds.numericColumns, ["hour", "price"])
    XCTAssertEqual(ds.categoricalColumns, ["site", "device"])
    XCTAssertEqual(ds.vocabularies, [["a.com", "a.com, news", "b.com"], ["desktop", "phone", "tablet"]])
    XCTAssertEqual(ds.cardinalities, [3, 3])
    XCTAssertEqual(ds.labels, [1, 0, 0, 1])
    XCTAssertTrue(ds.classes.isEmpty)
    XCTAssertEqual(ds.item(at: 0), Sample(features: [10, 2.5, 1, 1], shape: [4], label: 1))
    XCTAssertEqual(ds.item(at: 2).features, [10, -1, 0, 1])
    XCTAssertEqual(ds.item(at: 3).features, [12, 4, 1, 2])
  }

  func testExplicitCategoricalAndIgnore() throws {
    let t = try CSVTable(parsing: clicks, file: "clicks.csv")
    let ds = try TabularDataset(table: t, label: "device", categorical: ["hour"], ignore: ["site", "price"])
    XCTAssertEqual(ds.numericColumns, ["click"])
    XCTAssertEqual(ds.categoricalColumns, ["hour"])
    XCTAssertEqual(ds.classes, ["desktop", "phone", "tablet"])
    XCTAssertEqual(ds.labels, [1, 0, 1, 2])
    XCTAssertEqual(ds.item(at: 1).features, [0, 1])
  }

  func testValueErrorsNameLineAndColumn() throws {
    let t = try CSVTable(parsing: clicks, file: "clicks.csv")
    assertDataError(try TabularDataset(table: t, label: "click"),
                    contains: ["clicks.csv:4:4", "column 'price'", "empty value", "missing:"])
    assertDataError(try TabularDataset(table: t, label: "click", categorical: ["device"], missing: 0),
                    contains: ["clicks.csv:2:3", "column 'site'", "'a.com, news' is not a number"])
    assertDataError(try TabularDataset(table: t, label: "clik"), contains: ["no column named 'clik'", "click, hour, site"])
    assertDataError(try TabularDataset(table: t, label: "click", categorical: ["click"]), contains: ["cannot also be categorical"])
  }

  func testReadsFromFileWithSemicolons() throws {
    let dir = TempDir()
    let p = dir.write("s.csv.gz", gzipBytes(Array("y;x\n1;2.5\n0;-1\n".utf8)))
    let ds = try TabularDataset(contentsOf: p, label: "y", delimiter: UInt8(ascii: ";"))
    XCTAssertEqual(ds.features, [2.5, -1])
    XCTAssertEqual(ds.labels, [1, 0])
  }
}
