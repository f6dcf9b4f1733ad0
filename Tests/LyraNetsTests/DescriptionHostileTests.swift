import Foundation
import LyraBase
import LyraNN
@testable import LyraNets
import XCTest

/// Hostile model descriptions found by fuzzing `lyra.nn.load` / `nn.build` (issue 14):
/// every integer is bounded and every parameter tensor's size is checked before the
/// layer allocates it, so each is an error naming the key path, not an allocation abort.
final class DescriptionHostileTests: XCTestCase {
  func assertDescriptionError(_ text: String, _ parts: [String], file: StaticString = #filePath, line: UInt = #line) {
    do {
      _ = try NetworkRegistry.build(try JSON.parse(Data(text.utf8)))
      XCTFail("expected a DescriptionError containing \(parts)", file: file, line: line)
    } catch let e as DescriptionError {
      for p in parts { XCTAssertTrue(e.message.contains(p), "'\(e.message)' lacks '\(p)'", file: file, line: line) }
    } catch {
      XCTFail("expected a DescriptionError, got \(error)", file: file, line: line)
    }
  }

  /// `in_features = 2^32` allocated a 2^32 × out weight (abort).
  func testHugeIntegerIsRefusedNamingTheKey() {
    assertDescriptionError(#"{"type": "Linear", "in_features": 4294967296, "out_features": 10}"#,
                           ["Linear).in_features", "at most 16777216", "4294967296"])
  }

  /// Found by a mutation run over descriptions: a convolution padded by 2^24 (or 65536)
  /// and a pooling padded beyond its window made the forward pass allocate 2^54 bytes.
  func testWindowSizesAreBounded() {
    assertDescriptionError(#"{"type": "Conv2d", "in_channels": 1, "out_channels": 2, "kernel_size": 3, "padding": 16777216}"#,
                           ["Conv2d).padding", "at most 4096"])
    assertDescriptionError(#"{"type": "Conv2d", "in_channels": 1, "out_channels": 2, "kernel_size": 3, "padding": 2048}"#,
                           ["Conv2d).padding", "at most the dilated kernel size 3x3"])
    assertDescriptionError(#"{"type": "MaxPool2d", "kernel_size": 2, "padding": 65536}"#, ["MaxPool2d).padding", "at most half"])
    assertDescriptionError(#"{"type": "AvgPool2d", "kernel_size": 2, "stride": 1000000}"#, ["AvgPool2d).stride", "1…4096"])
  }

  /// `kernel_size = 1e12` (a float that is an integer) for a convolution and a pooling.
  func testHugeKernelSizeIsRefused() {
    assertDescriptionError(#"{"type": "Conv2d", "in_channels": 1, "out_channels": 1, "kernel_size": 1e12}"#,
                           ["Conv2d).kernel_size", "at most 4096"])
    assertDescriptionError(#"{"type": "Conv2d", "in_channels": 1, "out_channels": 1, "kernel_size": [3, 1e12]}"#,
                           ["Conv2d).kernel_size"])
    assertDescriptionError(#"{"type": "MaxPool2d", "kernel_size": 1000000000000}"#, ["MaxPool2d).kernel_size", "at most"])
  }

  /// Integers within the bound whose product is terabytes: the weight's size is checked
  /// (overflow and the LYRA_MAX_TENSOR_BYTES cap) before `Linear` / `Conv2d` allocate it.
  func testParameterTensorsBeyondTheCapAreRefusedBeforeAllocating() {
    assertDescriptionError(#"{"type": "Linear", "in_features": 1000000, "out_features": 1000000}"#,
                           ["Linear): weight [out_features, in_features]", "[1000000, 1000000]", "above the limit"])
    assertDescriptionError(#"{"type": "Conv2d", "in_channels": 4096, "out_channels": 4096, "kernel_size": 4096}"#,
                           ["Conv2d): weight [out_channels, in_channels / groups, kernel_size]", "above the limit"])
    assertDescriptionError(#"{"type": "Embedding", "num_embeddings": 16000000, "embedding_dim": 16000000}"#,
                           ["Embedding): weight [num_embeddings, embedding_dim]", "above the limit"])
    assertDescriptionError(#"{"type": "Sequential", "modules": [{"type": "ReLU"}, {"type": "Linear", "in_features": 1000000, "out_features": 1000000}]}"#,
                           ["modules[2](Linear)", "above the limit"])
  }

  /// The network builders: MLP hidden sizes and SimpleCnn channels whose layers are too big.
  func testNetworkLayersAreCheckedBeforeBuilding() {
    assertDescriptionError(#"{"type": "MLP", "in_features": 16777216, "hidden": [16777216]}"#, ["MLP", "weight [hidden[1], in_features]", "above the limit"])
    assertDescriptionError(#"{"type": "MLP", "hidden": [4294967296]}"#, ["MLP", "hidden", "1…16777216"])
    assertDescriptionError(#"{"type": "SimpleCnn", "channels": 65536, "blocks": 2}"#, ["SimpleCnn", "convolution weight", "above the limit"])
    assertDescriptionError(#"{"type": "SimpleCnn", "image_size": 16777216, "blocks": 1, "channels": 64}"#, ["SimpleCnn", "hidden layer weight", "above the limit"])
  }

  /// Descriptions that reached a layer's precondition (a trap): empty `Add`/`Concat`,
  /// a child name that is empty or dotted, an adaptive pool to 0×0 (or to 2^24 × 2^24).
  func testValuesThatLayerPreconditionsRejectAreErrors() {
    assertDescriptionError(#"{"type": "Concat", "modules": []}"#, ["Concat).modules", "at least one module"])
    assertDescriptionError(#"{"type": "Add", "modules": []}"#, ["Add).modules", "at least one module"])
    assertDescriptionError(#"{"type": "Sequential", "modules": [{"type": "ReLU"}], "names": ["a.b"]}"#, ["names[1]", "without dots"])
    assertDescriptionError(#"{"type": "Sequential", "modules": [{"type": "ReLU"}], "names": [""]}"#, ["names[1]", "non-empty"])
    assertDescriptionError(#"{"type": "Sequential", "modules": [{"type": "ReLU"}, {"type": "Tanh"}], "names": ["a", "a"]}"#, ["names[2]", "used twice"])
    assertDescriptionError(#"{"type": "AdaptiveAvgPool2d", "output_size": [0, 3]}"#, ["AdaptiveAvgPool2d).output_size", "1…4096"])
    // Found by a mutation run: a 2^24 × 2^24 output per plane (2^50 bytes at forward).
    assertDescriptionError(#"{"type": "AdaptiveAvgPool2d", "output_size": 16777216}"#, ["AdaptiveAvgPool2d).output_size", "at most 4096"])
  }

  /// Sane descriptions still build.
  func testSaneDescriptionsBuild() throws {
    let m = try NetworkRegistry.build(try JSON.parse(Data(#"{"type": "MLP", "in_features": 16, "hidden": [8], "num_class": 3}"#.utf8)))
    XCTAssertEqual(m.parameters().map(\.count).reduce(0, +), 16 * 8 + 8 + 8 * 3 + 3)
  }
}
