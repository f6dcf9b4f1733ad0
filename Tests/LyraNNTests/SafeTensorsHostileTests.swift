import Foundation
import XCTest
@testable import LyraNN

/// Hostile safetensors files, assembled byte by byte: every one must be refused by
/// `SafeTensors.parse` with a message naming the problem. Before the checks, a shape of
/// [2^62, 4] wrapped its element count to 0, matched an empty data range and loaded as a
/// tensor whose indexing read and wrote outside its buffer.
final class SafeTensorsHostileTests: XCTestCase {
  /// The file bytes for a JSON header and a data section.
  func file(_ header: String, _ data: [UInt8] = []) -> Data {
    var out = Data()
    var n = UInt64(header.utf8.count).littleEndian
    withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
    out.append(Data(header.utf8))
    out.append(contentsOf: data)
    return out
  }

  func assertRefused(_ data: Data, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try SafeTensors.parse(data, file: "hostile.safetensors"), file: file, line: line) { error in
      let text = "\(error)"
      XCTAssertTrue(text.contains("hostile.safetensors"), "error does not name the file: \(text)", file: file, line: line)
      XCTAssertTrue(text.contains(expected), "expected '\(expected)' in: \(text)", file: file, line: line)
    }
  }

  func testShapesWhoseCountWrapsAroundAreRefused() {
    // 2^62 × 4 = 2^64 wraps to 0 elements, which "matches" empty offsets [0, 0].
    assertRefused(file(#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#),
                  "more elements than can be counted")
    // 2^61 × 2 elements fit in Int, but their bytes (× 4) do not.
    assertRefused(file(#"{"a":{"dtype":"F32","shape":[2305843009213693952,2],"data_offsets":[0,0]}}"#), "overflows")
    // A zero in the shape does not excuse an overflow before it.
    assertRefused(file(#"{"a":{"dtype":"F32","shape":[4294967296,4294967296,0],"data_offsets":[0,0]}}"#),
                  "more elements than can be counted")
    // Too many dimensions.
    let dims = Array(repeating: "1", count: 65).joined(separator: ",")
    assertRefused(file(#"{"a":{"dtype":"F32","shape":["# + dims + #"],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]), "no valid shape")
  }

  func testOffsetsMustLieInTheDataAndMatchTheShape() {
    let eight = [UInt8](repeating: 0, count: 8)
    assertRefused(file(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, eight), "lie outside the 8 data bytes")
    assertRefused(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, eight), "lie outside")
    assertRefused(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}"#, eight), "lie outside")
    assertRefused(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}"#, eight), "needs 4")
    assertRefused(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}"#, eight),
                  "overlap")
    assertRefused(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}}"#, eight), "no valid data_offsets")
    assertRefused(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,9223372036854775807]}}"#, eight), "lie outside")
  }

  func testHeaderLengthDtypeAndJSONAreChecked() {
    // A header length far beyond the file.
    var huge = Data()
    var n = UInt64(1 << 40).littleEndian
    withUnsafeBytes(of: &n) { huge.append(contentsOf: $0) }
    huge.append(Data("{}".utf8))
    assertRefused(huge, "exceeds the file size")
    var maxLength = Data(repeating: 0xFF, count: 8)
    maxLength.append(Data("{}".utf8))
    assertRefused(maxLength, "exceeds the file size")
    assertRefused(Data([1, 2, 3]), "shorter than the 8-byte header length")
    assertRefused(file(#"{"a":"#), "not a JSON object")
    assertRefused(file(#"[1, 2]"#), "not a JSON object")
    assertRefused(file(#"{"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]), "unsupported dtype Q7")
    assertRefused(file(#"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]), "has no dtype")
    assertRefused(file(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]), "no valid shape")
    assertRefused(file(#"{"__metadata__":{"k":1}}"#), "must be a string")
  }

  /// The same file without the hostile part loads, so the checks refuse only what is wrong.
  func testAValidFileNextToTheHostileOnesLoads() throws {
    let st = try SafeTensors.parse(file(#"{"a":{"dtype":"F32","shape":[2,0,3],"data_offsets":[0,0]},"b":{"dtype":"I32","shape":[],"data_offsets":[0,4]}}"#,
                                        [7, 0, 0, 0]))
    XCTAssertEqual(st.entries["a"]?.shape, [2, 0, 3])
    XCTAssertEqual(st.entries["b"]?.int64s(), [7])
  }
}
