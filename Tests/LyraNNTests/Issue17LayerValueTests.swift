import Foundation
import LyraBase
import LyraKernels
import LyraTensor
import XCTest
@testable import LyraNN

/// Values of the issue-17 modules against naive loops in Double (the gradient checks
/// only prove the tape matches the forward; these prove the forward is the function
/// PyTorch defines), and the errors on inputs they cannot take.
final class Issue17LayerValueTests: XCTestCase {
  /// Naive standardisation of `groups` of consecutive elements (the layout every
  /// per-sample normalisation reduces to), biased variance.
  func standardized(_ v: [Float], groupSize: Int, eps: Double) -> [Double] {
    var out: [Double] = []
    for start in stride(from: 0, to: v.count, by: groupSize) {
      let g = v[start..<start + groupSize].map(Double.init)
      let m = g.reduce(0, +) / Double(groupSize)
      let variance = g.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(groupSize)
      out += g.map { ($0 - m) / (variance + eps).squareRoot() }
    }
    return out
  }

  func testSoftmaxAndLogSoftmaxAlongTheMiddleDimension() throws {
    let x = GradData.tensor([2, 3, 4], seed: 1, scale: 5)
    let v = x.toArray()
    var ref = [Double](repeating: 0, count: 24)
    for a in 0..<2 { for c in 0..<4 {
      let idx = (0..<3).map { a * 12 + $0 * 4 + c }
      let s = idx.map { exp(Double(v[$0])) }.reduce(0, +)
      for i in idx { ref[i] = exp(Double(v[i])) / s }
    } }
    assertClose(try Softmax(dim: 1)(x).toArray(), ref, "softmax")
    assertClose(try Softmax(dim: -2)(x).toArray(), ref, "softmax, dim counted from the end")
    assertClose(try LogSoftmax(dim: 1)(x).toArray(), ref.map { log($0) }, "log_softmax")
    XCTAssertThrowsError(try Softmax(dim: 3)(x)) { XCTAssertTrue("\($0)".contains("dimension 3 does not exist"), "\($0)") }
    XCTAssertThrowsError(try LogSoftmax(dim: -4)(x))
  }

  func testActivationsMatchTheirFormulas() throws {
    let x = GradData.tensor([3, 7], seed: 2, scale: 4)
    let v = x.toArray().map(Double.init)
    assertClose(try ELU(alpha: 0.7)(x).toArray(), v.map { $0 > 0 ? $0 : 0.7 * (exp($0) - 1) }, "ELU")
    assertClose(try Softplus(beta: 2, threshold: 3)(x).toArray(), v.map { 2 * $0 > 3 ? $0 : log(1 + exp(2 * $0)) / 2 }, "Softplus")
    assertClose(try Hardtanh(min: -0.5, max: 2)(x).toArray(), v.map { Swift.min(Swift.max($0, -0.5), 2) }, "Hardtanh")
    assertClose(try PReLU()(x).toArray(), v.map { $0 > 0 ? $0 : 0.25 * $0 }, "PReLU, shared slope 0.25")
    let p = PReLU(count: 3)
    for (i, s) in [0.1, -0.2, 0.3].enumerated() { p.weight.data[i] = Float(s) }
    let x4 = GradData.tensor([2, 3, 2, 2], seed: 3)
    let v4 = x4.toArray().map(Double.init)
    let slopes = [0.1, -0.2, 0.3]
    assertClose(try p(x4).toArray(), v4.enumerated().map { i, e in e > 0 ? e : slopes[(i / 4) % 3] * e }, "PReLU per channel")
    XCTAssertThrowsError(try p(GradData.tensor([2, 4], seed: 4))) { XCTAssertTrue("\($0)".contains("3 slopes need input [N, 3, ...]"), "\($0)") }
    // A 0-d input keeps its rank under a shared slope.
    XCTAssertEqual(try PReLU()(Tensor(Float(-2))).shape, [])
  }

  func testPerSampleNormalisationsMatchNaiveLoops() throws {
    let x = GradData.tensor([2, 6, 3, 2], seed: 5, scale: 3)
    let v = x.toArray()
    // LayerNorm over the last two dimensions with an affine map per element.
    let ln = LayerNorm([3, 2], eps: 1e-3)
    GradData.randomize(ln, seed: 6)
    let w = ln.ownParameters[0].tensor.toArray(), b = ln.ownParameters[1].tensor.toArray()
    let lnRef = standardized(v, groupSize: 6, eps: 1e-3).enumerated().map { i, e in e * Double(w[i % 6]) + Double(b[i % 6]) }
    assertClose(try ln(x).toArray(), lnRef, tol: 1e-4, "LayerNorm")
    // GroupNorm: 3 groups of 2 channels, each group 2 * 3 * 2 = 12 elements; per-channel γ, β.
    let gn = GroupNorm(groups: 3, channels: 6)
    GradData.randomize(gn, seed: 7)
    let gw = gn.ownParameters[0].tensor.toArray(), gb = gn.ownParameters[1].tensor.toArray()
    let gnRef = standardized(v, groupSize: 12, eps: 1e-5).enumerated().map { i, e in e * Double(gw[(i / 6) % 6]) + Double(gb[(i / 6) % 6]) }
    assertClose(try gn(x).toArray(), gnRef, tol: 1e-4, "GroupNorm")
    // InstanceNorm2d: every (sample, channel) plane of 6 positions.
    assertClose(try InstanceNorm2d(6)(x).toArray(), standardized(v, groupSize: 6, eps: 1e-5), tol: 1e-4, "InstanceNorm2d")
    XCTAssertEqual(try InstanceNorm2d(6)(x).shape, x.shape)
    XCTAssertThrowsError(try LayerNorm([2, 3])(x)) { XCTAssertTrue("\($0)".contains("expected input [..., 2, 3]"), "\($0)") }
    XCTAssertThrowsError(try GroupNorm(groups: 2, channels: 4)(x)) { XCTAssertTrue("\($0)".contains("[N, 4, ...]"), "\($0)") }
    XCTAssertThrowsError(try InstanceNorm2d(6)(Tensor.zeros([6, 3])))
    XCTAssertThrowsError(try InstanceNorm2d(2)(Tensor.zeros([1, 2, 0, 3]))) { XCTAssertTrue("\($0)".contains("no positions"), "\($0)") }
    XCTAssertEqual(try GroupNorm(groups: 2, channels: 4)(Tensor.zeros([0, 4, 2])).shape, [0, 4, 2], "an empty batch passes through")
  }

  func testViewAndUnflattenKeepTheElementOrder() throws {
    let x = Tensor((0..<24).map(Float.init), shape: [2, 3, 4])
    XCTAssertEqual(try View([4, 3])(x).shape, [2, 4, 3])
    XCTAssertEqual(try View([-1])(x).shape, [2, 12])
    XCTAssertEqual(try View([-1])(x).toArray(), x.toArray())
    let t = x.transpose(1, 2) // non-contiguous: reshape copies in logical order
    XCTAssertEqual(try View([12])(t).toArray(), t.contiguous().toArray())
    XCTAssertEqual(try Unflatten(dim: 2, sizes: [2, -1])(x).shape, [2, 3, 2, 2])
    XCTAssertEqual(try Unflatten(dim: -2, sizes: [3, 1])(x).shape, [2, 3, 1, 4])
    XCTAssertEqual(try View([-1])(Tensor.zeros([0, 3, 2])).shape, [0, 6], "an empty batch keeps the sample size")
    XCTAssertEqual(try View([2, -1])(Tensor.zeros([0, 3, 2])).shape, [0, 2, 3])
    XCTAssertThrowsError(try View([5])(x)) { XCTAssertTrue("\($0)".contains("sizes [5] do not fit input [2, 3, 4]"), "\($0)") }
    XCTAssertThrowsError(try View([-1, 5])(x))
    XCTAssertThrowsError(try Unflatten(dim: 1, sizes: [2, 2])(x))
    XCTAssertThrowsError(try Unflatten(dim: 3, sizes: [1])(x)) { XCTAssertTrue("\($0)".contains("dimension 3 does not exist"), "\($0)") }
    XCTAssertThrowsError(try View([2])(Tensor(Float(1))))
  }

  func testLossesMatchNaiveSums() throws {
    let logp = GradData.tensor([4, 3], seed: 8, scale: 3).logSoftmax(1)
    let lp = logp.toArray().map(Double.init)
    let cls = [2, 0, 1, 2]
    let nll = cls.enumerated().map { -lp[$0.offset * 3 + $0.element] }
    let targets = Tensor(indices: cls)
    XCTAssertEqual(Double(try Loss.nll(logp, targets).item()), nll.reduce(0, +) / 4, accuracy: 1e-5)
    XCTAssertEqual(Double(try Loss.nll(logp, targets, reduction: .sum).item()), nll.reduce(0, +), accuracy: 1e-5)
    assertClose(try Loss.nll(logp, targets, reduction: .none).toArray(), nll, "NLL none")
    XCTAssertEqual(try Loss.nll(logp, targets).item(), Tensor.crossEntropy(GradData.tensor([4, 3], seed: 8, scale: 3), targets).item(),
                   accuracy: 1e-5, "LogSoftmax + NLLLoss is CrossEntropyLoss")
    // Class weights and an ignored target: PyTorch's weighted mean over the counted targets.
    let cw: [Double] = [0.5, 2, 1.5]
    let weighted = try Loss.nll(logp, Tensor(indices: [2, -1, 1, 2]), weight: Tensor(cw.map(Float.init), shape: [3]), ignoreIndex: -1)
    let num = [(0, 2), (2, 1), (3, 2)].map { cw[$0.1] * -lp[$0.0 * 3 + $0.1] }.reduce(0, +)
    XCTAssertEqual(Double(weighted.item()), num / (1.5 + 2 + 1.5), accuracy: 1e-5)
    let ignoredSum = try Loss.nll(logp, Tensor(indices: [2, 7, 1, 2]), ignoreIndex: 7, reduction: .sum)
    XCTAssertEqual(Double(ignoredSum.item()), -lp[2] - lp[7] - lp[11], accuracy: 1e-5)
    XCTAssertThrowsError(try Loss.nll(logp, targets, weight: Tensor.ones([4]))) { XCTAssertTrue("\($0)".contains("weight must be a float tensor [3]"), "\($0)") }
    XCTAssertThrowsError(try Loss.nll(logp, Tensor(indices: [0, 3, 1, 1]))) { XCTAssertTrue("\($0)".contains("class 3"), "\($0)") }
    XCTAssertThrowsError(try Loss.nll(logp, Tensor(indices: [0, 1])))

    let p = GradData.tensor([2, 5], seed: 9, scale: 0.5).add(0.5), y = GradData.tensor([2, 5], seed: 10, scale: 0.5).add(0.5)
    let pv = p.toArray().map(Double.init), yv = y.toArray().map(Double.init)
    let bce = zip(pv, yv).map { -($1 * log($0) + (1 - $1) * log(1 - $0)) }
    XCTAssertEqual(Double(try Loss.bce(p, y).item()), bce.reduce(0, +) / 10, accuracy: 1e-5)
    // PyTorch clamps each log at -100: x = 0 with target 1 costs 100, not inf.
    XCTAssertEqual(try Loss.bce(Tensor([0, 1], shape: [2]), Tensor([1, 0], shape: [2]), reduction: .sum).item(), 200, accuracy: 1e-3)
    // Saturated probabilities (a sigmoid past 17 is exactly 1 in Float): finite gradients.
    let edge = Tensor([0, 1, 0, 1], shape: [4]).requiresGrad_()
    try Loss.bce(edge, Tensor([0, 1, 1, 0], shape: [4])).backward()
    XCTAssertTrue(edge.grad!.toArray().allSatisfy(\.isFinite), "\(edge.grad!.toArray())")
    XCTAssertThrowsError(try Loss.bce(p.add(1), y)) { XCTAssertTrue("\($0)".contains("probabilities in [0, 1]"), "\($0)") }

    let a = GradData.tensor([3, 4], seed: 11, scale: 3), b = GradData.tensor([3, 4], seed: 12)
    let d = zip(a.toArray(), b.toArray()).map { Double($0) - Double($1) }
    func huber(_ e: Double, _ delta: Double) -> Double { Swift.abs(e) < delta ? 0.5 * e * e : delta * (Swift.abs(e) - 0.5 * delta) }
    XCTAssertEqual(Double(try Loss.huber(a, b, delta: 0.7).item()), d.map { huber($0, 0.7) }.reduce(0, +) / 12, accuracy: 1e-5)
    XCTAssertEqual(Double(try Loss.smoothL1(a, b, beta: 0.7, reduction: .sum).item()), d.map { huber($0, 0.7) / 0.7 }.reduce(0, +), accuracy: 1e-4)
    XCTAssertEqual(Double(try Loss.smoothL1(a, b, beta: 0).item()), d.map { Swift.abs($0) }.reduce(0, +) / 12, accuracy: 1e-5)
    XCTAssertThrowsError(try Loss.huber(a, b.reshape([4, 3])))

    let q = GradData.tensor([3, 4], seed: 13).softmax(1)
    let qv = q.toArray().map(Double.init).enumerated().map { $0.offset == 2 ? 0 : $0.element }
    let target = Tensor(qv.map(Float.init), shape: [3, 4])
    let inp = GradData.tensor([3, 4], seed: 14).logSoftmax(1)
    let iv = inp.toArray().map(Double.init)
    let kl = zip(qv, iv).map { t, x in t > 0 ? t * (log(t) - x) : 0 }
    XCTAssertEqual(Double(try Loss.klDiv(inp, target, reduction: .batchmean).item()), kl.reduce(0, +) / 3, accuracy: 1e-5)
    XCTAssertEqual(Double(try Loss.klDiv(inp, target).item()), kl.reduce(0, +) / 12, accuracy: 1e-5)
    XCTAssertEqual(Double(try Loss.klDiv(inp, target, reduction: .sum).item()), kl.reduce(0, +), accuracy: 1e-5)
    assertClose(try Loss.klDiv(inp, target, reduction: .none).toArray(), kl, "KL none (0 where the target is 0)")
    let logQ = Tensor(q.toArray().map { Float(log(Double($0))) }, shape: [3, 4])
    let klLog = zip(q.toArray().map(Double.init), iv).map { t, x in t * (log(t) - x) }
    XCTAssertEqual(Double(try Loss.klDiv(inp, logQ, reduction: .sum, logTarget: true).item()), klLog.reduce(0, +), accuracy: 1e-5)
    XCTAssertThrowsError(try Loss.klDiv(inp, target.neg())) { XCTAssertTrue("\($0)".contains("log_target"), "\($0)") }
  }

  func testDescriptionsRebuildTheSameModulesAndRefuseBadValues() throws {
    let x = GradData.tensor([2, 4, 3, 2], seed: 15)
    let modules: [Module] = [Softmax(dim: 1), LogSoftmax(dim: -1), ELU(alpha: 0.5), Softplus(beta: 2, threshold: 5),
                             Hardtanh(min: -0.2, max: 0.3), PReLU(count: 4, initial: 0.1), LayerNorm([3, 2], eps: 1e-4),
                             GroupNorm(groups: 2, channels: 4), InstanceNorm2d(4, affine: true), View([6, 4]),
                             Unflatten(dim: 1, sizes: [2, 2])]
    for m in modules {
      GradData.randomize(m, seed: 16)
      let rebuilt = try ModuleRegistry.build(m.describe())
      try rebuilt.loadStateDict(m.stateDict())
      XCTAssertEqual(rebuilt.typeName, m.typeName)
      XCTAssertEqual(try rebuilt(x).toArray(), try m(x).toArray(), "\(m.typeName) rebuilt from \(m.describe().text)")
    }
    // The spatial layers, each on an input it takes.
    let spatial: [(Module, [Int])] = [
      (Conv1d(4, 6, 3, stride: 2, padding: 1, dilation: 2, groups: 2), [2, 4, 9]), (MaxPool1d(3, stride: 2, padding: 1), [2, 4, 9]),
      (AdaptiveMaxPool2d(3, 2), [2, 4, 7, 5]), (Dropout2d(0.3).eval(), [2, 4, 3, 3]), (Upsample(scale: (1.5, 2), mode: .bilinear), [1, 2, 4, 4]),
      (Upsample(size: (5, 3)), [1, 2, 4, 4]),
      (ConvTranspose2d(4, 6, kernel: Window2d(3, 2), stride: Window2d(2, 1), padding: Window2d(1, 0), outputPadding: Window2d(1, 0),
                       groups: 2, bias: false), [1, 4, 3, 3]),
    ]
    for (m, shape) in spatial {
      let rebuilt = try ModuleRegistry.build(m.describe()).eval()
      try rebuilt.loadStateDict(m.stateDict())
      let input = GradData.tensor(shape, seed: 17)
      XCTAssertEqual(try rebuilt(input).toArray(), try m(input).toArray(), "\(m.typeName) rebuilt from \(m.describe().text)")
    }
    let list = ModuleList([Linear(2, 3), ReLU()]).add(Tanh(), name: "act")
    XCTAssertEqual(try ModuleRegistry.build(list.describe()).describe(), list.describe())
    XCTAssertEqual(try ModuleRegistry.build(list.describe()).namedModules().map(\.name), ["", "0", "1", "act"])

    func refuses(_ d: String, _ text: String, line: UInt = #line) {
      XCTAssertThrowsError(try ModuleRegistry.build(try JSON.parse(Data(d.utf8))), line: line) {
        XCTAssertTrue("\($0)".contains(text), "\($0) should contain \(text)", line: line)
      }
    }
    refuses(#"{"type": "Hardtanh", "min_val": 1, "max_val": 1}"#, "min_val (1.0) must be less than max_val (1.0)")
    refuses(#"{"type": "Softplus", "beta": 0}"#, "beta: must be positive")
    refuses(#"{"type": "ELU", "alpha": 1e300}"#, "alpha: must be a finite number")
    refuses(#"{"type": "GroupNorm", "num_groups": 3, "num_channels": 4}"#, "num_channels 4 must divide by num_groups 3")
    refuses(#"{"type": "LayerNorm", "normalized_shape": [4, 0]}"#, "normalized_shape: sizes must be positive")
    refuses(#"{"type": "LayerNorm", "normalized_shape": [-1]}"#, "normalized_shape: sizes must be positive, got -1")
    refuses(#"{"type": "LayerNorm", "normalized_shape": 4, "eps": 0}"#, "eps: must be positive")
    refuses(#"{"type": "View", "sizes": [-1, -1]}"#, "only one size may be -1")
    refuses(#"{"type": "View", "sizes": []}"#, "needs at least one size")
    refuses(#"{"type": "Unflatten", "dim": 1}"#, "missing 'unflattened_size'")
    refuses(#"{"type": "PReLU", "num_parameters": 0}"#, "num_parameters: must be at least 1")
    refuses(#"{"type": "InstanceNorm2d", "num_features": 3, "track_running_stats": true}"#, "unknown key 'track_running_stats'")
    refuses(#"{"type": "Conv1d", "in_channels": 3, "out_channels": 4, "kernel_size": 3, "groups": 2}"#, "must divide by groups 2")
    refuses(#"{"type": "Conv1d", "in_channels": 3, "out_channels": 4, "kernel_size": 3, "padding": 4}"#, "padding: must be at most the dilated kernel size 3")
    refuses(#"{"type": "ConvTranspose2d", "in_channels": 2, "out_channels": 2, "kernel_size": [3, 0]}"#, "kernel_size: expected an integer or a pair")
    refuses(#"{"type": "ConvTranspose2d", "in_channels": 2, "out_channels": 2, "kernel_size": 3, "stride": 2, "output_padding": 2}"#,
            "output_padding: must be smaller than stride or dilation")
    refuses(#"{"type": "Upsample", "scale_factor": [2, 0]}"#, "scale_factor: expected a positive number or a pair")
    refuses(#"{"type": "Upsample", "size": 4, "mode": "nearest", "align_corners": true}"#, "align_corners: only for mode 'bilinear'")
    refuses(#"{"type": "AdaptiveMaxPool2d", "output_size": [2, 65]}"#, "output_size: must be in 1…64 per side")
    refuses(#"{"type": "MaxPool1d", "kernel_size": 2, "padding": 2}"#, "padding: must be at most half the kernel_size")
    refuses(#"{"type": "Dropout2d", "p": 1.5}"#, "p: must be in [0.0, 1.0]")
  }
}
