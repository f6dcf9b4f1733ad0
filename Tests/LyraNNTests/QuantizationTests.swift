import Foundation
import LyraBase
import LyraTensor
import XCTest
@testable import LyraNN

/// Quantisation-aware layers: the integer grid by hand, straight-through gradients, the
/// model size, and integer storage that reloads the very same integers.
final class QuantizationTests: XCTestCase {
  func testSymmetricPerChannelIntegersByHand() {
    // the row maximum maps to ±qmax (scale 1 here, so the products are exact); ties round to even
    let (q8, s8) = QuantScheme.quantize([63.5, -127, 31.75, 0, 0, 0], rows: 2, bits: 8)
    XCTAssertEqual(q8, [64, -127, 32, 0, 0, 0])
    XCTAssertEqual(s8, [1, 0], "an all-zero row has scale 0 and integers 0")
    XCTAssertEqual(QuantScheme.quantize([3.5, -7, 1.75, 2.5], rows: 1, bits: 4).ints, [4, -7, 2, 2])
    let (q2, s2) = QuantScheme.quantize([0.5, -2, 1.5, -1.1], rows: 1, bits: 2) // ternary, scale 2
    XCTAssertEqual(q2, [0, -1, 1, -1])
    XCTAssertEqual(s2, [2])
    XCTAssertEqual(QuantScheme.fakeQuantize([0.5, -2, 1.5, -1.1], rows: 1, bits: 2), [0, -2, 2, -2])
    XCTAssertEqual(QuantScheme.quantize([0.3, -0.1], rows: 1, bits: 8).scales[0], 0.3 / 127)
    // activations: [-1, 3] on 8 bits → scale 4/255, zero point round(255/4) = 64
    let (s, z) = QuantScheme.affineParameters(lo: -1, hi: 3, bits: 8)
    XCTAssertEqual(s, 4 / 255, accuracy: 1e-9)
    XCTAssertEqual(z, 64)
  }

  func testLayersAndApply() throws {
    let cnn = ReferenceModels.cnn(generator: Generator(seed: 1))
    XCTAssertEqual(Quantization.layers(cnn), ["0", "4", "9", "11"])
    let q = try Quantization.apply(cnn, bits: [8, 4, 32, 2])
    XCTAssertEqual(Quantization.layers(q), ["0", "4", "9", "11"])
    XCTAssertEqual((q as! Sequential)[0].typeName, "QuantConv2d")
    XCTAssertEqual(((q as! Sequential)[4] as? QuantConv2d)?.bits, 4)
    XCTAssertTrue((q as! Sequential)[9] is Linear, "32 bits keeps the layer in float")
    XCTAssertEqual(((q as! Sequential)[11] as? QuantLinear)?.bits, 2)
    XCTAssertTrue((cnn[0] as AnyObject) is Conv2d, "the original is untouched")
    // re-quantising a quantised model, and back to float
    let back = try Quantization.apply(q, bits: [32, 32, 32, 32])
    XCTAssertEqual(back.describe(), cnn.describe())
    XCTAssertEqual(back.stateDict().keys.sorted(), cnn.stateDict().keys.sorted())
    XCTAssertEqual(back.stateDict()["0.weight"]!.toArray(), cnn.stateDict()["0.weight"]!.toArray())
    // MACs count as for the float layers
    XCTAssertEqual(try Profile(q, inputShape: [1, 1, 28, 28]).macsPerSample, try Profile(cnn, inputShape: [1, 1, 28, 28]).macsPerSample)
    XCTAssertThrowsError(try Quantization.apply(cnn, bits: [8, 8])) { XCTAssertTrue("\($0)".contains("2 bit widths for 4"), "\($0)") }
    XCTAssertThrowsError(try Quantization.apply(cnn, bits: [8, 8, 1, 8])) { XCTAssertTrue("\($0)".contains("bits 1 for layer 9"), "\($0)") }
  }

  /// 8-bit weights (and 8-bit inputs) change the reference CNN's outputs by a small fraction.
  func testEightBitErrorIsSmall() throws {
    let g = Generator(seed: 3)
    let cnn = ReferenceModels.cnn(generator: g)
    let x = Tensor.randn([8, 1, 28, 28], generator: g)
    cnn.eval()
    let ref = try Tensor.noGrad { try cnn(x) }.toArray()
    let scale = ref.map { Swift.abs($0) }.max()!
    for act: Int? in [nil, 8] {
      let q = try Quantization.apply(cnn, bits: [8, 8, 8, 8], activationBits: [Int?](repeating: act, count: 4))
      q.eval()
      let out = try Tensor.noGrad { try q(x) }.toArray()
      let err = zip(out, ref).map { Swift.abs($0 - $1) }.max()!
      XCTAssertLessThan(err, 0.03 * scale, "activation bits \(String(describing: act))")
      XCTAssertGreaterThan(err, 0, "quantisation must change something")
      let q2 = try Quantization.apply(cnn, bits: [2, 2, 2, 2])
      let err2 = zip(try Tensor.noGrad { try q2.eval()(x) }.toArray(), ref).map { Swift.abs($0 - $1) }.max()!
      XCTAssertGreaterThan(err2, err, "2 bits err more than 8")
    }
  }

  /// Straight-through: the gradient reaching the float weights (and the input) is the
  /// gradient of the same layer computing with the quantised weights, and that one
  /// agrees with finite differences of the float path.
  func testStraightThroughGradients() throws {
    let g = Generator(seed: 4)
    for conv in [false, true] {
      let float: Module = conv ? Conv2d(2, 3, 3, padding: 1, generator: g) : Linear(5, 4, generator: g)
      let q: QuantizedLayer = conv ? QuantConv2d(float as! Conv2d, bits: 3) : QuantLinear(float as! Linear, bits: 3)
      let x = (conv ? Tensor.randn([2, 2, 4, 4], generator: g) : Tensor.randn([3, 5], generator: g)).requiresGrad_()
      let (wq, _) = (q.effectiveWeight(), 0)
      ModuleRewrite.assign(conv ? (float as! Conv2d).weight : (float as! Linear).weight, wq)
      let r = Tensor.randn(try float(x).shape, generator: g)
      func loss(_ m: Module) throws -> Tensor { try m(x).mul(r).sum() }
      try loss(q).backward()
      let gq = q.weight.grad!.toArray(), gxq = x.grad!.toArray()
      x.zeroGrad()
      float.zeroGrad()
      XCTAssertEqual(try Tensor.noGrad { try q(x) }.toArray(), try Tensor.noGrad { try float(x) }.toArray(), "forward uses the integer weights")
      try loss(float).backward()
      let w = float.parameters()[0]
      XCTAssertEqual(gq, w.grad!.toArray(), "weight gradient passes straight through")
      XCTAssertEqual(gxq, x.grad!.toArray(), "input gradient")
      let eps: Float = 1e-2
      for i in stride(from: 0, to: w.count, by: 5) {
        let v = w.data[i]
        w.data[i] = v + eps
        let up = try Tensor.noGrad { try loss(float).item() }
        w.data[i] = v - eps
        let down = try Tensor.noGrad { try loss(float).item() }
        w.data[i] = v
        XCTAssertEqual(gq[i], (up - down) / (2 * eps), accuracy: 2e-3, "finite difference at \(i)")
      }
      x.zeroGrad()
    }
  }

  /// Activation quantisation: values inside the calibrated range pass their gradient,
  /// values outside are clipped and get none; training moves the range.
  func testActivationQuantisationClipsTheGradient() throws {
    let l = QuantLinear(Linear(2, 1, bias: false, generator: Generator(seed: 1)), bits: 8, activationBits: 8)
    l.eval()
    l.activationRange!.copy_(Tensor([-1, 1]))
    let x = Tensor([0.5, 3.0, -0.25, -2.0], shape: [2, 2]).requiresGrad_()
    let y = try l(x)
    y.sum().backward()
    let w = l.effectiveWeight().toArray()
    XCTAssertEqual(x.grad!.toArray(), [w[0], 0, w[0], 0])
    let yv = y.toArray(), clipped = Tensor.noGrad { l.effectiveWeight() }
    XCTAssertEqual(yv[0], 0.5 * clipped.toArray()[0] + 1 * clipped.toArray()[1], accuracy: 1e-2, "3.0 is clipped to the range's top")
    l.train()
    _ = try l(Tensor([0, 11], shape: [1, 2]))
    XCTAssertEqual(l.activationRange!.toArray(), [-0.9, 2.0], "EMA with momentum 0.1")
  }

  /// Size in bits by hand: quantised weights at their width plus a 32-bit scale per
  /// output channel; everything else 32 bits.
  func testSizeBitsByHand() throws {
    let cnn = ReferenceModels.cnn()
    XCTAssertEqual(Quantization.sizeBits(cnn), 421_738 * 32)
    let q = try Quantization.apply(cnn, bits: [8, 4, 2, 32])
    let expected = (288 * 8 + 32 * 32) + 64 * 32 // conv1 (no bias), BN 32
      + (18_432 * 4 + 64 * 32) + 128 * 32 // conv2, BN 64
      + (401_408 * 2 + 128 * 32) + 128 * 32 // fc1 weight + scales, bias
      + (1_280 + 10) * 32 // fc2 in float
    XCTAssertEqual(Quantization.sizeBits(q), expected)
    XCTAssertLessThan(Double(Quantization.sizeBits(try Quantization.apply(cnn, bits: [8, 8, 8, 8]))), 0.26 * 421_738 * 32)
  }

  /// Integers on disk: I8 for 8 bits, packed U8 for 4 and 2 bits; the reloaded model has
  /// the identical integers and computes the same outputs; the file's weight bytes match
  /// `sizeBits`.
  func testIntegerStorageRoundTrip() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-quant-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let g = Generator(seed: 6)
    let cnn = ReferenceModels.cnn(generator: g)
    _ = try cnn(Tensor.randn([4, 1, 28, 28], generator: g)) // non-trivial running statistics
    let q = try Quantization.apply(cnn, bits: [8, 4, 2, 5], activationBits: [nil, 8, 8, nil])
    _ = try q(Tensor.randn([4, 1, 28, 28], generator: g)) // calibrates activation ranges
    let path = dir.appendingPathComponent("q.safetensors").path
    try QuantizedCheckpoint.save(q, to: path)
    let st = try SafeTensors.read(from: path)
    XCTAssertEqual(st.entries["0.weight"]?.dtype, .i8)
    XCTAssertEqual(st.entries["0.weight"]?.shape, [32, 1, 3, 3])
    XCTAssertEqual(st.entries["4.weight"]?.dtype, .u8)
    XCTAssertEqual(st.entries["4.weight"]?.shape, [18_432 / 2])
    XCTAssertEqual(st.entries["9.weight"]?.shape, [401_408 / 4])
    XCTAssertEqual(st.entries["11.weight"]?.dtype, .i8, "5 bits are stored unpacked")
    XCTAssertEqual(st.entries["9.weight_scale"]?.shape, [128])
    let packedBits = ["0.weight", "4.weight", "9.weight"].map { st.entries[$0]!.data.count * 8 }.reduce(0, +)
    XCTAssertEqual(packedBits, 288 * 8 + 18_432 * 4 + 401_408 * 2)

    let back = try QuantizedCheckpoint.load(path)
    XCTAssertEqual(back.describe(), q.describe())
    let layers = Quantization.layers(q)
    let mods = Dictionary(back.namedModules().map { ($0.name, $0.module) }, uniquingKeysWith: { a, _ in a })
    for (name, m) in q.namedModules() where layers.contains(name) {
      let a = (m as! QuantizedLayer).quantizedWeight(), b = (mods[name] as! QuantizedLayer).quantizedWeight()
      XCTAssertEqual(a.ints, b.ints, name)
      for (u, v) in zip(a.scales, b.scales) { XCTAssertEqual(u, v, accuracy: u.ulp * 2, name) }
    }
    q.eval()
    back.eval()
    let x = Tensor.randn([2, 1, 28, 28], generator: g)
    let ya = try Tensor.noGrad { try q(x) }.toArray(), yb = try Tensor.noGrad { try back(x) }.toArray()
    for (u, v) in zip(ya, yb) { XCTAssertEqual(u, v, accuracy: 1e-5) }
    // a float checkpoint of the quantised model rebuilds it too (bits are in the description)
    let fpath = dir.appendingPathComponent("f.safetensors").path
    try Checkpoint.save(q, to: fpath)
    XCTAssertEqual(try Checkpoint.load(fpath).describe(), q.describe())
    // a file that does not fit is refused
    let other = try Quantization.apply(cnn, bits: [8, 8, 8, 8])
    XCTAssertThrowsError(try QuantizedCheckpoint.loadWeights(into: other, from: path)) {
      XCTAssertTrue("\($0)".contains("4.weight: expected 8-bit integers as I8"), "\($0)")
    }
  }

  func testPackingRoundTripsEveryValue() throws {
    for bits in [2, 4] {
      let qm = QuantScheme.qmax(bits)
      let ints = (0..<37).map { Int8(($0 % (2 * qm + 1)) - qm) }
      let e = QuantPacking.entry(ints, bits: bits, shape: [37])
      XCTAssertEqual(e.data.count, (37 * bits + 7) / 8)
      XCTAssertEqual(try QuantPacking.ints(e, bits: bits, shape: [37], name: "x"), ints)
    }
  }

  func testDescriptionsRebuildQuantisedLayers() throws {
    let d: JSON = .object(["type": .string("QuantConv2d"), "in_channels": JSON(2), "out_channels": JSON(4), "kernel_size": JSON(3),
                           "bits": JSON(4), "activation_bits": JSON(8)])
    let m = try XCTUnwrap(try ModuleRegistry.build(d) as? QuantConv2d)
    XCTAssertEqual([m.bits, m.activationBits], [4, 8])
    XCTAssertEqual(try ModuleRegistry.build(m.describe()).describe(), m.describe())
    XCTAssertThrowsError(try ModuleRegistry.build(.object(["type": .string("QuantLinear"), "in_features": JSON(2),
                                                           "out_features": JSON(2), "bits": JSON(9)]))) {
      XCTAssertTrue("\($0)".contains("bits: must be in 2...8, got 9"), "\($0)")
    }
    XCTAssertThrowsError(try ModuleRegistry.build(.object(["type": .string("QuantLinear"), "in_features": JSON(2), "out_features": JSON(2)]))) {
      XCTAssertTrue("\($0)".contains("missing 'bits'"), "\($0)")
    }
  }

  /// Quantisation-aware fine-tuning runs: a few SGD steps lower the loss on a fixed batch.
  func testQuantisationAwareFineTuneStep() throws {
    let g = Generator(seed: 8)
    let q = try Quantization.apply(ReferenceModels.cnn(generator: g), bits: [4, 4, 4, 4], activationBits: [8, 8, 8, 8])
    let x = Tensor.randn([16, 1, 28, 28], generator: g), y = Tensor(indices: (0..<16).map { $0 % 10 })
    let opt = SGD(q.parameters(), lr: 0.05, momentum: 0.9)
    var losses: [Float] = []
    for _ in 0..<5 {
      opt.zeroGrad()
      let loss = Tensor.crossEntropy(try q(x), y)
      loss.backward()
      opt.step()
      losses.append(loss.item())
    }
    XCTAssertLessThan(losses.last!, losses.first!, "\(losses)")
  }
}
