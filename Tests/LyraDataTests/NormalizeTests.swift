import LyraBase
import XCTest
@testable import LyraData

/// Normalisation as a transform and folded into image datasets agree with the formula.
final class NormalizeTests: XCTestCase {
  func testPerChannelTransform() {
    var s = Sample(features: [0, 255, 51, 102, 255, 0], shape: [3, 1, 2], label: 0)
    Normalize(mean: [0.5, 0.2, 0.0], std: [0.5, 0.2, 1.0]).apply(&s, generator: Generator(seed: 0))
    let expected: [Float] = [-1, 1, 0, 1, 1, 0]
    for (a, b) in zip(s.features, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
  }

  func testSingleStatisticAppliesToAllChannels() {
    var s = Sample(features: [255, 0], shape: [2, 1, 1], label: 0)
    Normalize(mean: [0.5], std: [0.5]).apply(&s, generator: Generator(seed: 0))
    XCTAssertEqual(s.features, [1, -1])
  }

  func testDatasetLookupMatchesTransform() {
    let pixels: [UInt8] = (0 ..< 12).map { UInt8($0 * 21) }
    let normalised = ImageDataset(pixels: pixels, labels: [1], imageShape: [3, 2, 2], normalization: .cifar10)
    let raw = ImageDataset(pixels: pixels, labels: [1], imageShape: [3, 2, 2])
    var s = raw.item(at: 0)
    XCTAssertEqual(s.features, pixels.map(Float.init))
    XCTAssertEqual(raw.image(at: 0).pixels, s.features)
    Normalize(.cifar10).apply(&s, generator: Generator(seed: 0))
    let n = normalised.item(at: 0)
    for (a, b) in zip(n.features, s.features) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    XCTAssertEqual(n.features[4], (84 / 255 - 0.4822) / 0.2435, accuracy: 1e-6)
  }
}
