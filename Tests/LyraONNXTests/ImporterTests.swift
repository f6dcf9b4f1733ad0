@testable import LyraONNX
import LyraBase
import LyraNN
import LyraTensor
import XCTest

/// The importer on hand-built graphs: errors that name the operator, node or input, the
/// integer shape arithmetic PyTorch's exporter emits, and the Module wrapper.
final class ImporterTests: XCTestCase {
  /// A model with one float input `x` of `shape` (dimension 0 symbolic) and output `y`.
  func model(_ shape: [Int?], output: [Int?]? = nil, opset: Int = 13,
             build: (ONNXProtoModel) throws -> Void) throws -> ONNXProtoModel {
    let m = try ONNXProtoModel(opset: opset, irVersion: 7, producer: "test", producerVersion: "0", graphName: "g")
    try m.addValue(.input, name: "x", type: .float, shape: shape, dimParams: ["N"])
    try m.addValue(.output, name: "y", type: .float, shape: output ?? shape, dimParams: ["N"])
    try build(m)
    return m
  }

  func testUnsupportedOperatorNamesOpAndNode() throws {
    let proto = try model([nil, 3]) { m in try m.addNode("Celu", name: "act7", inputs: ["x"], outputs: ["y"]) }
    XCTAssertThrowsError(try ONNXModel(proto: proto)) { error in
      let e = error as? ONNXError
      XCTAssertEqual(e?.kind, .unsupported)
      XCTAssertTrue(e?.message.contains("'Celu'") ?? false, "\(error)")
      XCTAssertTrue(e?.message.contains("'act7'") ?? false, "\(error)")
    }
    XCTAssertEqual(ONNXModel.unsupportedOperators(in: try proto.graph()), ["Celu"])
  }

  func testUnsupportedAttributeIsNamed() throws {
    let proto = try model([nil, 3]) { m in
      try m.addNode("Relu", name: "r", inputs: ["x"], outputs: ["y"], attributes: [("mystery", .int(1))])
    }
    let imported = try ONNXModel(proto: proto)
    XCTAssertThrowsError(try imported(Tensor.ones([2, 3]))) { error in
      XCTAssertEqual((error as? ONNXError)?.kind, .unsupported)
      XCTAssertTrue("\(error)".contains("mystery") && "\(error)".contains("Relu node 'r'"), "\(error)")
    }
  }

  func testDanglingInputIsInvalid() throws {
    let proto = try model([nil, 3]) { m in try m.addNode("Add", name: "a", inputs: ["x", "ghost"], outputs: ["y"]) }
    XCTAssertThrowsError(try ONNXModel(proto: proto)) { error in
      XCTAssertEqual((error as? ONNXError)?.kind, .invalid)
      XCTAssertTrue("\(error)".contains("ghost"), "\(error)")
    }
  }

  func testFeedsAreChecked() throws {
    let imported = try ONNXModel(proto: try model([nil, 3]) { m in try m.addNode("Relu", name: "r", inputs: ["x"], outputs: ["y"]) })
    XCTAssertEqual(try imported(Tensor([-1, 0, 2, 3, -4, 5], shape: [2, 3])).toArray(), [0, 0, 2, 3, 0, 5])
    XCTAssertThrowsError(try imported(Tensor.ones([2, 4]))) { XCTAssertTrue("\($0)".contains("[N, 3]"), "\($0)") }
    XCTAssertThrowsError(try imported(Tensor(indices: [1, 2, 3], shape: [1, 3]))) { XCTAssertTrue("\($0)".contains("'x'"), "\($0)") }
    XCTAssertThrowsError(try imported.run(["x": Tensor.ones([1, 3]), "z": Tensor.ones([1])])) {
      XCTAssertTrue("\($0)".contains("'z'"), "\($0)")
    }
  }

  /// PyTorch's exporter flattens with Shape → Gather → Unsqueeze → Concat → Reshape: integer
  /// tensors flowing between operators.
  func testDynamicFlattenSubgraph() throws {
    let proto = try model([nil, 2, 3], output: [nil, 6]) { m in
      try m.addInitializer(name: "zero", ints: [0], shape: [])
      try m.addInitializer(name: "minus1", ints: [-1], shape: [1])
      try m.addInitializer(name: "axes0", ints: [0], shape: [1])
      try m.addNode("Shape", name: "s", inputs: ["x"], outputs: ["shape"])
      try m.addNode("Gather", name: "g", inputs: ["shape", "zero"], outputs: ["n"], attributes: [("axis", .int(0))])
      try m.addNode("Unsqueeze", name: "u", inputs: ["n", "axes0"], outputs: ["n1"])
      try m.addNode("Concat", name: "c", inputs: ["n1", "minus1"], outputs: ["target"], attributes: [("axis", .int(0))])
      try m.addNode("Reshape", name: "r", inputs: ["x", "target"], outputs: ["y"])
    }
    try proto.check(full: true)
    let x = Tensor((0..<24).map(Float.init), shape: [4, 2, 3])
    let y = try ONNXModel(proto: proto)(x)
    XCTAssertEqual(y.shape, [4, 6])
    XCTAssertEqual(y.toArray(), x.toArray())
  }

  func testIntegerDivisionByZeroDoesNotTrap() throws {
    let m = try ONNXProtoModel(opset: 13, irVersion: 7, producer: "test", producerVersion: "0", graphName: "g")
    try m.addValue(.input, name: "a", type: .int64, shape: [2])
    try m.addValue(.output, name: "y", type: .int64, shape: [2])
    try m.addInitializer(name: "b", ints: [0, 2], shape: [2])
    try m.addNode("Div", name: "d", inputs: ["a", "b"], outputs: ["y"])
    let y = try ONNXModel(proto: m).run(["a": Tensor(indices: [7, 7], shape: [2])])["y"]!
    XCTAssertEqual(y.toIntArray()[1], 3)
  }

  func testModuleWrapperRunsLikeTheNativeModel() throws {
    let native = ReferenceModels.mlp(generator: Generator(seed: 9)).eval()
    let data = try ONNXExporter.build(native, inputShape: [1, 1, 28, 28]).serialized()
    let wrapped = ONNXModule(try ONNXModel(data: data))
    let x = Tensor.randn([2, 1, 28, 28], generator: Generator(seed: 1))
    let diff = try Tensor.noGrad { try wrapped(x).sub(try native(x)).abs().max().item() }
    XCTAssertLessThanOrEqual(diff, 1e-5)
    XCTAssertTrue(wrapped.description.hasPrefix("ONNXModel("), wrapped.description)
  }

  func testTensorProtoFilesDecode() throws {
    let path = "/usr/share/libonnx-testdata/data/node/test_gather_0/test_data_set_0/input_1.pb"
    guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("libonnx-testdata is not installed") }
    let t = try ONNXTensorData.load(path: path)
    XCTAssertEqual(t.dataType, .int64)
    XCTAssertEqual(t.dims, [3])
    XCTAssertEqual(t.intValues, [0, 1, 3])
    XCTAssertThrowsError(try ONNXTensorData.load(path: "/nonexistent.pb")) { XCTAssertEqual(($0 as? ONNXError)?.kind, .io) }
  }
}

/// Folding BatchNormalization into the Conv before it changes nothing but the work.
final class FoldBatchNormTests: XCTestCase {
  func testFoldedAndUnfoldedAgree() throws {
    let native = ReferenceModels.resnetMini(generator: Generator(seed: 11))
    let g = Generator(seed: 12)
    for (_, m) in native.namedModules() {
      guard let bn = m as? BatchNorm else { continue }
      Tensor.noGrad {
        bn.runningMean.copy_(Tensor.randn([bn.features], generator: g).mul(0.5))
        bn.runningVar.copy_(Tensor.rand([bn.features], generator: g).add(0.2))
        bn.weight?.copy_(Tensor.randn([bn.features], generator: g))
      }
    }
    native.eval()
    let graph = try ONNXExporter.build(native, inputShape: [1, 1, 28, 28]).graph()
    let folded = try ONNXModel(graph: graph), plain = try ONNXModel(graph: graph, foldBatchNorms: false)
    let bns = graph.nodes.filter { $0.opType == "BatchNormalization" }.count
    XCTAssertEqual(bns, 15)
    XCTAssertEqual(plain.operatorCount - folded.operatorCount, bns)
    let x = Tensor.randn([2, 1, 28, 28], generator: g)
    let want = try Tensor.noGrad { try native(x) }
    XCTAssertLessThanOrEqual(try folded(x).sub(want).abs().max().item(), 1e-4)
    XCTAssertLessThanOrEqual(try plain(x).sub(want).abs().max().item(), 1e-4)
  }
}
