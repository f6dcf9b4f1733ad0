import Foundation
import LyraBase
import LyraTensor
import XCTest
@testable import LyraNN

/// Channel pruning: which channels group together, and that the smaller network computes
/// exactly what the original computes once the removed channels are forced to zero.
final class PruningTests: XCTestCase {
  /// Random masks keeping about half of every group (at least one channel).
  static func halfMasks(_ groups: [PruneGroup], _ g: Generator) -> [[Bool]] {
    groups.map { grp in
      var m = (0..<grp.channels).map { _ in g.uniform(0, 1) < 0.5 }
      if !m.contains(true) { m[0] = true }
      if !m.contains(false), m.count > 1 { m[m.count - 1] = false }
      return m
    }
  }

  /// Gives every batch norm random affine parameters and running statistics, so that a
  /// removed channel would change the output if the pruning were wrong.
  static func randomizeBatchNorms(_ m: Module, _ g: Generator) {
    for (_, bn) in m.namedModules() {
      guard let bn = bn as? BatchNorm else { continue }
      let n = bn.features
      bn.weight!.copy_(Tensor((0..<n).map { _ in Float(g.uniform(0.5, 1.5)) }))
      bn.bias!.copy_(Tensor((0..<n).map { _ in Float(g.uniform(-0.5, 0.5)) }))
      bn.runningMean.copy_(Tensor((0..<n).map { _ in Float(g.uniform(-0.2, 0.2)) }))
      bn.runningVar.copy_(Tensor((0..<n).map { _ in Float(g.uniform(0.5, 2)) }))
    }
  }

  /// The original with the removed channels forced to zero: for a convolution followed by
  /// batch norm, the BN's scale and shift of those channels are zeroed (zeroing the conv
  /// alone would leave BN's shift); without BN, the conv's weights and bias; a depthwise
  /// convolution carrying the channels gets its bias zeroed too.
  static func zeroedReference(_ model: Module, masks: [[Bool]]) throws -> Module {
    let ref = try ModuleRewrite.copy(model, name: "")
    let modules = Dictionary(ref.namedModules().map { ($0.name, $0.module) }, uniquingKeysWith: { a, _ in a })
    func next(_ name: String) -> Module? {
      var parts = name.split(separator: ".").map(String.init)
      guard let last = parts.popLast(), let i = Int(last) else { return nil }
      return modules[(parts + [String(i + 1)]).joined(separator: ".")]
    }
    func zero(_ t: Tensor?, rows: [Int]) {
      guard let t else { return }
      let per = t.count / t.shape[0]
      for r in rows { for j in 0..<per { t.data[r * per + j] = 0 } }
    }
    for (grp, mask) in zip(Pruning.groups(model), masks) {
      let removed = mask.indices.filter { !mask[$0] }
      for name in grp.convolutions + grp.depthwise {
        let conv = modules[name] as! Conv2d
        if let bn = next(name) as? BatchNorm {
          zero(bn.weight, rows: removed)
          zero(bn.bias, rows: removed)
        } else {
          if !grp.depthwise.contains(name) { zero(conv.weight, rows: removed) }
          zero(conv.bias, rows: removed)
        }
      }
    }
    return ref
  }

  func assertClose(_ a: Tensor, _ b: Tensor, _ what: String, tol: Float = 1e-4, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, what, line: line)
    for (u, v) in zip(a.toArray(), b.toArray()) where !(Swift.abs(u - v) <= tol * Swift.max(1, Swift.abs(v))) {
      XCTFail("\(what): \(u) vs \(v)", line: line)
      return
    }
  }

  func testGroupsOfTheReferenceCNN() {
    let groups = Pruning.groups(ReferenceModels.cnn())
    XCTAssertEqual(groups.map(\.channels), [32, 64])
    XCTAssertEqual(groups.map(\.convolutions), [["0"], ["4"]])
    XCTAssertEqual(Pruning.groups(ReferenceModels.mlp()), [], "no convolutions, nothing to prune")
  }

  /// Residual sums share one mask: the stem and every block output of a stage (identity
  /// shortcuts), or a block's second conv with its projection shortcut.
  func testResidualConvolutionsShareOneMask() {
    let groups = Pruning.groups(ReferenceModels.resnetMini())
    XCTAssertEqual(groups.map(\.convolutions), [
      ["0", "3.0.0.3", "4.0.0.3"], ["3.0.0.0"], ["4.0.0.0"],
      ["5.0.0.0"], ["5.0.0.3", "5.0.1.0", "6.0.0.3"], ["6.0.0.0"],
      ["7.0.0.0"], ["7.0.0.3", "7.0.1.0", "8.0.0.3"], ["8.0.0.0"],
    ])
    XCTAssertEqual(groups.map(\.channels), [16, 16, 16, 32, 32, 32, 64, 64, 64])
  }

  /// Pruned = original with the removed channels zeroed, in evaluation (running
  /// statistics, conv+BN folding) and in training mode (batch statistics).
  func testPrunedCNNComputesTheOriginalWithRemovedChannelsZeroed() throws {
    let g = Generator(seed: 11)
    for name in ["cnn", "resnet_mini"] {
      let model = ReferenceModels.named(name, generator: g)!
      PruningTests.randomizeBatchNorms(model, g)
      let masks = PruningTests.halfMasks(Pruning.groups(model), g)
      let pruned = try Pruning.apply(model, masks: masks)
      let ref = try PruningTests.zeroedReference(model, masks: masks)
      XCTAssertLessThan(pruned.parameterCount, model.parameterCount * 2 / 3, name)
      let x = Tensor.randn([4, 1, 28, 28], generator: g)
      for training in [false, true] {
        pruned.train(training)
        ref.train(training)
        let a = try Tensor.noGrad { try pruned(x) }, b = try Tensor.noGrad { try ref(x) }
        assertClose(a, b, "\(name) training=\(training)")
      }
      // the original is untouched
      XCTAssertEqual(Pruning.groups(model).map(\.channels), Pruning.groups(ref).map(\.channels))
    }
  }

  /// A plain conv net without batch norm: biases, a depthwise convolution that follows its
  /// producer's mask, a channel `Concat`, and `Flatten` → `Linear` over 4×4 positions.
  func testPlainConvNetWithDepthwiseConcatAndFlatten() throws {
    let g = Generator(seed: 5)
    let net = Sequential([
      Conv2d(3, 8, 3, padding: 1, generator: g), ReLU(),
      Conv2d(8, 8, 3, padding: 1, groups: 8, generator: g), ReLU(),
      Concat([Conv2d(8, 4, 1, generator: g), Conv2d(8, 6, 1, generator: g)]), ReLU(),
      Conv2d(10, 6, 3, stride: 2, padding: 1, generator: g), ReLU(), Dropout(0.5),
      Flatten(), Linear(96, 3, generator: g),
    ])
    let groups = Pruning.groups(net)
    XCTAssertEqual(groups.map(\.convolutions), [["0"], ["4.0"], ["4.1"], ["6"]])
    XCTAssertEqual(groups[0].depthwise, ["2"])
    let masks = [
      [true, false, true, true, false, false, true, true], [false, true, true, false],
      [true, true, false, true, false, true], [false, true, true, false, true, true],
    ]
    let pruned = try Pruning.apply(net, masks: masks)
    let dw = try XCTUnwrap(pruned.namedModules().first { $0.name == "2" }?.module as? Conv2d)
    XCTAssertEqual([dw.inChannels, dw.outChannels, dw.groups], [5, 5, 5])
    XCTAssertEqual((pruned.namedModules().first { $0.name == "10" }?.module as? Linear)?.inFeatures, 4 * 16)
    let ref = try PruningTests.zeroedReference(net, masks: masks)
    pruned.eval()
    ref.eval()
    let x = Tensor.randn([2, 3, 8, 8], generator: g)
    assertClose(try pruned(x), try ref(x), "plain net")
  }

  /// Parameters and multiply-adds of the half-pruned reference CNN, counted by hand.
  func testPrunedCNNSizeAndMACsByHand() throws {
    let model = ReferenceModels.cnn()
    let masks = [(0..<32).map { $0 % 2 == 0 }, (0..<64).map { $0 < 32 }]
    let pruned = try Pruning.apply(model, masks: masks)
    // conv 1→16 (3×3, no bias), BN 16, conv 16→32, BN 32, Linear 32·7·7→128, Linear 128→10
    let params = 16 * 9 + 2 * 16 + 32 * 16 * 9 + 2 * 32 + (32 * 49 * 128 + 128) + (128 * 10 + 10)
    XCTAssertEqual(pruned.parameterCount, params)
    let macs = 28 * 28 * 16 * 9 + 14 * 14 * 32 * 16 * 9 + 32 * 49 * 128 + 128 * 10
    let p = try Profile(pruned, inputShape: [2, 1, 28, 28])
    XCTAssertEqual(p.macsPerSample, macs)
    let full = try Profile(model, inputShape: [1, 1, 28, 28]).macsPerSample
    XCTAssertGreaterThan(Double(full) / Double(macs), 3.4, "half the channels of both convs: more than 2× fewer MACs")
    XCTAssertEqual(try pruned(Tensor.zeros([3, 1, 28, 28])).shape, [3, 10])
    // all-true masks give the same architecture
    XCTAssertEqual(try Pruning.apply(model, masks: Pruning.fullMasks(model)).describe(), model.describe())
  }

  /// The pruned network is an ordinary model: its description rebuilds it and a checkpoint
  /// saves and reloads it with identical outputs.
  func testPrunedModelSavesAndReloads() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-prune-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let g = Generator(seed: 2)
    let model = ReferenceModels.resnetMini(generator: g)
    PruningTests.randomizeBatchNorms(model, g)
    let pruned = try Pruning.apply(model, masks: try Pruning.l1Masks(model, keep: 0.5))
    let rebuilt = try ModuleRegistry.build(pruned.describe())
    XCTAssertEqual(rebuilt.describe(), pruned.describe())
    XCTAssertEqual(rebuilt.namedParameters().map { $0.tensor.shape }, pruned.namedParameters().map { $0.tensor.shape })
    let path = dir.appendingPathComponent("pruned.safetensors").path
    try Checkpoint.save(pruned, to: path)
    let back = try Checkpoint.load(path)
    pruned.eval()
    back.eval()
    let x = Tensor.randn([2, 1, 28, 28], generator: g)
    XCTAssertEqual(try Tensor.noGrad { try pruned(x) }.toArray(), try Tensor.noGrad { try back(x) }.toArray())
    XCTAssertEqual(Pruning.groups(back).map(\.channels), [8, 8, 8, 16, 16, 16, 32, 32, 32])
  }

  func testL1MasksKeepTheLargestFilters() throws {
    let model = ReferenceModels.cnn(generator: Generator(seed: 1))
    let conv = model[0] as! Conv2d
    Tensor.noGrad {
      conv.weight.mul_(0.01)
      for c in [3, 7, 30] { conv.weight.select(0, c).fill_(1) }
    }
    let masks = try Pruning.l1Masks(model, keep: 3.0 / 32)
    XCTAssertEqual(masks[0].indices.filter { masks[0][$0] }, [3, 7, 30])
    XCTAssertEqual(masks[1].filter { $0 }.count, 6)
    XCTAssertThrowsError(try Pruning.l1Masks(model, keep: 0))
  }

  func testBadMasksAreClearErrors() {
    let model = ReferenceModels.cnn()
    func expect(_ masks: [[Bool]], _ fragment: String, line: UInt = #line) {
      XCTAssertThrowsError(try Pruning.apply(model, masks: masks), line: line) {
        XCTAssertTrue("\($0)".contains(fragment), "\($0)", line: line)
      }
    }
    let ok = [[Bool](repeating: true, count: 32), [Bool](repeating: true, count: 64)]
    expect([ok[0]], "1 masks for 2 prunable groups")
    expect([ok[0], [true]], "mask 2 has 1 entries for the 64 channels of 4")
    expect([[Bool](repeating: false, count: 32), ok[1]], "mask 1 (0) removes every channel")
    XCTAssertThrowsError(try Pruning.apply(model, masks: [[Int]](repeating: [2], count: 2))) {
      XCTAssertTrue("\($0)".contains("entries must be 0 or 1"), "\($0)")
    }
  }

  /// What cannot be pruned is left alone: grouped convolutions, the network's last conv,
  /// a residual sum with a fixed (input) branch, and anything inside an unknown module.
  func testFrozenChannels() {
    final class Opaque: Module {
      let conv = Conv2d(4, 4, 1)
      override init() {
        super.init()
        register(child: "conv", conv)
      }
      override func forward(_ x: Tensor) throws -> Tensor { try conv(x) }
    }
    let net = Sequential([
      Conv2d(2, 4, 3, padding: 1), Conv2d(4, 4, 3, padding: 1, groups: 2), // grouped: input frozen
      Add([Conv2d(4, 4, 1), Identity()]), // sums with a grouped conv's fixed output: frozen
      Conv2d(4, 4, 1), Opaque(), // feeds an unknown module: frozen
      Conv2d(4, 6, 1), ReLU(), Conv2d(6, 3, 1), // 5 is prunable; 7 is the output
    ])
    XCTAssertEqual(Pruning.groups(net).map(\.convolutions), [["5"]])
  }

  /// A pruned model fine-tunes like any other: its loss falls on a fixed batch.
  func testPrunedModelFineTunes() throws {
    let g = Generator(seed: 9)
    let model = ReferenceModels.cnn(generator: g)
    let pruned = try Pruning.apply(model, masks: try Pruning.l1Masks(model, keep: 0.5))
    let x = Tensor.randn([16, 1, 28, 28], generator: g), y = Tensor(indices: (0..<16).map { $0 % 10 })
    let opt = SGD(pruned.parameters(), lr: 0.05, momentum: 0.9)
    var losses: [Float] = []
    for _ in 0..<5 {
      opt.zeroGrad()
      let loss = Tensor.crossEntropy(try pruned(x), y)
      loss.backward()
      opt.step()
      losses.append(loss.item())
    }
    XCTAssertLessThan(losses.last!, losses.first!)
  }

  /// Latency is measured in scripts/bench, not asserted (timing in tests is noise); what must
  /// hold is that the measurement runs on both models, leaves their mode alone, and that the
  /// half-pruned CNN really does less work (fewer MACs and parameters, same output shape).
  func testHalfPrunedCNNDoesLessWorkAndIsMeasurable() throws {
    let model = ReferenceModels.cnn(generator: Generator(seed: 1))
    let pruned = try Pruning.apply(model, masks: try Pruning.l1Masks(model, keep: 0.5))
    let shape = [4, 1, 28, 28]
    let full = try Profile(model, inputShape: shape), half = try Profile(pruned, inputShape: shape)
    XCTAssertLessThan(half.macs, full.macs * 6 / 10, "half the channels of each conv leave well under 60% of the MACs")
    XCTAssertLessThan(half.parameters, full.parameters)
    XCTAssertEqual(half.rows.last?.output, full.rows.last?.output)
    model.train(true)
    let a = try Latency.measure(model, inputShape: shape, warmup: 0, repeats: 1)
    let b = try Latency.measure(pruned, inputShape: shape, warmup: 0, repeats: 1)
    XCTAssertTrue(a.isFinite && a > 0 && b.isFinite && b > 0)
    XCTAssertTrue(model.training, "Latency.measure restores training mode")
  }

}
