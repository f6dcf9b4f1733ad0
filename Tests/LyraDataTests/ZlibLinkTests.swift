import XCTest
import CZlib

/// zlib is linked: crc32 of a known string matches its published value.
final class ZlibLinkTests: XCTestCase {
  func testCrc32OfKnownString() {
    let bytes = Array("123456789".utf8)
    let crc = bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
    XCTAssertEqual(crc, 0xCBF4_3926)
  }
}
