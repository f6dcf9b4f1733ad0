import XCTest
import LyraBase
@testable import LyraSpace

final class BindingTests: XCTestCase {
  func testNest() {
    let j = Binding.nest(["a.b.c": 1, "a.d": "x", "e": true])
    XCTAssertEqual(j, .object(["a": .object(["b": .object(["c": .number(1)]), "d": .string("x")]), "e": .bool(true)]))
  }

  func testApplySplitsNetworkFromHps() throws {
    let desc = try JSON.parse(Data(#"{"modules": ["backbone"], "backbone": {"type": "ResNet", "depth": 18, "num_class": 10}}"#.utf8))
    let c: Config = ["network.backbone.depth": 34, "trainer.optimizer.params.lr": 0.01, "dataset.batch_size": 64]
    let (model, hps) = Binding.apply(c, modelDescription: desc)
    XCTAssertEqual(model["backbone"]?["depth"]?.int, 34)
    XCTAssertEqual(model["backbone"]?["type"]?.string, "ResNet", "deep merge keeps siblings")
    XCTAssertEqual(model["backbone"]?["num_class"]?.int, 10)
    XCTAssertEqual(model["modules"], desc["modules"])
    XCTAssertEqual(hps["trainer"]?["optimizer"]?["params"]?["lr"]?.double, 0.01)
    XCTAssertEqual(hps["dataset"]?["batch_size"]?.int, 64)
    XCTAssertNil(hps["network"])
    XCTAssertNil(model["trainer"])
  }

  func testApplyWithoutNetworkKeepsDescription() throws {
    let desc = JSON.object(["backbone": .object(["depth": JSON(18)])])
    let (model, hps) = Binding.apply(["trainer.epochs": 3], modelDescription: desc)
    XCTAssertEqual(model, desc)
    XCTAssertEqual(hps["trainer"]?["epochs"]?.int, 3)
  }
}
