import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraNets

/// The supernet: structure, α gradients against finite differences, genotype derivation
/// and notation, and the derived network.
final class DartsSupernetTests: XCTestCase {
  static func tiny(primitives: [String] = DartsOps.primitives, layers: Int = 3, steps: Int = 2) throws -> DartsSupernet {
    var o = DartsSupernet.Options()
    o.inChannels = 1
    o.channels = 2
    o.layers = layers
    o.steps = steps
    o.multiplier = steps
    o.stemMulti = 1
    o.classes = 3
    o.primitives = primitives
    Tensor.manualSeed(5)  // the weights' initialisation draws from the global generator
    return try DartsSupernet(o, generator: Generator(seed: 5))
  }

  func testStructure() throws {
    let net = try Self.tiny(layers: 5, steps: 4)
    XCTAssertEqual(net.alphasNormal.shape, [14, 8])
    XCTAssertEqual(net.alphasReduce.shape, [14, 8])
    XCTAssertEqual(net.cells.map(\.reduction), [false, true, false, true, false])
    XCTAssertEqual(net.cells.map { $0.children.count - 2 }, [14, 14, 14, 14, 14])
    // The cell after a reduction preprocesses its previous-previous input by FactorizedReduce.
    XCTAssertTrue(net.cells[2].children[0].module is FactorizedReduce)
    XCTAssertTrue(net.cells[1].children[0].module is ReLUConvBN)
    // α are not weights: the weight optimiser never sees them, but checkpoints keep them.
    let ids = Set(net.parameters().map(ObjectIdentifier.init))
    XCTAssertFalse(net.alphas.contains { ids.contains(ObjectIdentifier($0)) })
    XCTAssertNotNil(net.stateDict()["alphas_normal"])
    XCTAssertEqual(try net(NetTest.input([2, 1, 8, 8])).shape, [2, 3])
    // Every affine BN is outside the cells (the stem's).
    let affineInCells = net.namedModules().filter { $0.name.hasPrefix("cells") && ($0.module as? BatchNorm)?.affine == true }
    XCTAssertTrue(affineInCells.isEmpty, "\(affineInCells.map(\.name))")
  }

  func testBadOptionsThrowNamingTheKey() {
    var o = DartsSupernet.Options()
    o.primitives = ["none", "sep_conv_3x3", "skip_conect"]
    XCTAssertThrowsError(try DartsSupernet(o)) { XCTAssertTrue("\($0)".contains("skip_connect"), "\($0)") }
    o.primitives = ["none"]
    XCTAssertThrowsError(try DartsSupernet(o)) { XCTAssertTrue("\($0)".contains("besides 'none'"), "\($0)") }
    o = DartsSupernet.Options()
    o.layers = 0
    XCTAssertThrowsError(try DartsSupernet(o)) { XCTAssertTrue("\($0)".contains("layers"), "\($0)") }
  }

  /// ∇α of L = Σ net(x)·w against central differences along random directions of both α:
  /// tightly with BN on running statistics (a smooth function of α), and in training mode
  /// (batch statistics of 4 tiny maps make it strongly curved: a step of 1e-2 is off by 20%,
  /// 1e-3 by a few per cent, so the tolerance there is wider; a wrong softmax Jacobian or a
  /// dropped edge is off by far more).
  func testAlphaGradientsMatchFiniteDifferences() throws {
    for (training, h, rtol) in [(false, Float(1e-2), 1e-2), (true, Float(1e-3), 6e-2)] {
      let net = try Self.tiny(primitives: ["none", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "dil_conv_3x3"])
      net.train(training)
      let x = NetTest.input([4, 1, 6, 6], seed: 2)
      let y = try net(x)
      let wg = Generator(seed: 99)
      let w = Tensor((0..<y.count).map { _ in Float(wg.uniform(-1, 1)) }, shape: y.shape)
      y.backward(w)
      let grads = net.alphas.map { $0.grad!.toArray() }
      let base = net.alphas.map { $0.detach().clone() }
      let dg = Generator(seed: 7)
      for k in 0..<4 {
        let d = base.map { b in (0..<b.count).map { _ in Float(dg.uniform(-1, 1)) } }
        func loss(_ h: Float) throws -> Double {
          Tensor.noGrad {
            for (a, (b, di)) in zip(net.alphas, zip(base, d)) { _ = a.copy_(b + Tensor(di, shape: b.shape) * h) }
          }
          let out = try Tensor.noGrad { try net(x) }.toArray()
          return zip(out, w.toArray()).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        let numeric = (try loss(h) - loss(-h)) / (2 * Double(h))
        var analytic = 0.0
        for (g, di) in zip(grads, d) { for (a, b) in zip(g, di) { analytic += Double(a) * Double(b) } }
        XCTAssertEqual(analytic, numeric, accuracy: 1e-4 + rtol * abs(numeric), "training \(training), direction \(k)")
      }
    }
  }

  /// A search cell as a module of its two inputs: input gradients by finite differences.
  func testSearchCellGradientsMatchFiniteDifferences() throws {
    final class Pair: Module {
      let cell: SearchCell
      let weights: Tensor
      init(_ c: SearchCell, _ w: Tensor) { cell = c; weights = w; super.init(); register(child: "cell", c) }
      override func forward(_ x: Tensor) throws -> Tensor {
        try cell.forward(x, x.mul(x).mul(0.5), weights: weights)
      }
    }
    // Max pooling is left out here: after the ReLU-Conv-BN preprocessing its window maxima
    // switch inside any usable probe step (it is checked alone in DartsOpsTests).
    let prims = ["none", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "dil_conv_5x5"]
    for reduction in [false, true] {
      Tensor.manualSeed(6)
      let cell = try SearchCell(steps: 2, multiplier: 2, cPrevPrev: 2, cPrev: 2, channels: 2, reduction: reduction,
                                reductionPrev: false, primitives: prims)
      let w = Tensor.randn([5, prims.count], generator: Generator(seed: 4)).softmax(-1)
      // Eval mode is smoother (tighter); training mode's batch statistics curve it (see the
        // α test). ReLU and max kinks within the 1e-3 probe cost a per cent or two.
      for (training, rtol) in [(false, 2e-2), (true, 1e-1)] {
        let pair = Pair(cell, w)
        pair.train(training)
        let m = try NetGradCheck.mismatch(pair, NetTest.input([3, 2, 6, 6], seed: 8), eps: 1e-3, rtol: rtol, atol: 5e-3) {}
        XCTAssertNil(m, "reduction \(reduction), training \(training): \(m ?? "")")
      }
    }
  }

  /// Planted α: node 2 prefers skip (edge 0) and sep_conv_3x3 (edge 1); node 3's strongest
  /// entry is `none` on edge 2, which must be ignored (its best real op is weaker), so node 3
  /// takes edges 0 and 1; a tie keeps the earlier edge.
  func testGenotypeTakesTheTwoStrongestNonNoneEdges() throws {
    let prims = ["none", "max_pool_3x3", "skip_connect", "sep_conv_3x3"]
    let a: [[Float]] = [
      [0, 0, 3, 0], [0, 0, 0, 2],             // node 2
      [0, 1, 0, 0], [0, 0, 0, 1.5], [9, 0.5, 0, 0],  // node 3: none dominates edge 2
    ]
    let e = Genotype.derive(Tensor(a.flatMap { $0 }, shape: [5, 4]), primitives: prims, steps: 2)
    XCTAssertEqual(e, [.init("skip_connect", 0), .init("sep_conv_3x3", 1), .init("sep_conv_3x3", 1), .init("max_pool_3x3", 0)])
    let tie = Genotype.derive(Tensor.zeros([5, 4]), primitives: prims, steps: 2)
    XCTAssertEqual(tie.map(\.input), [0, 1, 0, 1])
    XCTAssertEqual(Set(tie.map(\.op)), ["max_pool_3x3"])
  }

  func testGenotypeTextIsThePapersNotationAndReadsBack() throws {
    let net = try Self.tiny(steps: 2)
    let g = net.genotype()
    XCTAssertEqual(g.normal.count, 4)
    XCTAssertEqual(g.normalConcat, [2, 3])
    XCTAssertTrue(g.description.hasPrefix("Genotype(normal=[('"), g.description)
    XCTAssertEqual(try Genotype(parsing: g.description), g)
    // DARTS_V2 as its code prints it (range for the concat lists).
    let v2 = """
    Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=range(2, 6), reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=range(2, 6))
    """
    let p = try Genotype(parsing: v2)
    XCTAssertEqual(p.normalConcat, [2, 3, 4, 5])
    XCTAssertEqual(p.reduce[2], .init("skip_connect", 2))
    XCTAssertEqual(try Genotype(parsing: p.description), p)
    XCTAssertThrowsError(try Genotype(parsing: "Genotype(normal=[('sep_conv_3x3', x)], normal_concat=[2], reduce=[], reduce_concat=[2])"))
  }

  func testDerivedNetworkBuildsTheGenotypeWithAuxiliaryHeadAndDropPath() throws {
    let g = try Genotype(parsing: "Genotype(normal=[('sep_conv_3x3', 0), ('skip_connect', 1), ('dil_conv_3x3', 2), ('avg_pool_3x3', 0)], normal_concat=[2, 3], reduce=[('max_pool_3x3', 0), ('skip_connect', 1), ('sep_conv_5x5', 2), ('skip_connect', 2)], reduce_concat=[2, 3])")
    var o = DartsNetwork.Options()
    o.inChannels = 1
    o.channels = 4
    o.layers = 6
    o.classes = 5
    o.auxiliary = true
    let net = try DartsNetwork(g, o)
    XCTAssertEqual(net.cells.map(\.reduction), [false, false, true, false, true, false])
    XCTAssertTrue(net.cells[3].children[2].module is SepConv)
    XCTAssertTrue(net.cells[2].children[3].module is FactorizedReduce)  // strided skip from input 1
    let x = NetTest.input([4, 1, 12, 12])
    net.train()
    XCTAssertEqual(try net(x).shape, [4, 5])
    XCTAssertEqual(net.auxiliaryLogits?.shape, [4, 5])
    net.eval()
    _ = try net(x)
    XCTAssertNil(net.auxiliaryLogits)
    // Both heads train: the main loss plus 0.4 × the auxiliary one reaches every weight.
    net.train()
    net.zeroGrad()
    let labels = Tensor(indices: [0, 1, 2, 3])
    let main = Tensor.crossEntropy(try net(x), labels)
    (main + Tensor.crossEntropy(net.auxiliaryLogits!, labels) * 0.4).backward()
    for (name, p) in net.namedParameters() { XCTAssertNotNil(p.grad, name) }
    // Drop-path zeroes whole samples of non-identity paths and scales the rest by 1/(1-p).
    let h = Tensor.ones([200, 1, 1, 1])
    let d = DerivedCell.dropPath(h, 0.25, Generator(seed: 1)).toArray()
    XCTAssertTrue(d.allSatisfy { $0 == 0 || abs($0 - 4 / 3) < 1e-6 })
    let kept = d.filter { $0 > 0 }.count
    XCTAssertTrue((120...180).contains(kept), "\(kept) of 200 kept at p = 0.25")
    // A genotype that reads a node not yet computed is refused.
    let bad = Genotype(normal: [.init("skip_connect", 0), .init("skip_connect", 3)], normalConcat: [2],
                       reduce: g.reduce, reduceConcat: [2])
    XCTAssertThrowsError(try DartsNetwork(bad, o)) { XCTAssertTrue("\($0)".contains("reads node 3"), "\($0)") }
  }
}
