import XCTest
@testable import LyraData

/// Hostile CSV files found by fuzzing (issue 14): the parser must not reserve memory in
/// proportion to anything but the bytes it has read.
final class CSVHostileTests: XCTestCase {
  /// A 100,000-column header followed by 200,000 one-field rows (0.5 MB). The parser used
  /// to give every record the widest record's capacity (`removeAll(keepingCapacity:)` on a
  /// buffer shared with the stored record): ~300 GiB of address space. Under a 2 GiB cap
  /// that aborted the child; now the first short row is an error and nothing is reserved.
  func testWideHeaderThenShortRowsReservesNoAddressSpace() {
    var bytes = Array(repeating: UInt8(ascii: ","), count: 99_999)
    bytes.append(UInt8(ascii: "\n"))
    for _ in 0..<200_000 { bytes += [UInt8(ascii: "x"), UInt8(ascii: "\n")] }
    let outcome = AddressSpaceProbe.run {
      _ = try CSVTable(parsing: bytes, file: "wide.csv")
    }
    XCTAssertEqual(outcome, .exited(1), "the parser must throw (exit 1), not die under the address-space cap")
    assertDataError(try CSVTable(parsing: bytes, file: "wide.csv"), contains: ["wide.csv:2:", "expected 100000 fields", "got 1"])
  }

  /// Integer labels are class indices: -1 or 2^31 - 1 would index or size the classifier
  /// output far beyond the data, so they are errors naming the line.
  func testIntegerLabelsOutsideTheClassRangeAreErrors() throws {
    let negative = try CSVTable(parsing: "x,y\n1,0\n2,-1\n", file: "neg.csv")
    assertDataError(try TabularDataset(table: negative, label: "y"), contains: ["neg.csv:3:2", "label -1", "not a class index"])
    let huge = try CSVTable(parsing: "x,y\n1,2147483647\n", file: "huge.csv")
    assertDataError(try TabularDataset(table: huge, label: "y"), contains: ["huge.csv:2:2", "0..<1048576"])
    XCTAssertEqual(try TabularDataset(table: try CSVTable(parsing: "x,y\n1,0\n2,3\n", file: "ok.csv"), label: "y").labels, [0, 3])
  }
}
