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
