import XCTest
@testable import LyraData

/// Gzip decoding: round trip, concatenated members, and every way a stream can be broken.
final class GzipTests: XCTestCase {
  let payload: [UInt8] = (0 ..< 200_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }

  func testRoundTripLargerThanInitialBuffer() throws {
    let gz = gzipBytes(payload)
    XCTAssertTrue(FileBytes.isGzip(gz))
    XCTAssertEqual(try FileBytes.gunzip(gz, file: "mem"), payload)
  }

  func testConcatenatedMembers() throws {
    let a: [UInt8] = Array("hello ".utf8), b: [UInt8] = Array("world".utf8)
    XCTAssertEqual(try FileBytes.gunzip(gzipBytes(a) + gzipBytes(b), file: "mem"), a + b)
  }

  func testTruncatedGzip() {
    let gz = gzipBytes(payload)
    let dir = TempDir()
    let p = dir.write("cut.gz", Array(gz.prefix(gz.count / 2)))
    assertDataError(try FileBytes.read(p), contains: ["cut.gz", "gzip", "truncated"])
  }

  func testCorruptGzip() {
    var gz = gzipBytes(payload)
    for i in 20 ..< 60 { gz[i] ^= 0x5A }
    let dir = TempDir()
    let p = dir.write("bad.gz", gz)
    assertDataError(try FileBytes.read(p), contains: ["bad.gz", "gzip", "corrupt"])
  }

  func testCorruptCRCIsDetected() {
    var gz = gzipBytes(Array("some text to checksum".utf8))
    gz[gz.count - 6] ^= 0xFF  // inside the CRC-32 trailer
    assertDataError(try FileBytes.gunzip(gz, file: "crc.gz"), contains: ["crc.gz", "corrupt"])
  }

  func testTrailingGarbage() {
    let gz = gzipBytes(Array("abc".utf8)) + [1, 2, 3]
    assertDataError(try FileBytes.gunzip(gz, file: "g.gz"), contains: ["g.gz", "trailing garbage"])
  }

  func testRawFilesPassThrough() throws {
    let dir = TempDir()
    XCTAssertEqual(try FileBytes.read(dir.write("r", [1, 2, 3])), [1, 2, 3])
    XCTAssertEqual(try FileBytes.read(dir.write("e", [])), [])
  }
}
