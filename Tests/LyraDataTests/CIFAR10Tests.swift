import XCTest
@testable import LyraData

/// The CIFAR-10 binary reader on synthetic batch files in the exact record format.
final class CIFAR10Tests: XCTestCase {
  /// Record r: label (r*3) % 10; pixel (c, y, x) = (r*7 + c*50 + y*3 + x) mod 256.
  func value(_ r: Int, _ c: Int, _ y: Int, _ x: Int) -> UInt8 { UInt8((r * 7 + c * 50 + y * 3 + x) % 256) }

  func records(_ range: Range<Int>) -> [UInt8] {
    var out: [UInt8] = []
    for r in range {
      out.append(UInt8(r * 3 % 10))
      for c in 0 ..< 3 { for y in 0 ..< 32 { for x in 0 ..< 32 { out.append(value(r, c, y, x)) } } }
    }
    return out
  }

  func testSyntheticBatchesInOrder() throws {
    let dir = TempDir()
    let a = dir.write("data_batch_1.bin", records(0 ..< 3))
    let b = dir.write("data_batch_2.bin.gz", gzipBytes(records(3 ..< 5)))
    let ds = try CIFAR10(files: [a, b], normalized: false)
    XCTAssertEqual(ds.count, 5)
    XCTAssertEqual(ds.data.labels, [0, 3, 6, 9, 2])
    for r in 0 ..< 5 {
      let s = ds.item(at: r)
      XCTAssertEqual(s.shape, [3, 32, 32])
      let img = Image(s)
      for (c, y, x) in [(0, 0, 0), (1, 0, 0), (2, 31, 31), (1, 5, 17), (0, 31, 0)] {
        XCTAssertEqual(img[c, y, x], Float(value(r, c, y, x)), "record \(r) pixel \(c),\(y),\(x)")
      }
    }
  }

  func testRootAndSplitFileNames() throws {
    let dir = TempDir()
    dir.write("test_batch.bin", records(0 ..< 2))
    let ds = try CIFAR10(split: .test, root: dir.path)
    XCTAssertEqual(ds.count, 2)
    // Normalised per channel with CIFAR-10 statistics.
    let s = ds.item(at: 1)
    XCTAssertEqual(s.features[1024], (Float(value(1, 1, 0, 0)) / 255 - 0.4822) / 0.2435, accuracy: 1e-6)
    assertDataError(try CIFAR10(split: .train, root: dir.path), contains: ["data_batch_1.bin", "cannot open"])
  }

  func testWrongSizeAndBadLabel() {
    let dir = TempDir()
    let short = dir.write("short.bin", Array(records(0 ..< 2).dropLast(100)))
    assertDataError(try CIFAR10(files: [short]), contains: ["short.bin", "wrong size", "6046", "1 records"])
    var bad = records(0 ..< 2)
    bad[3073] = 12
    let badLabel = dir.write("label.bin", bad)
    assertDataError(try CIFAR10(files: [badLabel]), contains: ["label.bin", "record 1", "label 12"])
    assertDataError(try CIFAR10(files: [dir.write("empty.bin", [])]), contains: ["empty.bin", "empty"])
  }
}
