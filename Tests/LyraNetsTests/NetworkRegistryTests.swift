import XCTest
import LyraBase
import LyraNN
import LyraSpace
import LyraTensor
@testable import LyraNets

final class NetworkRegistryTests: XCTestCase {
  func testVEGAStyleDescriptionWithModulesAndBinding() throws {
    let base: JSON = .object(["modules": .array([.string("backbone")]),
                              "backbone": .object(["type": .string("SimpleCnn"), "num_class": JSON(10)])])
    let desc = NetworkRegistry.description(base: base, config: ["network.backbone.width": .double(0.5), "trainer.epochs": .int(1)])
    XCTAssertEqual(desc["backbone"]?["width"], .number(0.5))
    let m = try NetworkRegistry.build(desc)
    let y = try m(Tensor.zeros([2, 1, 28, 28]))
    XCTAssertEqual(y.shape, [2, 10])
    XCTAssertEqual((m as! Sequential)[0].description, "Conv2d(1 -> 16, 3x3, pad 1, no bias)")
  }

  func testFashionCnnIsTheReferenceCNN() throws {
    let m = try NetworkRegistry.build(.object(["type": .string("FashionCnn")]))
    XCTAssertEqual(m.parameterCount, 421_738)
  }

  func testErrorsNameTheKey() {
    XCTAssertThrowsError(try NetworkRegistry.build(.object(["type": .string("SimpleCNN")]))) { e in
      XCTAssertTrue("\(e)".contains("unknown network type 'SimpleCNN' (did you mean 'SimpleCnn'?)"), "\(e)")
    }
    XCTAssertThrowsError(try NetworkRegistry.build(.object(["type": .string("SimpleCnn"), "widht": .number(2)]))) { e in
      XCTAssertTrue("\(e)".contains("unknown key 'widht'"), "\(e)")
    }
    XCTAssertThrowsError(try NetworkRegistry.build(.object(["modules": .array([.string("head")])]))) { e in
      XCTAssertTrue("\(e)".contains("part 'head' listed in modules has no description"), "\(e)")
    }
  }
}

/// The first part of a description takes its unset input keys from the data's sample
/// shape, and the completed description rebuilds the same model without the data.
final class InputHintTests: XCTestCase {
  func testResNetTakesInChannelsFromTheDataAndRecordsThem() throws {
    let desc: JSON = .object(["modules": .array([.string("backbone")]),
                              "backbone": .object(["type": .string("ResNet"), "depth": JSON(18), "base_channel": JSON(8), "num_class": JSON(10)])])
    let (model, full) = try NetworkRegistry.buildDescribed(desc, input: [1, 28, 28])
    XCTAssertEqual(full["backbone"]?["in_channels"]?.int, 1)
    XCTAssertNil(full["backbone"]?["image_size"], "only keys the builder read are recorded")
    let y = try model(Tensor.zeros([2, 1, 28, 28]))
    XCTAssertEqual(y.shape, [2, 10])
    // Rebuilt from the completed description, without any data: the same parameters.
    let again = try NetworkRegistry.build(full)
    XCTAssertEqual(again.namedParameters().map(\.tensor.shape), model.namedParameters().map(\.tensor.shape))
    XCTAssertEqual(NetworkRegistry.describe(model)["in_channels"]?.int, 1)
    // An explicit value wins over the data.
    let explicit: JSON = .object(["type": .string("ResNet"), "depth": JSON(18), "base_channel": JSON(8), "in_channels": JSON(3)])
    XCTAssertEqual(try NetworkRegistry.buildDescribed(explicit, input: [1, 28, 28]).desc["in_channels"]?.int, 3)
  }

  func testMLPTakesInFeaturesAndOnlyTheFirstPartGetsHints() throws {
    let mlp: JSON = .object(["type": .string("MLP"), "hidden": .array([JSON(8)])])
    let (m, full) = try NetworkRegistry.buildDescribed(mlp, input: [3, 4, 4])
    XCTAssertEqual(full["in_features"]?.int, 48)
    XCTAssertEqual(try m(Tensor.zeros([5, 3, 4, 4])).shape, [5, 10])
    let two: JSON = .object(["modules": .array([.string("a"), .string("b")]),
                             "a": .object(["type": .string("MLP"), "hidden": .array([JSON(8)]), "num_class": JSON(6)]),
                             "b": .object(["type": .string("MLP"), "hidden": .array([JSON(4)])])])
    let (_, d2) = try NetworkRegistry.buildDescribed(two, input: [1, 2, 2])
    XCTAssertEqual(d2["a"]?["in_features"]?.int, 4)
    XCTAssertNil(d2["b"]?["in_features"])
  }
}

/// A VEGA type that exists only for TensorFlow is named with what to use instead.
final class TensorFlowOnlyNetworkTests: XCTestCase {
  func testResNetSlimSaysWhatItIsAndWhatToUse() {
    XCTAssertThrowsError(try NetworkRegistry.build(.object(["type": .string("ResNetSlim"), "depth": .number(50)]))) { e in
      let text = "\(e)"
      XCTAssertTrue(text.contains("ResNetSlim is VEGA's TensorFlow-slim ResNet v1"), text)
      XCTAssertTrue(text.contains("use type: ResNet with the same depth"), text)
    }
  }
}
