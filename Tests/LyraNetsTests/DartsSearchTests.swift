import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraNets

/// DARTS' bilevel search: the planted answer (α must find the one candidate that makes the
/// target), the second-order gradient against finite differences of the unrolled
/// objective, and a whole (tiny) supernet search with its trajectory and genotype.
final class DartsSearchTests: XCTestCase {
  /// One supernet edge with its own α: out = Σ softmax(α)_o · o(x).
  final class OneEdge: Module {
    let edge: MixedOp
    let alpha: Tensor
    init(_ primitives: [String], channels: Int, seed: UInt64) throws {
      let g = Generator(seed: seed)
      Tensor.manualSeed(seed)
      edge = try MixedOp(channels: channels, stride: 1, primitives: primitives, affine: false)
      alpha = Tensor.randn([1, primitives.count], generator: g).mul(1e-3).requiresGrad_()
      super.init()
      register(child: "edge", edge)
    }
    override func forward(_ x: Tensor) throws -> Tensor { try edge.forward(x, weights: alpha.softmax(-1).select(0, 0)) }
  }

  static let planted = ["none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3"]

  /// The planted task: the target is exactly what `avg_pool_3x3` gives on a search edge
  /// (a 3×3 mean excluding the padding, then the affine-free BN the search puts after a
  /// pool). `max_pool` and the identity correlate with it but are not it; `sep_conv_3x3`
  /// has weights of its own (trained on the train split) but starts with a ReLU, so it
  /// cannot copy a mean of signed values. α, stepped on a separate validation split,
  /// must make `avg_pool_3x3` the edge's strongest candidate within 40 steps, on each seed.
  func testPlantedAnswerAlphaPicksTheCandidateThatMakesTheTarget() throws {
    let target = Sequential([AvgPool2d(3, stride: 1, padding: 1, countIncludePad: false), BatchNorm2d(2, affine: false)])
    func split(_ seed: UInt64) -> (Tensor, Tensor) {
      let x = NetTest.input([8, 2, 8, 8], seed: seed)
      return (x, Tensor.noGrad { try! target(x) })
    }
    for seed: UInt64 in [1, 2, 3] {
      let m = try OneEdge(Self.planted, channels: 2, seed: seed)
      var o = DartsSearch.Options()
      o.epochs = 40
      o.archLR = 1e-2
      let s = try DartsSearch(model: m, alphas: [m.alpha], options: o, loss: { Tensor.mseLoss($0, $1) })
      for step in 0..<40 {
        try s.step(train: split(100 + seed * 1000 + UInt64(step)), valid: split(200 + seed * 1000 + UInt64(step)))
        s.endEpoch()
      }
      let w = s.trajectory.last![0][0]
      let best = w.indices.max { w[$0] < w[$1] }!
      XCTAssertEqual(Self.planted[best], "avg_pool_3x3", "seed \(seed): softmax(α) = \(w)")
      // …and it got there by learning: at the start the weights were uniform to 1e-3.
      XCTAssertGreaterThan(w[best] - w.enumerated().filter { $0.offset != best }.map(\.element).max()!, 0.02, "seed \(seed): \(w)")
      XCTAssertEqual(s.trajectory.count, 40)
    }
  }

  /// The unrolled (second-order) gradient is the derivative of α ↦ L_val(w − ξ(∇w L_train + wd·w), α):
  /// compared with central differences of that function along random directions, with ξ large
  /// enough that the first-order gradient alone is measurably different.
  func testSecondOrderGradientMatchesFiniteDifferencesOfTheUnrolledLoss() throws {
    let m = try OneEdge(["skip_connect", "avg_pool_3x3", "sep_conv_3x3", "dil_conv_3x3"], channels: 2, seed: 4)
    var o = DartsSearch.Options()
    o.lr = 2
    o.weightDecay = 0.01
    o.unrolled = true
    let s = try DartsSearch(model: m, alphas: [m.alpha], options: o, loss: { Tensor.mseLoss($0, $1) })
    // Random weights for the convolutions so the Hessian term is not zero.
    Tensor.noGrad { for p in s.weights { _ = p.copy_(Tensor.randn(p.shape, generator: Generator(seed: 11)).mul(0.5)) } }
    let tx = NetTest.input([6, 2, 6, 6], seed: 21), vx = NetTest.input([6, 2, 6, 6], seed: 22)
    let train = (tx, tx.slice(3, 1).pad([0, 1, 0, 0])), valid = (vx, vx.slice(3, 1).pad([0, 1, 0, 0]))
    m.eval()  // BN on running statistics: the objective is then smooth in w and α
    let second = try s.unrolledGradient(train: train, valid: valid)[0].toArray()
    let first = try s.gradients(of: [m.alpha], valid)[0].toArray()
    let saved = s.weights.map { $0.detach().clone() }, a0 = m.alpha.detach().clone()
    func unrolled(_ h: Float, _ d: [Float]) throws -> Double {
      Tensor.noGrad { _ = m.alpha.copy_(a0 + Tensor(d, shape: a0.shape) * h) }
      let g = try s.gradients(of: s.weights, train)
      Tensor.noGrad { for (p, (w, gw)) in zip(s.weights, zip(saved, g)) { _ = p.copy_(w - (gw + w * 0.01) * 2) } }
      let l = Tensor.noGrad { Tensor.mseLoss(try! m(valid.0), valid.1) }.item()
      Tensor.noGrad { for (p, w) in zip(s.weights, saved) { _ = p.copy_(w) } }
      return Double(l)
    }
    let dg = Generator(seed: 3)
    var separated = false
    var seen: [String] = []
    for k in 0..<4 {
      let d = (0..<4).map { _ in Float(dg.uniform(-1, 1)) }
      let numeric = (try unrolled(1e-2, d) - unrolled(-1e-2, d)) / 2e-2
      let analytic = zip(second, d).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
      let firstOrder = zip(first, d).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
      let tol = 2e-4 + 3e-2 * abs(numeric)
      XCTAssertEqual(analytic, numeric, accuracy: tol, "direction \(k) (first order alone: \(firstOrder))")
      seen.append("first \(firstOrder) second \(analytic) numeric \(numeric)")
      if abs(firstOrder - numeric) > 3 * tol { separated = true }
    }
    Tensor.noGrad { _ = m.alpha.copy_(a0) }
    XCTAssertTrue(separated, "ξ too small: the first-order gradient is within tolerance of the unrolled one: \(seen)")
  }

  /// A whole search on a tiny supernet, both orders: α change, the weights learn (the
  /// training loss falls), the trajectory has one entry per epoch with rows summing to 1,
  /// and the genotype is derived from the final α.
  func testTinySupernetSearchRunsBothOrders() throws {
    for unrolled in [false, true] {
      let net = try DartsSupernetTests.tiny(primitives: ["none", "max_pool_3x3", "skip_connect", "sep_conv_3x3"])
      let before = net.alphas.map { $0.detach().clone().toArray() }
      var o = DartsSearch.Options()
      o.epochs = 3
      o.unrolled = unrolled
      let s = try DartsSearch(model: net, alphas: net.alphas, options: o)
      let x = NetTest.input([6, 1, 8, 8], seed: 9)
      let y = Tensor(indices: [0, 1, 2, 0, 1, 2])
      // A learnable task: the class is the sign pattern of the mean brightness.
      let xs = x + Tensor(y.toArray().map { Float($0) - 1 }, shape: [6, 1, 1, 1])
      var losses: [Float] = []
      for _ in 0..<3 {
        for _ in 0..<4 { losses.append(try s.step(train: (xs, y), valid: (xs, y))) }
        s.endEpoch()
      }
      XCTAssertEqual(s.trajectory.count, 3)
      for row in s.trajectory[2][0] { XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-4) }
      XCTAssertNotEqual(net.alphas[0].toArray(), before[0], "unrolled \(unrolled)")
      XCTAssertLessThan(losses.last!, losses.first!, "unrolled \(unrolled): \(losses)")
      XCTAssertEqual(net.genotype().normal.count, 4)
      XCTAssertFalse(net.genotype().normal.contains { $0.op == "none" })
    }
  }
}
