import XCTest
@testable import LyraData

/// The CIFAR-100 binary reader on synthetic files in the exact record format.
final class CIFAR100Tests: XCTestCase {
  /// Record r: coarse label r % 20, fine label (r * 7) % 100; pixel (c, y, x) = (r + c*60 + y*2 + x) mod 256.
  func value(_ r: Int, _ c: Int, _ y: Int, _ x: Int) -> UInt8 { UInt8((r + c * 60 + y * 2 + x) % 256) }

  func records(_ range: Range<Int>) -> [UInt8] {
    var out: [UInt8] = []
    for r in range {
      out += [UInt8(r % 20), UInt8(r * 7 % 100)]
      for c in 0 ..< 3 { for y in 0 ..< 32 { for x in 0 ..< 32 { out.append(value(r, c, y, x)) } } }
    }
    return out
  }

  func testFineAndCoarseLabelsAndPixels() throws {
    let dir = TempDir()
    dir.write("train.bin", records(0 ..< 23))
    let fine = try CIFAR100(split: .train, root: dir.path, normalized: false)
    let coarse = try CIFAR100(split: .train, root: dir.path, label: .coarse, normalized: false)
    XCTAssertEqual(fine.count, 23)
    XCTAssertEqual(fine.data.labels, (0 ..< 23).map { Int32($0 * 7 % 100) })
    XCTAssertEqual(coarse.data.labels, (0 ..< 23).map { Int32($0 % 20) })
    XCTAssertEqual(fine.data.classes.count, 100)
    XCTAssertEqual(Set(fine.data.classes).count, 100)
    XCTAssertEqual(coarse.data.classes.count, 20)
    for r in [0, 5, 22] {
      let img = Image(fine.item(at: r))
      for (c, y, x) in [(0, 0, 0), (1, 3, 30), (2, 31, 31)] {
        XCTAssertEqual(img[c, y, x], Float(value(r, c, y, x)), "record \(r) pixel \(c),\(y),\(x)")
      }
      XCTAssertEqual(coarse.item(at: r).features, fine.item(at: r).features)
    }
    // Normalised with CIFAR-100 statistics by default.
    let norm = try CIFAR100(split: .train, root: dir.path)
    let expected = (Float(value(0, 1, 0, 0)) / 255 - 0.4865) / 0.2564
    XCTAssertEqual(norm.item(at: 0).features[1024], expected, accuracy: 1e-5)
  }

  func testTestSplitFileAndGzip() throws {
    let dir = TempDir()
    dir.write("test.bin", gzipBytes(records(0 ..< 2)))
    XCTAssertEqual(try CIFAR100(split: .test, root: dir.path).count, 2)
  }

  func testDamagedFilesAreErrorsNamingTheFile() throws {
    let dir = TempDir()
    let truncated = dir.write("train.bin", Array(records(0 ..< 3).dropLast(100)))
    assertDataError(try CIFAR100(files: [truncated]), contains: [truncated, "CIFAR-100", "3074-byte records", "truncated?"])
    var bad = records(0 ..< 2)
    bad[3074 + 1] = 100  // fine label of record 1
    let badFine = dir.write("bad.bin", bad)
    assertDataError(try CIFAR100(files: [badFine]), contains: [badFine, "record 1", "label 100", "0–99"])
    // The same file is fine with coarse labels, which are in range.
    XCTAssertEqual(try CIFAR100(files: [badFine], label: .coarse).count, 2)
    bad[3074] = 20
    let badCoarse = dir.write("bad2.bin", bad)
    assertDataError(try CIFAR100(files: [badCoarse], label: .coarse), contains: [badCoarse, "label 20", "0–19"])
    assertDataError(try CIFAR100(split: .test, root: dir.path), contains: ["test.bin", "cannot open"])
    let empty = dir.write("empty.bin", [])
    assertDataError(try CIFAR100(files: [empty]), contains: [empty, "empty"])
  }
}
