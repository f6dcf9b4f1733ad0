import XCTest
@testable import LyraData

/// Compressed IDX files whose header and contents disagree (issue 14): the header's
/// claimed size is checked before the data is inflated, and inflating stops once more
/// bytes arrive than the header claims.
final class IDXGzipBombTests: XCTestCase {
  /// The header of a `[count, 28, 28]` unsigned-byte image file.
  func header(_ dims: [Int]) -> [UInt8] {
    var h: [UInt8] = [0, 0, 0x08, UInt8(dims.count)]
    for n in dims { h += [UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] }
    return h
  }

  /// A one-image header followed by 512 MiB of zeros (512 concatenated gzip members of
  /// 1 MiB each: a ~0.5 MB file). Inflating it whole needed a 512 MiB buffer, which dies
  /// under a 256 MiB address-space cap; now inflating stops at byte 801.
  func testBombBehindSmallHeaderStopsAtTheClaimedSize() {
    let dir = TempDir()
    let zeros = gzipBytes([UInt8](repeating: 0, count: 1 << 20))
    var file = gzipBytes(header([1, 28, 28]))
    for _ in 0 ..< 512 { file += zeros }
    let p = dir.write("bomb-images-idx3-ubyte.gz", file)
    XCTAssertEqual(AddressSpaceProbe.run(headroom: 256 << 20) { _ = try IDXArray(contentsOf: p) }, .exited(1))
    assertDataError(try IDXArray(contentsOf: p), contains: ["bomb-images-idx3-ubyte.gz", "inflates to more than 800 bytes"])
  }

  /// A header claiming 2^31 × 2^31 bytes is refused from the header alone, before any
  /// data is inflated, with the size it asked for.
  func testClaimedSizeAboveTheCapIsRefusedFromTheHeader() {
    let dir = TempDir()
    let p = dir.write("huge.gz", gzipBytes(header([1 << 31, 1 << 31]) + [1, 2, 3]))
    assertDataError(try IDXArray(contentsOf: p), contains: ["huge.gz", "IDX: the header claims 4611686018427387916 bytes", "above the limit"])
  }

  /// A compressed file cut short, in the header and in the data: clear errors.
  func testTruncatedCompressedFiles() {
    let dir = TempDir()
    let full = gzipBytes(header([2, 2, 2]) + [1, 2, 3, 4, 5, 6, 7, 8])
    let shortData = dir.write("short.gz", gzipBytes(header([2, 2, 2]) + [1, 2, 3]))
    assertDataError(try IDXArray(contentsOf: shortData), contains: ["short.gz", "truncated", "needs 24 bytes"])
    let cut = dir.write("cut.gz", Array(full.prefix(full.count - 12)))
    assertDataError(try IDXArray(contentsOf: cut), contains: ["cut.gz", "truncated"])
    let headerOnly = dir.write("head.gz", gzipBytes([0, 0, 0x08, 3, 0, 0]))
    assertDataError(try IDXArray(contentsOf: headerOnly), contains: ["head.gz", "truncated header"])
  }
}
