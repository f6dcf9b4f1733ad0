import Foundation
import LyraBase
import LyraNN
import LyraSpace
import LyraTensor
import XCTest
@testable import LyraNets

/// The paper's Network / Cell / Block / Operator wrappers: unique dotted names, lookup by
/// prefix, and `to_desc` (a network's description rebuilds the same architecture).
final class NetworkTests: XCTestCase {
  static let descriptions = [
    #"{"type": "ResNet", "depth": 18, "base_channel": 8, "in_channels": 1, "doublechannel": [0,1,0,0,1,0,1,0], "downsample": 2}"#,
    #"{"type": "ResNetGeneral", "base_depth": 50, "base_channel": 4, "convs": {"inchannels": \#(Array(repeating: 4, count: 48) + [8])}}"#,
    #"{"type": "DNet", "encoding": "031-*01120-c01a13_16_1-21", "in_channels": 1, "n_class": 5}"#,
    #"{"type": "MobileNetV2", "width_mult": 0.25, "in_channels": 1}"#,
    #"{"modules": ["backbone", "head"], "backbone": {"type": "ResNetGeneral", "depth": 20, "in_channels": 1},"#
      + #" "head": {"type": "Sequential", "modules": [{"type": "AdaptiveAvgPool2d"}, {"type": "Flatten"}, {"type": "Linear", "in_features": 64, "out_features": 10}]}}"#,
  ]

  func testEveryModuleHasAUniqueDottedName() throws {
    for text in Self.descriptions {
      let m = try NetTest.build(text)
      let all = m.namedModules()
      XCTAssertEqual(Set(all.map(\.name)).count, all.count, text)
      XCTAssertEqual(Set(all.map { ObjectIdentifier($0.module) }).count, all.count, "no module appears twice: \(text)")
      for (name, module) in all { XCTAssertTrue(m.module(named: name) === module, name) }
    }
    let r = try NetTest.build(Self.descriptions[0])
    XCTAssertTrue(r.module(named: "backbone.stage2.block1.conv1") is Operator)
    XCTAssertTrue(r.module(named: "backbone.stage2.block1.conv1.conv") is Conv2d)
    XCTAssertTrue(r.module(named: "backbone.stage2.block1") is ResidualBlock)
    XCTAssertTrue(r.module(named: "backbone") is Network)
    XCTAssertNil(r.module(named: "backbone.stage9"))
    XCTAssertTrue(r.namedParameters().map(\.name).contains("backbone.stage2.block1.conv1.bn.weight"))
  }

  /// A prefix matches whole name components: `stage1.block1` is not `stage1.block10`.
  func testModulesUnderAPrefix() throws {
    let m = try NetTest.build(#"{"type": "DNet", "encoding": "1-_8_111111111111", "in_channels": 1}"#)
    let under = m.modules(under: "stage1.block1").map(\.name)
    XCTAssertEqual(under, ["stage1.block1", "stage1.block1.layer1", "stage1.block1.layer1.conv", "stage1.block1.layer1.bn"])
    XCTAssertEqual(m.modules(ofType: Block.self, under: "stage1").count, 12)
    XCTAssertEqual(m.modules(ofType: Operator.self, under: "stem").map(\.name), ["stem.conv1", "stem.conv2", "stem.conv3"])
    XCTAssertEqual(m.modules(under: "").count, m.namedModules().count)
    XCTAssertTrue(m.modules(under: "stage").isEmpty)
  }

  /// build → desc → JSON text → build: the same parameter and buffer names and shapes.
  func testDescriptionRoundTripRebuildsTheSameArchitecture() throws {
    for text in Self.descriptions {
      let m = try NetTest.build(text)
      let d = NetworkRegistry.describe(m)
      XCTAssertEqual(d, try NetTest.json(text), "a network returns the description it was built from")
      let rebuilt = try NetworkRegistry.build(try NetTest.json(d.text))
      XCTAssertEqual(NetTest.fingerprint(rebuilt), NetTest.fingerprint(m), text)
      XCTAssertEqual(rebuilt.description, m.description)
    }
  }

  /// `describe()` of a network is its description (a composite is tagged `type: Network`),
  /// and once installed LyraNN's registry builds it, so checkpoints reload networks.
  func testCheckpointsOfNetworksReload() throws {
    LyraNets.bootstrap()
    let m = try NetTest.build(Self.descriptions[4])
    XCTAssertEqual(m.describe()["type"], .string("Network"))
    XCTAssertEqual(NetTest.fingerprint(try ModuleRegistry.build(m.describe())), NetTest.fingerprint(m))
    let dnet = try NetTest.build(Self.descriptions[2])
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-nets-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("dnet.safetensors").path
    try Checkpoint.save(dnet, to: path)
    let loaded = try Checkpoint.load(path)
    XCTAssertEqual(NetworkRegistry.describe(loaded), NetworkRegistry.describe(dnet))
    let x = NetTest.input([2, 1, 28, 28])
    dnet.eval()
    loaded.eval()
    XCTAssertEqual(try loaded(x).toArray(), try dnet(x).toArray())
  }

  /// The backbone inside a ResNet is a network of its own whose description rebuilds it.
  func testNestedBackboneCarriesItsOwnDescription() throws {
    let m = try NetTest.build(Self.descriptions[0])
    let backbone = try XCTUnwrap(m.module(named: "backbone") as? Network)
    XCTAssertEqual(backbone.desc["type"], .string("ResNetGeneral"))
    XCTAssertNil(backbone.desc["num_class"])
    let rebuilt = try NetworkRegistry.build(backbone.desc)
    XCTAssertEqual(NetTest.fingerprint(rebuilt), NetTest.fingerprint(backbone))
  }

  func testCompositeOfSeveralPartsNamesThem() throws {
    let m = try NetTest.build(Self.descriptions[4])
    XCTAssertTrue(m is Network)
    XCTAssertEqual(m.children.map(\.name), ["backbone", "head"])
    XCTAssertEqual(try m(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"modules": ["a.b"], "a.b": {"type": "ReLU"}}"#) }.contains("without dots"))
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"modules": ["a", "a"], "a": {"type": "ReLU"}}"#) }.contains("listed twice"))
  }

  /// Fine-grained keys bound from a sampled search space (`network.*` → model description).
  func testFineGrainedKeysFromASearchSpace() throws {
    let space = try SearchSpace(jsonText: #"""
      {"hyperparameters": [
        {"key": "network.backbone.cell.inchannels", "type": "MultiPositionArray", "range": [8, 3]},
        {"key": "network.backbone.downsample", "type": "BINARY_CODE", "range": [8, 2]}]}
      """#)
    let base = try NetTest.json(#"{"modules": ["backbone"], "backbone": {"type": "ResNet", "depth": 18, "base_channel": 4, "in_channels": 1}}"#)
    let g = Generator(seed: 3)
    for _ in 0..<4 {
      let config = space.sample(g)
      let desc = NetworkRegistry.description(base: base, config: config)
      let m = try NetworkRegistry.build(desc)
      XCTAssertEqual((m.module(named: "head") as? Linear)?.inFeatures, 4 * 8, "three doublings of 4, wherever they are")
      XCTAssertEqual(m.modules(ofType: Cell.self, under: "backbone").count - 1, 1 + 2 - (firstBlockStrided(config) ? 1 : 0))
      XCTAssertEqual(try m(NetTest.input([1, 1, 28, 28])).shape, [1, 10])
    }
  }
}

/// Whether a sampled `downsample` code strides block 0 (which then opens no new stage).
private func firstBlockStrided(_ config: Config) -> Bool {
  guard case .list(let bits)? = config["network.backbone.downsample"] else { return false }
  return bits.first?.number == 1
}
