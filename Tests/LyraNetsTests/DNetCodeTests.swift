import XCTest
@testable import LyraNets

final class DNetCodeTests: XCTestCase {
  func testParsesTheReferenceEncoding() throws {
    let c = try DNetCode.parse("031-_64_12-1111-11211112-2")
    XCTAssertEqual(c.channels, 64)
    XCTAssertEqual(c.blocks, [DNetCode.BlockCode(layers: [.init(op: .conv3, channelCode: 3), .init(op: .conv1, channelCode: 2)], links: [])])
    XCTAssertEqual(c.macro.count, 15)
    XCTAssertEqual(c.macro.map(\.multiplier), [1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 2, 2])
    XCTAssertEqual(c.macro.indices.filter { c.macro[$0].downsample }, [2, 6, 14])
    XCTAssertEqual(c.description, "031-_64_12-1111-11211112-2")
  }

  func testLinksAreAppliedByTargetThenTheResidual() throws {
    let c = try DNetCode.parse("01120-a13c01a02_8_1")
    XCTAssertEqual(c.blocks[0].links.map(\.token), ["a13", "c01", "a02"])
    XCTAssertEqual(c.blocks[0].appliedLinks.map(\.token), ["c01", "a02", "a13", "a03"])
    XCTAssertEqual(c.description, "01120-a13c01a02_8_1")
  }

  func testCanonicalEncodingsRoundTrip() throws {
    for s in ["031-_64_12-1111-11211112-2", "031-*01120-c01_8_1-2", "6-_32_-1-2", "0212223242526-a02c35_64_1-2", "1-c01_16_11"] {
      XCTAssertEqual(try DNetCode.parse(s).description, s)
    }
    XCTAssertEqual(try DNetCode.parse("031_64_1").description, "031-_64_1", "a block without '-' has no links")
  }

  func testMalformedEncodingsNameTheCharacterAndPosition() {
    func error(_ s: String) -> DNetCodeError? {
      do {
        _ = try DNetCode.parse(s)
        XCTFail("\(s) parsed")
        return nil
      } catch { return error as? DNetCodeError }
    }
    let cases: [(String, Int?, String)] = [
      ("031-_64", nil, "expected <block>_<channels>_<macro> (two '_'), found 1 '_'"),
      ("031-_64_1_2", 10, "found 3 '_'"),
      ("031-_64_12x", 11, "'x' at position 11: the macro takes digits 1-9"),
      ("031-_64_102", 10, "'0' at position 10: the macro takes digits 1-9"),
      ("031-_64_1--2", 11, "two '-' in a row"),
      ("031-_64_12-", 11, "the macro ends with '-'"),
      ("031-_64_", 9, "the macro is empty"),
      ("031-__1", 6, "the channel count is empty"),
      ("031-_6a_1", 7, "'a' at position 7: the channel count must be digits"),
      ("031-_1_1", nil, "the channel count must be in 2…1048576"),
      ("071-_64_1", 2, "'7' at position 2: expected a channel digit 0-4"),
      ("731-_64_1", 1, "'7' at position 1: expected an operator digit 0-6"),
      ("0310-_64_1", 4, "the last layer takes only an operator digit"),
      ("-a01_64_1", 1, "a block needs at least one layer"),
      ("031-a0_64_1", 7, "a link is three characters"),
      ("031-x01_64_1", 5, "'x' at position 5: expected a link 'a' (add) or 'c' (concat)"),
      ("031-a05_64_1", 7, "link target 5 is not a layer of this 2-layer block"),
      ("031-a21_64_1", 6, "link source 2 must come before its target 1"),
      ("031-a01-_64_1", 8, "one '-' between its layers and its links"),
      ("031-*031-_64_12", nil, "2 block codes separated by '*' for 1 stages"),
      ("031-*_64_1-2", 6, "a block code is empty"),
      ("0101010101010101010_8_1", nil, "at most 9 layers"),
    ]
    for (s, position, fragment) in cases {
      guard let e = error(s) else { continue }
      XCTAssertEqual(e.position, position, s)
      XCTAssertTrue(e.message.hasPrefix("DNet encoding '\(s)': "), e.message)
      XCTAssertTrue(e.message.contains(fragment), "\(s): \(e.message)")
    }
  }

  /// The check a search codec runs on a mutated encoding: syntax and buildability, no tensors.
  func testValidityCheckForCodecs() {
    XCTAssertTrue(DNetCode.isValid("031-_64_12-1111-11211112-2"))
    XCTAssertNil(DNetCode.problem(in: "031-_64_211-2111-211111-211"))
    XCTAssertFalse(DNetCode.isValid("031-_64_12-"))
    XCTAssertEqual(DNetCode.problem(in: "031-*401-_64_1-1"),
                   "DNet encoding '031-*401-_64_1-1': stage 2, block 1 (macro position 2): layer 1 (conv3_base1): channels 64 -> 16 must divide by groups 64")
    XCTAssertTrue(DNetCode.isValid("331-_16_1"))
    XCTAssertFalse(DNetCode.isValid("331-_6_1"), "conv3_grp4 on 6 channels")
  }
}
