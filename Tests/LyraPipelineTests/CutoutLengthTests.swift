import Foundation
import XCTest
import LyraBase
import LyraData
@testable import LyraPipeline

/// VEGA's Cifar10 `cutout_length`: a square of zeros (the mean, after normalisation) on
/// the training split only.
final class CutoutLengthTests: XCTestCase {
  func testCutoutMaskZeroesTheClippedSquareAroundADrawnPixel() {
    for seed in UInt64(0)..<20 {
      var s = Sample(features: Array(repeating: 1, count: 2 * 9 * 11), shape: [2, 9, 11], label: 0)
      CutoutMask(length: 6).apply(&s, generator: Generator(seed: seed))
      // The reference: the same draws, the square [c − 3, c + 3) clipped, in both channels.
      let g = Generator(seed: seed)
      let y = g.int(below: 9), x = g.int(below: 11)
      for ch in 0..<2 {
        for row in 0..<9 {
          for col in 0..<11 {
            let inside = row >= y - 3 && row < y + 3 && col >= x - 3 && col < x + 3
            XCTAssertEqual(s.features[(ch * 9 + row) * 11 + col], inside ? 0 : 1, "seed \(seed) at \(ch),\(row),\(col)")
          }
        }
      }
    }
    // Not an image, or length 0: unchanged.
    var flat = Sample(features: [1, 2, 3], shape: [3], label: 0)
    CutoutMask(length: 4).apply(&flat, generator: Generator(seed: 1))
    XCTAssertEqual(flat.features, [1, 2, 3])
    var image = Sample(features: Array(repeating: 1, count: 16), shape: [1, 4, 4], label: 0)
    CutoutMask(length: 0).apply(&image, generator: Generator(seed: 1))
    XCTAssertEqual(image.features, Array(repeating: 1, count: 16))
  }

  func testCutoutLengthMasksTheTrainingSplitOnly() throws {
    func section(_ extra: String) throws -> DatasetSection {
      try DatasetSection(json: try YAMLDocument(text: "{type: FashionMnist, common: {batch_size: 8, shuffle: false, max_samples: 8\(extra)}}").value)
    }
    let cut = try section(", cutout_length: 8"), plain = try section("")
    let a = try XCTUnwrap(cut.loader(.train).makeIterator().next()), b = try XCTUnwrap(plain.loader(.train).makeIterator().next())
    var changed = 0
    for i in 0..<8 {
      let range = (i * 784)..<((i + 1) * 784)
      let diff = range.filter { a.data[$0] != b.data[$0] }
      XCTAssertTrue(diff.allSatisfy { a.data[$0] == 0 }, "only zeros are written")
      XCTAssertLessThanOrEqual(diff.count, 64, "at most an 8×8 square")
      if !diff.isEmpty { changed += 1 }
    }
    XCTAssertGreaterThan(changed, 4)
    let ta = try XCTUnwrap(cut.loader(.test).makeIterator().next()), tb = try XCTUnwrap(plain.loader(.test).makeIterator().next())
    XCTAssertEqual(ta.data, tb.data, "test data is never masked")
    XCTAssertThrowsError(try section(", cutout_length: -1").loader(.train)) { XCTAssertTrue("\($0)".contains("cutout_length"), "\($0)") }
  }
}
