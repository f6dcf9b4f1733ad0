import XCTest
import LyraBase
@testable import LyraData

/// Resize and crops against values worked out by hand (PyTorch's bilinear with
/// align_corners=False gives the same numbers).
final class ImageGeometryTests: XCTestCase {
  func sample(_ rows: [[Float]], channels: Int = 1) -> Sample {
    let plane = rows.flatMap { $0 }
    let data = (0..<channels).flatMap { c in plane.map { $0 + Float(c) * 100 } }
    return Sample(features: data, shape: [channels, rows.count, rows[0].count], label: 3)
  }

  func testBilinearUpsampleMatchesPyTorch() {
    var s = sample([[0, 1], [2, 3]])
    Resize(.exact(height: 4, width: 4)).apply(&s, generator: Generator(seed: 0))
    let expected: [Float] = [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]
    XCTAssertEqual(s.shape, [1, 4, 4])
    for (a, b) in zip(s.features, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    XCTAssertEqual(s.label, 3)
  }

  /// Halving samples between pixel pairs: each output is the mean of a 2×2 block.
  func testBilinearDownsampleAveragesBlocksPerChannel() {
    var s = sample([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]], channels: 2)
    Resize(.exact(height: 2, width: 2)).apply(&s, generator: Generator(seed: 0))
    XCTAssertEqual(s.shape, [2, 2, 2])
    let expected: [Float] = [2.5, 4.5, 10.5, 12.5, 102.5, 104.5, 110.5, 112.5]
    for (a, b) in zip(s.features, expected) { XCTAssertEqual(a, b, accuracy: 1e-5) }
  }

  func testShorterSideKeepsTheAspectRatio() {
    XCTAssertEqual(Resize(.shorterSide(8)).outputShape([3, 4, 6]), [3, 8, 12])
    XCTAssertEqual(Resize(.shorterSide(8)).outputShape([3, 6, 4]), [3, 12, 8])
    var s = sample(Array(repeating: Array(repeating: 7, count: 6), count: 4))
    Resize(.shorterSide(8)).apply(&s, generator: Generator(seed: 1))
    XCTAssertEqual(s.shape, [1, 8, 12])
    XCTAssertTrue(s.features.allSatisfy { abs($0 - 7) < 1e-6 }, "a constant image stays constant")
  }

  func testCenterCropTakesTheMiddleWindow() {
    var s = sample([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]])
    let crop = Crop2D(height: 2, width: 2, random: false)
    XCTAssertEqual(crop.outputShape(s.shape), [1, 2, 2])
    crop.apply(&s, generator: Generator(seed: 0))
    XCTAssertEqual(s.features, [5, 6, 9, 10])
  }

  /// Every random crop is a window of the zero-padded image, and the windows vary.
  func testRandomCropIsAWindowOfThePaddedImage() {
    let rows: [[Float]] = (0..<4).map { r in (0..<4).map { Float(r * 4 + $0 + 1) } }
    var padded = Array(repeating: Array(repeating: Float(0), count: 6), count: 6)
    for r in 0..<4 { for c in 0..<4 { padded[r + 1][c + 1] = rows[r][c] } }
    var corners = Set<[Int]>()
    for seed in 0..<40 {
      var s = sample(rows)
      Crop2D(height: 4, width: 4, padding: 1, random: true).apply(&s, generator: Generator(seed: UInt64(seed)))
      var found: [Int]?
      for y in 0...2 { for x in 0...2 where (0..<4).allSatisfy({ r in (0..<4).allSatisfy { padded[y + r][x + $0] == s.features[r * 4 + $0] } }) {
        found = [y, x]
      } }
      XCTAssertNotNil(found, "\(s.features)")
      if let found { corners.insert(found) }
    }
    XCTAssertGreaterThan(corners.count, 5)
  }
}
