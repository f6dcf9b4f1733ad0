import XCTest
@testable import LyraData

/// The IDX reader on small hand-made files, raw and gzip, and on broken ones.
final class IDXTests: XCTestCase {
  /// A 3-image 2×3 file written byte by byte, so the test does not trust the encoder.
  let images: [UInt8] = [0, 0, 0x08, 0x03, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 3] + (0 ..< 18).map { UInt8($0 * 10) }
  let labels: [UInt8] = [0, 0, 0x08, 0x01, 0, 0, 0, 3, 7, 0, 9]

  func testRawAndGzipDecodeTheSame() throws {
    let dir = TempDir()
    let raw = try IDXArray(contentsOf: dir.write("x.idx", images))
    let gz = try IDXArray(contentsOf: dir.write("x.idx.gz", gzipBytes(images)))
    XCTAssertEqual(raw.shape, [3, 2, 3])
    XCTAssertEqual(raw.magic, 0x0000_0803)
    XCTAssertEqual(raw.bytes, (0 ..< 18).map { UInt8($0 * 10) })
    XCTAssertEqual(gz.shape, raw.shape)
    XCTAssertEqual(gz.bytes, raw.bytes)
    XCTAssertEqual(raw.encoded(), images)
  }

  func testImagePairLoadsAndNormalises() throws {
    let dir = TempDir()
    let ds = try IDXImages.load(images: dir.write("i.gz", gzipBytes(images)), labels: dir.write("l", labels),
                                classes: (0 ..< 10).map(String.init), normalization: .fashionMNIST)
    XCTAssertEqual(ds.count, 3)
    XCTAssertEqual(ds.labels, [7, 0, 9])
    let s = ds.item(at: 1)
    XCTAssertEqual(s.shape, [1, 2, 3])
    XCTAssertEqual(s.label, 0)
    for (i, v) in s.features.enumerated() {
      let pixel = Float((6 + i) * 10)
      XCTAssertEqual(v, (pixel / 255 - 0.2860) / 0.3530, accuracy: 1e-6)
    }
    var rawDs = ds
    rawDs.normalization = nil
    XCTAssertEqual(rawDs.item(at: 2).features, (12 ..< 18).map { Float($0 * 10) })
  }

  func testTruncatedFileNamesFileAndSizes() {
    let dir = TempDir()
    let p = dir.write("short.idx", Array(images.dropLast(5)))
    assertDataError(try IDXArray(contentsOf: p), contains: ["short.idx", "truncated", "34", "29"])
  }

  func testTrailingBytesAreWrongSize() {
    let dir = TempDir()
    let p = dir.write("long.idx", images + [1])
    assertDataError(try IDXArray(contentsOf: p), contains: ["long.idx", "wrong size"])
  }

  func testBadMagic() {
    let dir = TempDir()
    var bad = images
    bad[0] = 0x12
    assertDataError(try IDXArray(contentsOf: dir.write("bad.idx", bad)), contains: ["bad.idx", "bad magic"])
    bad = images
    bad[2] = 0x0D  // float elements
    assertDataError(try IDXArray(contentsOf: dir.write("f.idx", bad)), contains: ["f.idx", "0xd", "not supported"])
    assertDataError(try IDXArray(contentsOf: dir.write("tiny", [0, 0])), contains: ["tiny", "too short"])
    assertDataError(try IDXArray(contentsOf: dir.write("hdr", [0, 0, 8, 3, 0, 0, 0, 3])), contains: ["hdr", "truncated header"])
  }

  func testLabelsAsImagesAndMismatchedCountsAreErrors() {
    let dir = TempDir()
    let i = dir.write("i", images), l = dir.write("l", labels)
    assertDataError(try IDXImages.load(images: l, labels: i), contains: ["expected 3-d images", "0x801"])
    assertDataError(try IDXImages.load(images: i, labels: i), contains: ["expected 1-d labels"])
    let l2 = dir.write("l2", [0, 0, 8, 1, 0, 0, 0, 2, 1, 2])
    assertDataError(try IDXImages.load(images: i, labels: l2), contains: ["l2", "2 labels for 3 images"])
    assertDataError(try IDXImages.load(images: i, labels: l, classes: ["a", "b"]), contains: ["label 7 at index 0", "0..<2"])
  }

  /// Found by `scripts/fuzz idx --libfuzzer`: no images, but rows × cols past Int.max
  /// trapped where the image shape is multiplied (the element count of [0, H, W] is 0).
  func testZeroImagesOfUncountableSizeAreAnError() {
    let dir = TempDir()
    let header: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 0, 0xf8, 0xff, 0xfd, 0xfe, 0xff, 0xff, 0x08, 0xfb]
    let i = dir.write("huge", header), l = dir.write("l0", [0, 0, 8, 1, 0, 0, 0, 0])
    assertDataError(try IDXImages.load(images: i, labels: l), contains: ["huge", "one image"])
  }

  func testMissingFile() {
    assertDataError(try IDXArray(contentsOf: "/nonexistent/x.idx"), contains: ["/nonexistent/x.idx", "cannot open"])
  }
}
