import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraNets

final class NAGOTests: XCTestCase {
  /// Python 3's `random.Random(0).random()` ×3 then `choice(range(7))` ×5, and
  /// `Random(5).random()`, `choice(range(10))` (printed by CPython).
  func testPythonRandomMatchesCPython() {
    var r = PythonRandom(seed: 0)
    XCTAssertEqual([r.random(), r.random(), r.random()], [0.8444218515250481, 0.7579544029403025, 0.420571580830845])
    XCTAssertEqual((0..<5).map { _ in r.below(7) }, [2, 4, 3, 3, 6])
    var s = PythonRandom(seed: 5)
    XCTAssertEqual(s.random(), 0.6229016948897019)
    XCTAssertEqual(s.below(10), 5)
  }

  /// The graphs VEGA's `_init_graph` + `get_graph_info` make with networkx 3.6
  /// (node inputs, input nodes, output nodes), printed by Python.
  func testGraphsMatchNetworkx() {
    func g(_ m: NagoGraph.Model) -> NagoGraph? { NagoGraph.generate(m) }
    XCTAssertEqual(g(.wattsStrogatz(nodes: 7, p: 0.5, k: 4)),
                   NagoGraph(inputs: [[], [0], [1], [1], [0, 2, 3], [0, 1, 3, 4], [0, 2, 4, 5]], inputNodes: [0], outputNodes: [6]))
    XCTAssertEqual(g(.erdosRenyi(nodes: 6, p: 0.5)),
                   NagoGraph(inputs: [[], [], [1], [0], [0, 1, 3], [1]], inputNodes: [0, 1], outputNodes: [2, 4, 5]))
    XCTAssertEqual(g(.wattsStrogatz(nodes: 10, p: 0.9, k: 3)),
                   NagoGraph(inputs: [[], [], [], [], [2, 3], [2], [0], [], [1, 4], [1, 6, 7, 8]], inputNodes: [0, 1, 2, 3, 7], outputNodes: [5, 9]))
    XCTAssertEqual(g(.erdosRenyi(nodes: 10, p: 0.2)), // seed 9: the first connected one
                   NagoGraph(inputs: [[], [], [], [0, 1, 2], [3], [0], [], [], [0, 1, 5, 6], [3, 4, 7]], inputNodes: [0, 1, 2, 6, 7], outputNodes: [8, 9]))
    XCTAssertEqual(g(.wattsStrogatz(nodes: 5, p: 1, k: 2)),
                   NagoGraph(inputs: [[], [], [], [0, 1], [1, 2, 3]], inputNodes: [0, 1, 2], outputNodes: [4]))
    XCTAssertEqual(g(.erdosRenyi(nodes: 3, p: 0.3)), NagoGraph(inputs: [[], [0], [0]], inputNodes: [0], outputNodes: [1, 2]))
    XCTAssertEqual(NagoGraph.stages(3, ratios: [1, 1, 1]), [0, 1, 2])
    XCTAssertEqual(NagoGraph.stages(7, ratios: [1, 1, 1]), [0, 0, 0, 0, 0, 0, 0])
    XCTAssertEqual(NagoGraph.stages(6, ratios: [0.5, 0.25, 0.25]), [0, 0, 0, 1, 1, 2])
  }

  static func desc(_ g: [Any], limit: Double, stage: [Double] = [1, 1, 1], extra: String = "") -> String {
    #"{"type": "NAGO", "G1_nodes": \#(g[0]), "G1_K": \#(g[1]), "G1_P": \#(g[2]), "G2_nodes": \#(g[3]), "G2_P": \#(g[4]), "#
      + #""G3_nodes": \#(g[5]), "G3_K": \#(g[6]), "G3_P": \#(g[7]), "n_param_limit": \#(limit), "#
      + #""stage1_ratio": \#(stage[0]), "stage2_ratio": \#(stage[1]), "stage3_ratio": \#(stage[2])\#(extra)}"#
  }

  /// The conv3×3 weights of the graph are base·m², base and m as VEGA's LogicalMasterGraph
  /// computes them (`_get_param_count()`, ⌊√(limit/base)⌋, printed by its Python):
  /// (3,2,.5 | 3,.5 | 3,2,.5) limit 4e6: base 1611, m 49; (4,3,.3 | 4,.6 | 4,2,.2) limit
  /// 20000: 576, 5; (3,5,.1 | 3,.2 | 3,2,.1), stages .3/.3/.4, limit 5000: 1521, 1.
  func testWidthsMatchVegasLogicalGraph() throws {
    func convWeights(_ m: Module) -> Int {
      m.modules(ofType: Conv2d.self, under: "graph").filter { $0.module.kernel.h == 3 }.reduce(0) { $0 + $1.module.weight.count }
    }
    let a = try NetTest.build(Self.desc([3, 2, 0.5, 3, 0.5, 3, 2, 0.5], limit: 4e6, extra: #", "in_channels": 1, "image_size": 28"#))
    XCTAssertEqual(convWeights(a), 1611 * 49 * 49)
    let b = try NetTest.build(Self.desc([4, 3, 0.3, 4, 0.6, 4, 2, 0.2], limit: 20000, extra: #", "image_size": 32"#))
    XCTAssertEqual(convWeights(b), 576 * 5 * 5)
    let c = try NetTest.build(Self.desc([3, 5, 0.1, 3, 0.2, 3, 2, 0.1], limit: 5000, stage: [0.3, 0.3, 0.4], extra: #", "image_size": 32"#))
    XCTAssertEqual(convWeights(c), 1521)
    XCTAssertEqual(c.modules(ofType: NagoNode.self).filter { $0.module.side != nil }.map(\.module.side), [32, 16, 8],
                   "three top nodes: one stage each, at 32·2/2, /4, /8")
  }

  func testForwardShapesAndGradients() throws {
    let small = try NetTest.build(Self.desc([4, 3, 0.3, 4, 0.6, 4, 2, 0.2], limit: 20000, extra: #", "in_channels": 1, "image_size": 28"#))
    XCTAssertEqual(try small(NetTest.input([2, 1, 28, 28])).shape, [2, 10])
    try NetTest.assertFiniteGradients(small, input: [2, 1, 28, 28], classes: 10)
    let large = try NetTest.build(Self.desc([3, 2, 0.5, 3, 0.5, 3, 2, 0.5], limit: 20000, extra: #", "image_size": 64, "num_classes": 4"#))
    XCTAssertEqual(try ModuleTracer.trace(large, input: NetTest.input([2, 3, 64, 64])).first { $0.name == "first_conv" }?.output.suffix(2), [16, 16])
    XCTAssertEqual(try large(NetTest.input([2, 3, 64, 64])).shape, [2, 4])
  }

  /// Summed inputs through a learnt bounded scalar (same width) or a 1×1 conv (other width).
  func testMergeGradientMatchesFiniteDifferences() throws {
    final class Wrap: Module {
      let node: NagoNode
      init(_ n: NagoNode) { node = n; super.init(); register(child: "node", n) }
      override func forward(_ x: Tensor) throws -> Tensor { try node.run([x, x.mul(x)]) }
    }
    for width in [2, 3] {
      let node = NagoNode(incoming: [2, 2], width: width, body: Sequential([ReLU(), Conv2d(width, 2, 3, padding: 1), BatchNorm2d(2)]))
      XCTAssertEqual(node.mergers.map { $0 is BoundedScalar }, [width == 2, width == 2])
      let m = Wrap(node)
      m.eval()
      XCTAssertNil(try NetGradCheck.mismatch(m, NetTest.input([1, 2, 3, 3], seed: 8), eps: 1e-3, rtol: 2e-2, atol: 1e-3) {})
    }
  }

  func testBadKeysAreNamed() {
    XCTAssertTrue(NetTest.errorText { try NetTest.build(#"{"type": "NAGO", "G1_K": 2}"#) }.contains("missing 'G1_nodes'"))
    XCTAssertTrue(NetTest.errorText { try NetTest.build(Self.desc([3, 2, 0.5, 3, 0.5, 3, 2, 0.5], limit: 100)) }
      .contains("n_param_limit: 100.0 is below the architecture's 1611 weights"))
    XCTAssertTrue(NetTest.errorText { try NetTest.build(Self.desc([3, 2, 0.5, 3, 0, 3, 2, 0.5], limit: 1e5)) }.contains("G2_nodes: no usable graph"))
  }
}
