import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraNets

/// VEGA's `LinearClassificationHead` after a head-less backbone (its prune/quant examples).
final class ClassificationHeadTests: XCTestCase {
  let desc = #"{"modules": ["backbone", "head"], "backbone": {"type": "ResNetGeneral", "depth": 20, "base_channel": 16, "in_channels": 1},"#
    + #" "head": {"type": "LinearClassificationHead", "base_channel": 64, "num_classes": 7}}"#

  /// The head is pooling, flatten and one linear layer named as VEGA names them.
  func testHeadAfterResNetGeneralClassifiesAndKeepsVEGANames() throws {
    let m = try NetTest.build(desc)
    XCTAssertEqual(try m(NetTest.input([2, 1, 28, 28])).shape, [2, 7])
    let names = m.namedParameters().map(\.name)
    XCTAssertTrue(names.contains("head.linear.weight"), "\(names.suffix(3))")
    XCTAssertTrue(names.contains("head.linear.bias"))
    // The head adds exactly its linear layer to the backbone.
    let backbone = try NetTest.build(#"{"type": "ResNetGeneral", "depth": 20, "base_channel": 16, "in_channels": 1}"#)
    XCTAssertEqual(m.parameterCount, backbone.parameterCount + 64 * 7 + 7)
    // Rebuilt from its own description: the same architecture.
    XCTAssertEqual(NetTest.fingerprint(try NetworkRegistry.build(NetworkRegistry.describe(m))), NetTest.fingerprint(m))
    try NetTest.assertFiniteGradients(m, input: [2, 1, 28, 28], classes: 7)
  }

  func testBadKeysAreErrors() throws {
    XCTAssertThrowsError(try NetTest.build(#"{"type": "LinearClassificationHead", "num_classes": 3, "num_class": 3}"#)) {
      XCTAssertTrue("\($0)".contains("give num_classes or num_class"), "\($0)")
    }
    XCTAssertThrowsError(try NetTest.build(#"{"type": "LinearClassificationHead", "base_channel": 0}"#)) {
      XCTAssertTrue("\($0)".contains("base_channel"), "\($0)")
    }
    // A head wider than the backbone's output fails at the forward, with shapes, not a trap.
    let wrong = try NetTest.build(desc.replacingOccurrences(of: "\"base_channel\": 64", with: "\"base_channel\": 32"))
    XCTAssertThrowsError(try wrong(NetTest.input([1, 1, 28, 28])))
  }
}
