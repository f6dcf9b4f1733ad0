import Foundation
import XCTest
@testable import LyraNN

final class SafeTensorsTests: XCTestCase {
  func testRoundTripKeepsValuesShapesAndMetadata() throws {
    var st = SafeTensors(metadata: ["format": "pt", "lyra": "1"])
    st.entries["conv.weight"] = .init(floats: (0..<24).map { Float($0) * 0.5 - 3 }, shape: [2, 3, 2, 2])
    st.entries["bn.num_batches_tracked"] = .init(int64s: [7], shape: [])
    st.entries["empty"] = .init(floats: [], shape: [0, 4])
    let back = try SafeTensors.parse(st.serialized())
    XCTAssertEqual(back, st)
    XCTAssertEqual(back.entries["conv.weight"]!.floats()[5], 5 * 0.5 - 3)
    XCTAssertEqual(back.entries["bn.num_batches_tracked"]!.int64s(), [7])
  }

  /// A file assembled byte by byte from the format's specification (not by our writer).
  func testReadsAFileWrittenFromTheSpecification() throws {
    let header = #"{"__metadata__":{"k":"v"},"b":{"dtype":"I64","shape":[2],"data_offsets":[8,24]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
    var file = Data()
    var n = UInt64(header.utf8.count).littleEndian
    withUnsafeBytes(of: &n) { file.append(contentsOf: $0) }
    file.append(Data(header.utf8))
    // a = [1.0, -2.5] as little-endian F32; b = [3, -1] as little-endian I64
    file.append(contentsOf: [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0])
    file.append(contentsOf: [3, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    let st = try SafeTensors.parse(file)
    XCTAssertEqual(st.entries["a"]?.floats(), [1.0, -2.5])
    XCTAssertEqual(st.entries["b"]?.int64s(), [3, -1])
    XCTAssertEqual(st.metadata, ["k": "v"])
  }

  func testOurFilesStartWithTheSpecifiedLayout() throws {
    let st = SafeTensors(entries: ["w": .init(floats: [1, 2], shape: [2])])
    let d = st.serialized()
    let n = d.prefix(8).withUnsafeBytes { $0.load(as: UInt64.self) }
    XCTAssertEqual((8 + Int(n)) % 8, 0, "data section aligned to 8")
    let json = try JSONSerialization.jsonObject(with: d.subdata(in: 8..<(8 + Int(n)))) as! [String: Any]
    let w = json["w"] as! [String: Any]
    XCTAssertEqual(w["dtype"] as? String, "F32")
    XCTAssertEqual(w["data_offsets"] as? [Int], [0, 8])
  }

  func testMalformedFilesGiveClearErrors() {
    func expectError(_ d: Data, _ fragment: String, line: UInt = #line) {
      XCTAssertThrowsError(try SafeTensors.parse(d, file: "m.safetensors"), line: line) { e in
        let s = "\(e)"
        XCTAssertTrue(s.hasPrefix("m.safetensors: "), s, line: line)
        XCTAssertTrue(s.contains(fragment), s, line: line)
      }
    }
    let good = SafeTensors(entries: ["w": .init(floats: [1, 2, 3], shape: [3])]).serialized()
    expectError(Data([1, 2, 3]), "shorter than")
    expectError(good.prefix(good.count - 4), "outside")              // truncated data
    var huge = good
    huge[7] = 0x7F
    expectError(huge, "exceeds the file size")
    func file(_ header: String, dataBytes: Int) -> Data {
      var d = Data()
      var n = UInt64(header.utf8.count).littleEndian
      withUnsafeBytes(of: &n) { d.append(contentsOf: $0) }
      d.append(Data(header.utf8))
      d.append(Data(count: dataBytes))
      return d
    }
    expectError(file("[1,2]", dataBytes: 0), "not a JSON object")
    expectError(file(#"{"w":{"dtype":"Q8","shape":[1],"data_offsets":[0,1]}}"#, dataBytes: 1), "unsupported dtype Q8")
    expectError(file(#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, dataBytes: 8), "needs 12")
    expectError(file(#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, dataBytes: 4), "no valid shape")
    expectError(file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, dataBytes: 8), "overlap")
  }
}
