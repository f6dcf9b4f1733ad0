import XCTest
@testable import LyraPlot

final class EncodingTests: XCTestCase {
  func testChecksums() {
    XCTAssertEqual(PNG.crc32(Array("IEND".utf8)), 0xAE42_6082)
    XCTAssertEqual(PNG.adler32(Array("Wikipedia".utf8)), 0x11E6_0398)
  }

  func testBase64() {
    XCTAssertEqual(Base64.encode(Array("Man".utf8)), "TWFu")
    XCTAssertEqual(Base64.encode(Array("Ma".utf8)), "TWE=")
    XCTAssertEqual(Base64.encode(Array("M".utf8)), "TQ==")
    XCTAssertEqual(Base64.encode([]), "")
    let bytes = (0..<300).map { UInt8($0 % 256) }
    XCTAssertEqual(Base64.encode(bytes), Data(bytes).base64EncodedString())
  }

  /// Stored deflate blocks: over 65535 bytes the stream splits, and only the last block is final.
  func testStoredZlibBlocks() {
    let data = [UInt8](repeating: 7, count: 70000)
    let z = PNG.zlibStored(data)
    XCTAssertEqual(Array(z[0..<2]), [0x78, 0x01])
    XCTAssertEqual(z[2], 0) // first block not final
    XCTAssertEqual(Int(z[3]) | Int(z[4]) << 8, 65535)
    XCTAssertEqual(z[2 + 5 + 65535], 1) // second block final
    XCTAssertEqual(z.count, 2 + 5 + 65535 + 5 + (70000 - 65535) + 4)
  }

  func testPNGStructure() {
    let png = PNG.encode(width: 3, height: 2, channels: 3, samples: [UInt8](repeating: 200, count: 18))
    XCTAssertEqual(Array(png[0..<8]), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    XCTAssertEqual(String(decoding: png[12..<16], as: UTF8.self), "IHDR")
    XCTAssertEqual(Array(png[16..<24]), [0, 0, 0, 3, 0, 0, 0, 2])
    XCTAssertEqual(png[25], 2, "colour type RGB")
    XCTAssertEqual(String(decoding: png[(png.count - 8)..<(png.count - 4)], as: UTF8.self), "IEND")
  }

  func testImageNormalization() {
    let img = PlotImage(width: 2, height: 1, pixels: [-1, 3])
    XCTAssertEqual(img.bytes(.auto), [0, 255], "out of 0…1 → min-max")
    XCTAssertEqual(img.bytes(.unit), [0, 255])
    XCTAssertEqual(PlotImage(width: 2, height: 1, pixels: [0.5, 0.5]).bytes(.minMax), [128, 128])
    let chw = PlotImage(chw: [1, 2, 3, 4, 5, 6], channels: 3, height: 1, width: 2)
    XCTAssertEqual(chw.pixels, [1, 3, 5, 2, 4, 6])
  }
}
