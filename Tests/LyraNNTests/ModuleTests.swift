import Foundation
import LyraBase
import LyraTensor
import XCTest
@testable import LyraNN

final class ModuleTests: XCTestCase {
  func testReferenceModelsHaveTheSpecifiedSizesAndFLOPs() throws {
    let mlp = ReferenceModels.mlp(), cnn = ReferenceModels.cnn(), res = ReferenceModels.resnetMini()
    XCTAssertEqual(mlp.parameterCount, 235_146)
    XCTAssertEqual(cnn.parameterCount, 421_738)
    XCTAssertEqual(res.parameterCount, 174_970)
    let p = try Profile(cnn, inputShape: [2, 1, 28, 28])
    XCTAssertEqual(Double(p.macsPerSample) / 1e6, 4.24, accuracy: 0.01)
    XCTAssertEqual(Double(try Profile(res, inputShape: [1, 1, 28, 28]).macsPerSample) / 1e6, 20.18, accuracy: 0.01)
    XCTAssertEqual(Double(try Profile(mlp, inputShape: [1, 1, 28, 28]).macsPerSample) / 1e6, 0.235, accuracy: 0.001)
    XCTAssertEqual(p.rows.first { $0.name == "4" }?.macs, 2 * 3_612_672) // conv2: 64·14·14·32·9 per sample
    XCTAssertEqual(p.rows.last?.output, [2, 10])
  }

  func testNamesParametersAndModes() {
    let m = ReferenceModels.resnetMini()
    let names = m.namedParameters().map(\.name)
    XCTAssertEqual(names.first, "0.weight")
    XCTAssertTrue(names.contains("5.0.1.0.weight"), "shortcut conv of the first strided block")
    XCTAssertEqual(Set(names).count, names.count)
    XCTAssertTrue(m.namedBuffers().map(\.name).contains("1.running_mean"))
    m.eval()
    XCTAssertTrue(m.namedModules().allSatisfy { !$0.module.training })
    m.train()
    XCTAssertTrue(m.namedModules().allSatisfy { $0.module.training })
  }

  /// Gradients of a whole network (conv, BN, pooling, residual Add, linear) against
  /// finite differences of its loss.
  func testNetworkGradientsMatchFiniteDifferences() throws {
    let g = Generator(seed: 5)
    let net = Sequential([
      Conv2d(2, 3, 3, padding: 1, generator: g), BatchNorm2d(3), ReLU(),
      Add([Conv2d(3, 3, 1, generator: g), Identity()]), MaxPool2d(2), Flatten(), Linear(3 * 2 * 2, 4, generator: g),
    ])
    let x = Tensor((0..<(3 * 2 * 4 * 4)).map { _ in Float(g.normal()) }, shape: [3, 2, 4, 4])
    let y = Tensor(indices: [0, 3, 1])
    let loss = Tensor.crossEntropy(try net(x), y)
    net.zeroGrad()
    loss.backward()
    let eps: Float = 1e-3
    for (name, p) in net.namedParameters() where p.count <= 60 {
      let analytic = p.grad!.toArray()
      for i in stride(from: 0, to: p.count, by: max(1, p.count / 7)) {
        let v = p.data[i]
        p.data[i] = v + eps
        let up = try Tensor.noGrad { Tensor.crossEntropy(try net(x), y).item() }
        p.data[i] = v - eps
        let down = try Tensor.noGrad { Tensor.crossEntropy(try net(x), y).item() }
        p.data[i] = v
        let numeric = (up - down) / (2 * eps)
        XCTAssertEqual(analytic[i], numeric, accuracy: 2e-3 + 0.05 * abs(numeric), "\(name)[\(i)]")
      }
    }
  }

  func testDescriptionRoundTripRebuildsTheSameArchitecture() throws {
    for m in [ReferenceModels.mlp(), ReferenceModels.cnn(), ReferenceModels.resnetMini()] {
      let d = m.describe()
      let rebuilt = try ModuleRegistry.build(try JSON.parse(Data(d.description.utf8)))
      XCTAssertEqual(rebuilt.describe(), d)
      XCTAssertEqual(rebuilt.parameterCount, m.parameterCount)
      XCTAssertEqual(rebuilt.namedParameters().map(\.name), m.namedParameters().map(\.name))
    }
  }

  func testBadDescriptionsNameTheKey() {
    func expect(_ text: String, _ fragment: String, line: UInt = #line) {
      XCTAssertThrowsError(try ModuleRegistry.build(try JSON.parse(Data(text.utf8))), line: line) { e in
        XCTAssertTrue("\(e)".contains(fragment), "\(e)", line: line)
      }
    }
    expect(#"{"type": "Conv2D", "in_channels": 1, "out_channels": 2}"#, "did you mean 'Conv2d'")
    expect(#"{"type": "Linear", "in_features": 3, "out_featres": 2}"#, "unknown key 'out_featres' (did you mean 'out_features'?)")
    expect(#"{"type": "Linear", "in_features": 0, "out_features": 2}"#, "in_features: must be at least 1")
    expect(#"{"type": "Sequential", "modules": [{"type": "ReLU"}, {"type": "Linear", "in_features": "x", "out_features": 1}]}"#,
           "modules[2](Linear).in_features: expected an integer")
    expect(#"{"type": "Dropout", "p": 2}"#, "must be in [0.0, 1.0]")
  }

  func testCheckpointRoundTripGivesIdenticalOutputs() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-ckpt-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let m = ReferenceModels.resnetMini(generator: Generator(seed: 3))
    let x = Tensor.randn([2, 1, 28, 28], generator: Generator(seed: 4))
    _ = try m(x) // moves running statistics away from their initial values
    m.eval()
    let path = dir.appendingPathComponent("model.safetensors").path
    try Checkpoint.save(m, to: path)
    XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("model.json").path))
    let back = try Checkpoint.load(path)
    back.eval()
    let a = try Tensor.noGrad { try m(x) }.toArray(), b = try Tensor.noGrad { try back(x) }.toArray()
    XCTAssertEqual(a, b)
    // a file for another architecture is refused, naming the problem
    let other = ReferenceModels.cnn()
    XCTAssertThrowsError(try Checkpoint.loadWeights(into: other, from: path)) { e in
      XCTAssertTrue("\(e)".contains("missing") || "\(e)".contains("unexpected"), "\(e)")
    }
  }

  func testBadInputsAreErrorsNotCrashes() {
    func expect(_ m: Module, _ x: Tensor, _ fragment: String, line: UInt = #line) {
      XCTAssertThrowsError(try m(x), line: line) { XCTAssertTrue("\($0)".contains(fragment), "\($0)", line: line) }
    }
    expect(Linear(4, 2), Tensor.zeros([3, 5]), "Linear: expected input [..., 4], got [3, 5]")
    expect(Conv2d(3, 8, 3), Tensor.zeros([1, 1, 8, 8]), "Conv2d: expected input [N, 3, H, W], got [1, 1, 8, 8]")
    expect(Conv2d(1, 8, 5), Tensor.zeros([1, 1, 3, 3]), "is smaller than the window of 5")
    expect(MaxPool2d(2), Tensor.zeros([4, 4]), "MaxPool2d: expected input [N, C, H, W]")
    expect(BatchNorm2d(3), Tensor.zeros([1, 3, 1, 1]), "more than one value per channel")
    expect(Embedding(5, 2), Tensor(indices: [1, 7]), "index 7 is out of range")
    expect(Add([Linear(4, 2), Linear(4, 3)]), Tensor.zeros([1, 4]), "Add: branch 1 gives [1, 3]")
    expect(Sequential([Flatten(), Linear(10, 2)]), Tensor.zeros([2, 3, 3]), "Linear: expected input [..., 10], got [2, 9]")
  }

  func testPrintingShowsTheTree() {
    let s = "\(ReferenceModels.basicBlock(16, 32, stride: 2))"
    XCTAssertTrue(s.contains("Conv2d(16 -> 32, 3x3, stride 2, pad 1, no bias)"), s)
    XCTAssertTrue(s.contains("(1): Sequential {"), s)
  }

  func testLatencyIsMeasured() throws {
    let t = try Latency.measure(ReferenceModels.mlp(), inputShape: [1, 1, 28, 28], warmup: 1, repeats: 3)
    XCTAssertGreaterThan(t, 0)
    XCTAssertLessThan(t, 1)
  }

  /// Sequential's fused patterns (BN+ReLU, Add+ReLU, eval conv+BN folding) give the same
  /// outputs, gradients and running statistics as running every module on its own.
  func testFusedSequentialMatchesUnfused() throws {
    defer { Sequential.fusion = true }
    for name in ["cnn", "resnet_mini"] {
      let x = Tensor.randn([6, 1, 28, 28], generator: Generator(seed: 3))
      var results: [[[Float]]] = []
      for fused in [true, false] {
        Sequential.fusion = fused
        let m = ReferenceModels.named(name, generator: Generator(seed: 1))!
        let y = try m(x)
        y.mul(Tensor.randn(y.shape, generator: Generator(seed: 4))).sum().backward()
        var r = [y.toArray()] + m.parameters().map { $0.grad!.toArray() } + m.namedBuffers().map { $0.tensor.toArray() }
        m.eval()
        r.append(try Tensor.noGrad { try m(x) }.toArray())
        results.append(r)
      }
      XCTAssertEqual(results[0].count, results[1].count)
      for (k, (a, b)) in zip(results[0], results[1]).enumerated() {
        XCTAssertEqual(a.count, b.count)
        for (u, v) in zip(a, b) where !(Swift.abs(u - v) <= 1e-3 * Swift.max(1, Swift.abs(v))) {
          XCTFail("\(name) result \(k): \(u) vs \(v)")
          break
        }
      }
    }
  }

  /// Inference in groups of images pooled while in cache (`PoolFusion`) gives the very same
  /// outputs as the whole batch at once, for the float CNN and its integer-quantised copy, with
  /// group sizes that do and do not divide the batch.
  func testPoolFusionGroupsMatchTheWholeBatchBitForBit() throws {
    let saved = (PoolFusion.groupBytes, PoolFusion.threadLimit)
    defer { (PoolFusion.groupBytes, PoolFusion.threadLimit) = saved }
    PoolFusion.threadLimit = Int.max // whatever the machine's thread count
    let cnn = ReferenceModels.cnn(generator: Generator(seed: 2))
    let quant = try Quantization.apply(cnn, bits: [8, 8, 8, 8], activationBits: [8, 8, 8, 8])
    quant.train()
    _ = try Tensor.noGrad { try quant(Tensor.randn([4, 1, 28, 28], generator: Generator(seed: 5))) } // calibrates
    let x = Tensor.randn([7, 1, 28, 28], generator: Generator(seed: 6))
    for m in [cnn, quant] {
      m.eval()
      PoolFusion.groupBytes = Int.max / 2 // one group: the whole batch
      let whole = try Tensor.noGrad { try m(x) }.toArray()
      for bytes in [1, 32 * 28 * 28 * 4 * 2, 32 * 28 * 28 * 4 * 3] { // 1, 2 and 3 images per group
        PoolFusion.groupBytes = bytes
        XCTAssertEqual(try Tensor.noGrad { try m(x) }.toArray(), whole, "\(m.typeName) with groups of \(bytes) bytes")
      }
      XCTAssertNil(PoolFusion.match((m as! Sequential).children.map(\.module), at: 1), "a match starts at a convolution")
      m.train()
      XCTAssertNil(PoolFusion.match((m as! Sequential).children.map(\.module), at: 0), "never in training mode")
    }
  }
}
