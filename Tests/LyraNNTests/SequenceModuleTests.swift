import LyraBase
import LyraTensor
import XCTest
@testable import LyraNN

/// Values of the sequence modules against naive references written from PyTorch's
/// formulas (plain loops in Double, one time step, one head at a time), and their
/// argument checks. The gradients are checked in ModuleGradCheckSequenceCases.swift.
final class SequenceModuleTests: XCTestCase {
  func testLSTMGradients() throws { try ModuleGradCases.run("LSTM") }
  func testGRUGradients() throws { try ModuleGradCases.run("GRU") }
  func testRNNGradients() throws { try ModuleGradCases.run("RNN") }
  func testMultiheadAttentionGradients() throws { try ModuleGradCases.run("MultiheadAttention") }
  func testTransformerEncoderLayerGradients() throws { try ModuleGradCases.run("TransformerEncoderLayer") }
  func testTransformerEncoderGradients() throws { try ModuleGradCases.run("TransformerEncoder") }

  /// The stack starts as copies of its template and is its blocks applied in order, then the norm.
  func testEncoderStackIsItsLayersInOrder() throws {
    let template = TransformerEncoderLayer(8, 2, dimFeedforward: 12, dropout: 0, generator: Generator(seed: 1))
    let e = try TransformerEncoder(template, numLayers: 3, norm: true)
    XCTAssertEqual(e.layers.count, 3)
    for l in e.layers {
      XCTAssertFalse(l === template)
      XCTAssertEqual(l.selfAttn.inProjWeight.toArray(), template.selfAttn.inProjWeight.toArray())
    }
    XCTAssertTrue(e.namedParameters().map(\.name).contains("layers.2.norm2.bias"))
    XCTAssertTrue(e.namedParameters().map(\.name).contains("norm.weight"))
    GradData.randomize(e, seed: 2)
    let x = GradData.tensor([4, 2, 8], seed: 3)
    let mask = MultiheadAttention.causalMask(4, 4)
    var y = x
    for l in e.layers { y = try l.encode(y, mask: mask) }
    y = try e.children[1].module(y)
    XCTAssertEqual(try e.encode(x, mask: mask).toArray(), y.toArray())
    XCTAssertEqual(try e.encode(x, isCausal: true).toArray(), y.toArray())
    let rebuilt = try ModuleRegistry.build(e.describe())
    XCTAssertEqual(rebuilt.describe(), e.describe())
    XCTAssertThrowsError(try ModuleRegistry.build(.object(["type": .string("TransformerEncoder"), "num_layers": JSON(2),
                                                            "encoder_layer": .object(["type": .string("Linear")])]))) {
      XCTAssertTrue("\($0)".contains("encoder_layer"), "\($0)")
    }
  }

  /// Step-by-step recurrence over [T, N, F] values; returns output [T, N, H], h_n, c_n.
  static func naive(_ m: RecurrentLayer, _ x: [Float], steps T: Int, batch N: Int, h0: [Float], c0: [Float]?)
    -> (out: [Double], h: [Double], c: [Double]) {
    let H = m.hiddenSize
    func sig(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
    var input = x.map(Double.init), fin = m.inputSize
    var hn: [Double] = [], cn: [Double] = []
    for l in 0..<m.numLayers {
      let w = m.weights(l)
      let wih = w.ih.toArray(), whh = w.hh.toArray()
      let bih = w.bih?.toArray() ?? [Float](repeating: 0, count: m.gates * H), bhh = w.bhh?.toArray() ?? [Float](repeating: 0, count: m.gates * H)
      var h = (0..<(N * H)).map { Double(h0[l * N * H + $0]) }
      var c = (0..<(N * H)).map { Double(c0?[l * N * H + $0] ?? 0) }
      var out = [Double](repeating: 0, count: T * N * H)
      for t in 0..<T {
        for n in 0..<N {
          var gx = [Double](repeating: 0, count: m.gates * H), gh = gx
          for g in 0..<(m.gates * H) {
            gx[g] = Double(bih[g])
            for f in 0..<fin { gx[g] += Double(wih[g * fin + f]) * input[(t * N + n) * fin + f] }
            gh[g] = Double(bhh[g])
            for j in 0..<H { gh[g] += Double(whh[g * H + j]) * h[n * H + j] }
          }
          var hNew = [Double](repeating: 0, count: H)
          for j in 0..<H {
            switch m {
            case is LSTM:
              let i = sig(gx[j] + gh[j]), f = sig(gx[H + j] + gh[H + j])
              let g = Foundation.tanh(gx[2 * H + j] + gh[2 * H + j]), o = sig(gx[3 * H + j] + gh[3 * H + j])
              c[n * H + j] = f * c[n * H + j] + i * g
              hNew[j] = o * Foundation.tanh(c[n * H + j])
            case is GRU:
              let r = sig(gx[j] + gh[j]), z = sig(gx[H + j] + gh[H + j])
              let nn = Foundation.tanh(gx[2 * H + j] + r * gh[2 * H + j])
              hNew[j] = (1 - z) * nn + z * h[n * H + j]
            default:
              hNew[j] = Foundation.tanh(gx[j] + gh[j])
            }
          }
          for j in 0..<H {
            h[n * H + j] = hNew[j]
            out[(t * N + n) * H + j] = hNew[j]
          }
        }
      }
      input = out
      fin = H
      hn += h
      cn += c
    }
    return (input, hn, cn)
  }

  func assertClose(_ a: [Float], _ b: [Double], _ what: String, tol: Double = 1e-5, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, what, file: file, line: line)
    for (i, (u, v)) in zip(a, b).enumerated() where Swift.abs(Double(u) - v) > tol {
      return XCTFail("\(what)[\(i)]: \(u) vs reference \(v)", file: file, line: line)
    }
  }

  func testRecurrentLayersMatchAStepByStepReference() throws {
    let T = 4, N = 3, F = 5, H = 6, L = 2
    let layers: [RecurrentLayer] = [LSTM(F, H, numLayers: L, generator: Generator(seed: 1)),
                                    GRU(F, H, numLayers: L, generator: Generator(seed: 2)),
                                    RNN(F, H, numLayers: L, generator: Generator(seed: 3))]
    for m in layers {
      let x = GradData.tensor([T, N, F], seed: 10), h0 = GradData.tensor([L, N, H], seed: 11)
      let c0 = m is LSTM ? GradData.tensor([L, N, H], seed: 12) : nil
      let r = try m.run(x, h0: h0, c0: c0)
      let ref = Self.naive(m, x.toArray(), steps: T, batch: N, h0: h0.toArray(), c0: c0?.toArray())
      XCTAssertEqual(r.output.shape, [T, N, H])
      XCTAssertEqual(r.h.shape, [L, N, H])
      assertClose(r.output.toArray(), ref.out, "\(m.typeName) output")
      assertClose(r.h.toArray(), Array(ref.h), "\(m.typeName) h_n")
      if m is LSTM { assertClose(r.c!.toArray(), ref.c, "LSTM c_n") } else { XCTAssertNil(r.c) }
      // Zero initial states by default.
      let z = try m.run(x)
      let refZero = Self.naive(m, x.toArray(), steps: T, batch: N, h0: [Float](repeating: 0, count: L * N * H), c0: nil)
      assertClose(z.output.toArray(), refZero.out, "\(m.typeName) output from zero states")
      XCTAssertEqual(try m(x).toArray(), z.output.toArray(), "forward is run's output")
    }
  }

  func testBatchFirstAndUnbatchedLayoutsAgree() throws {
    let seqFirst = LSTM(3, 4, generator: Generator(seed: 1))
    let batchFirst = LSTM(3, 4, batchFirst: true, generator: Generator(seed: 1))
    let x = GradData.tensor([5, 2, 3], seed: 2)
    let a = try seqFirst.run(x), b = try batchFirst.run(x.transpose(0, 1).contiguous())
    XCTAssertEqual(b.output.shape, [2, 5, 4])
    XCTAssertEqual(b.output.transpose(0, 1).contiguous().toArray(), a.output.toArray())
    XCTAssertEqual(b.h.toArray(), a.h.toArray())
    // Unbatched [T, F] is batch 1 without the batch dimension.
    let one = try seqFirst.run(x.select(1, 1).contiguous())
    XCTAssertEqual(one.output.shape, [5, 4])
    XCTAssertEqual(one.h.shape, [1, 4])
    let ref = try seqFirst.run(x.narrow(1, 1, 1).contiguous())
    XCTAssertEqual(one.output.toArray(), ref.output.toArray())
  }

  /// Dropout acts between layers in training only: in evaluation the layer equals its twin without dropout.
  func testDropoutBetweenLayers() throws {
    let m = LSTM(3, 4, numLayers: 2, dropout: 0.5, generator: Generator(seed: 1))
    let plain = LSTM(3, 4, numLayers: 2, generator: Generator(seed: 1))
    let x = GradData.tensor([5, 2, 3], seed: 2)
    XCTAssertEqual(try m.eval()(x).toArray(), try plain(x).toArray())
    XCTAssertNotEqual(try m.train()(x).toArray(), try plain(x).toArray())
    let one = LSTM(3, 4, dropout: 0.5, generator: Generator(seed: 1)) // one layer: nothing to drop
    XCTAssertEqual(try one.train()(x).toArray(), try LSTM(3, 4, generator: Generator(seed: 1))(x).toArray())
  }

  func testRecurrentArgumentErrors() {
    let m = LSTM(3, 4, numLayers: 2)
    XCTAssertThrowsError(try m(Tensor.zeros([5, 2, 4]))) { XCTAssertTrue("\($0)".contains("[T, N, 3]"), "\($0)") }
    XCTAssertThrowsError(try m.run(Tensor.zeros([5, 2, 3]), h0: Tensor.zeros([1, 2, 4]))) {
      XCTAssertTrue("\($0)".contains("h0 must be a float tensor [2, 2, 4]"), "\($0)")
    }
    XCTAssertThrowsError(try GRU(3, 4).run(Tensor.zeros([5, 2, 3]), c0: Tensor.zeros([1, 2, 4]))) {
      XCTAssertTrue("\($0)".contains("no cell state"), "\($0)")
    }
    XCTAssertThrowsError(try m(Tensor.zeros([0, 2, 3])))
    XCTAssertThrowsError(try ModuleRegistry.build(.object(["type": .string("LSTM"), "input_size": JSON(3), "hidden_size": JSON(4), "bidirectional": .bool(true)]))) {
      XCTAssertTrue("\($0)".contains("bidirectional"), "\($0)")
    }
    XCTAssertThrowsError(try ModuleRegistry.build(.object(["type": .string("RNN"), "input_size": JSON(3), "hidden_size": JSON(4), "nonlinearity": .string("sigmoid")])))
    XCTAssertThrowsError(try ModuleRegistry.build(.object(["type": .string("MultiheadAttention"), "embed_dim": JSON(6), "num_heads": JSON(4)]))) {
      XCTAssertTrue("\($0)".contains("divisible"), "\($0)")
    }
  }

  func testDescriptionsRebuildTheSameModules() throws {
    let modules: [Module] = [LSTM(3, 4, numLayers: 2, batchFirst: true, dropout: 0.25), GRU(2, 5, bias: false),
                             RNN(3, 3, nonlinearity: "relu"), MultiheadAttention(8, 2, batchFirst: true),
                             TransformerEncoderLayer(8, 2, dimFeedforward: 16, activation: "gelu", normFirst: true)]
    for m in modules {
      let rebuilt = try ModuleRegistry.build(m.describe())
      XCTAssertEqual(rebuilt.describe(), m.describe())
      XCTAssertEqual(rebuilt.namedParameters().map { "\($0.name)\($0.tensor.shape)" }, m.namedParameters().map { "\($0.name)\($0.tensor.shape)" })
    }
    // PyTorch's parameter names, so its state dicts load by name.
    XCTAssertEqual(LSTM(3, 4, numLayers: 2).namedParameters().map(\.name),
                   ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"])
    XCTAssertEqual(TransformerEncoderLayer(4, 2, dimFeedforward: 8).namedParameters().map(\.name),
                   ["self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
                    "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias",
                    "norm2.weight", "norm2.bias"])
  }

  /// softmax(Q Kᵀ / √d + mask) V per head with plain loops, then the output projection.
  func testAttentionMatchesNaiveSoftmaxQKV() throws {
    let E = 6, heads = 2, d = 3, N = 2, L = 3, S = 4
    let a = MultiheadAttention(E, heads, generator: Generator(seed: 1))
    GradData.randomize(a, seed: 2)
    let q = GradData.tensor([L, N, E], seed: 3), k = GradData.tensor([S, N, E], seed: 4), v = GradData.tensor([S, N, E], seed: 5)
    var maskValues = GradData.tensor([L, S], seed: 6).toArray()
    maskValues[1] = -.infinity // query 0 may not see key 1
    let mask = Tensor(maskValues, shape: [L, S])
    let r = try a.attend(q, k, v, mask: mask)
    let W = a.inProjWeight.toArray(), B = a.inProjBias!.toArray()
    let Wo = a.outProj.weight.toArray(), Bo = a.outProj.bias!.toArray()
    func proj(_ x: [Float], _ len: Int, _ part: Int) -> [Double] { // [len, N, E] -> [len, N, E]
      var out = [Double](repeating: 0, count: len * N * E)
      for p in 0..<(len * N) { for o in 0..<E {
        var s = Double(B[part * E + o])
        for i in 0..<E { s += Double(W[(part * E + o) * E + i]) * Double(x[p * E + i]) }
        out[p * E + o] = s
      } }
      return out
    }
    let Q = proj(q.toArray(), L, 0), K = proj(k.toArray(), S, 1), V = proj(v.toArray(), S, 2)
    var out = [Double](repeating: 0, count: L * N * E), weights = [Double](repeating: 0, count: N * L * S)
    for n in 0..<N { for h in 0..<heads { for i in 0..<L {
      var sc = (0..<S).map { j -> Double in
        var s = 0.0
        for c in 0..<d { s += Q[(i * N + n) * E + h * d + c] * K[(j * N + n) * E + h * d + c] }
        return s / Double(d).squareRoot() + Double(maskValues[i * S + j])
      }
      let mx = sc.max()!
      sc = sc.map { Foundation.exp($0 - mx) }
      let z = sc.reduce(0, +)
      sc = sc.map { $0 / z }
      for j in 0..<S { weights[(n * L + i) * S + j] += sc[j] / Double(heads) }
      var headOut = [Double](repeating: 0, count: d)
      for j in 0..<S { for c in 0..<d { headOut[c] += sc[j] * V[(j * N + n) * E + h * d + c] } }
      for o in 0..<E { for c in 0..<d { out[(i * N + n) * E + o] += Double(Wo[o * E + h * d + c]) * headOut[c] } }
    } } }
    for p in 0..<(L * N) { for o in 0..<E { out[p * E + o] += Double(Bo[o]) } }
    XCTAssertEqual(r.output.shape, [L, N, E])
    XCTAssertEqual(r.weights.shape, [N, L, S])
    assertClose(r.output.toArray(), out, "attention output")
    assertClose(r.weights.toArray(), weights, "attention weights")
    XCTAssertEqual(r.weights.toArray()[1], 0, "a -inf mask entry gets weight 0")
  }

  /// A key padding mask [N, S] is the per-batch-element attn_mask [N·heads, L, S] it stands for.
  func testKeyPaddingMaskEqualsTheExpandedAttentionMask() throws {
    let a = MultiheadAttention(4, 2, batchFirst: true, generator: Generator(seed: 1))
    let q = GradData.tensor([2, 3, 4], seed: 2), kv = GradData.tensor([2, 5, 4], seed: 3)
    var pad = [Float](repeating: 0, count: 10)
    pad[3] = -.infinity; pad[4] = -.infinity; pad[9] = -.infinity // batch 0: keys 3, 4 padded; batch 1: key 4
    let padding = Tensor(pad, shape: [2, 5])
    var full = [Float]()
    for n in 0..<2 { for _ in 0..<2 { for _ in 0..<3 { full += pad[(n * 5)..<(n * 5 + 5)] } } }
    let r = try a.attend(q, kv, kv, keyPaddingMask: padding)
    let ref = try a.attend(q, kv, kv, mask: Tensor(full, shape: [4, 3, 5]))
    XCTAssertEqual(r.output.toArray(), ref.output.toArray())
    XCTAssertEqual(r.weights.toArray(), ref.weights.toArray())
    for i in 0..<3 { XCTAssertEqual(r.weights.toArray()[i * 5 + 3], 0); XCTAssertEqual(r.weights.toArray()[15 + i * 5 + 4], 0) }
    XCTAssertNotEqual(r.output.toArray(), try a.attend(q, kv, kv).output.toArray())
    XCTAssertThrowsError(try a.attend(q, kv, kv, keyPaddingMask: Tensor.zeros([2, 3]))) {
      XCTAssertTrue("\($0)".contains("key_padding_mask must be a float (additive) tensor [2, 5]"), "\($0)")
    }
  }

  func testCausalMaskHidesTheFuture() throws {
    let a = MultiheadAttention(4, 2, batchFirst: true, generator: Generator(seed: 1))
    let x = GradData.tensor([1, 5, 4], seed: 2)
    let full = try a.attend(x, x, x, isCausal: true)
    for i in 0..<5 { for j in 0..<5 where j > i { XCTAssertEqual(full.weights.toArray()[i * 5 + j], 0) } }
    // Changing the last position leaves every earlier output unchanged.
    let y = x.clone()
    for c in 0..<4 { y.data[4 * 4 + c] += 1 }
    let changed = try a.attend(y, y, y, isCausal: true)
    XCTAssertEqual(Array(changed.output.toArray()[..<16]), Array(full.output.toArray()[..<16]))
    XCTAssertNotEqual(Array(changed.output.toArray()[16...]), Array(full.output.toArray()[16...]))
    XCTAssertThrowsError(try a.attend(x, x, x, mask: Tensor.zeros([5, 4]))) { XCTAssertTrue("\($0)".contains("mask must be [5, 5]"), "\($0)") }
  }

  /// Post-norm output rows are layer-normalised (mean 0, variance 1 before the affine,
  /// which starts as the identity); pre-norm is x + SA(norm1 x) + FF(norm2 ·).
  func testEncoderLayerComposition() throws {
    let e = TransformerEncoderLayer(8, 2, dimFeedforward: 12, dropout: 0, generator: Generator(seed: 1))
    let x = GradData.tensor([3, 2, 8], seed: 2)
    let y = try e(x).toArray()
    for row in 0..<6 {
      let r = y[(row * 8)..<(row * 8 + 8)].map(Double.init)
      let mean = r.reduce(0, +) / 8, variance = r.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 8
      XCTAssertEqual(mean, 0, accuracy: 1e-5)
      XCTAssertEqual(variance, 1, accuracy: 1e-3)
    }
    // Pre-norm with the feed-forward zeroed: the block is x + SA(LN(x)).
    let p = TransformerEncoderLayer(8, 2, dimFeedforward: 12, dropout: 0, normFirst: true, generator: Generator(seed: 3))
    Tensor.noGrad { for (n, t) in p.namedParameters() where n.hasPrefix("linear2") { _ = t.fill_(0) } }
    let out = try p(x)
    let ln = try p.child("norm1")(x)
    let expected = x + (try p.selfAttn.attend(ln, ln, ln).output)
    for (u, v) in zip(out.toArray(), expected.toArray()) { XCTAssertEqual(u, v, accuracy: 1e-5) }
  }
}
