import Foundation
import LyraBase
import LyraNN
import LyraONNX
import LyraTensor
import XCTest

/// Export → onnx::checker → import → the same outputs as the native model, for the three
/// reference models and for a network using every exportable module.
final class RoundTripTests: FolderTestCase {
  /// Non-trivial batch-norm statistics and affine parameters, so folding and eps matter.
  func randomizeNorms(_ model: Module, _ g: Generator) {
    for (_, m) in model.namedModules() {
      guard let bn = m as? BatchNorm else { continue }
      Tensor.noGrad {
        bn.runningMean.copy_(Tensor.randn([bn.features], generator: g).mul(0.3))
        bn.runningVar.copy_(Tensor.rand([bn.features], generator: g).add(0.5))
        bn.weight?.copy_(Tensor.rand([bn.features], generator: g).add(0.5))
        bn.bias?.copy_(Tensor.randn([bn.features], generator: g).mul(0.2))
      }
    }
  }

  /// Exports, checks, imports and runs a batch of `batch`; returns the largest absolute difference.
  @discardableResult
  func roundTrip(_ name: String, _ model: Module, inputShape: [Int], batch: Int = 3, file: StaticString = #filePath,
                 line: UInt = #line) throws -> Float {
    let g = Generator(seed: 7)
    randomizeNorms(model, g)
    model.eval()
    let path = dir.appendingPathComponent("\(name).onnx").path
    try ONNXExporter.export(model, inputShape: inputShape, to: path)
    try ONNXChecker.check(path: path, full: true)
    let imported = try ONNXModel(path: path)
    XCTAssertEqual(imported.opset, 13, file: file, line: line)
    let x = Tensor.randn([batch] + inputShape.dropFirst(), generator: g)
    let native = try Tensor.noGrad { try model(x) }
    let onnx = try imported(x)
    XCTAssertEqual(onnx.shape, native.shape, file: file, line: line)
    let diff = onnx.sub(native).abs().max().item()
    print("ONNX round trip \(name): max |onnx - native| = \(diff)")
    XCTAssertLessThanOrEqual(diff, 1e-4, "\(name)", file: file, line: line)
    return diff
  }

  func testReferenceMLP() throws {
    try roundTrip("mlp", ReferenceModels.mlp(generator: Generator(seed: 1)), inputShape: [1, 1, 28, 28])
  }

  func testReferenceCNN() throws {
    try roundTrip("cnn", ReferenceModels.cnn(generator: Generator(seed: 2)), inputShape: [1, 1, 28, 28])
  }

  func testReferenceResNetMini() throws {
    try roundTrip("resnet_mini", ReferenceModels.resnetMini(generator: Generator(seed: 3)), inputShape: [1, 1, 28, 28])
  }

  /// Grouped, strided, dilated and asymmetric convolutions, branches, every activation,
  /// pools, shaping: everything the exporter claims, through one network.
  func testEveryModule() throws {
    let g = Generator(seed: 4)
    let model = Sequential([
      Conv2d(3, 8, kernel: Window2d(3, 5), stride: Window2d(1, 2), padding: Window2d(1, 2), generator: g),
      BatchNorm2d(8), LeakyReLU(0.1),
      Concat([
        Conv2d(8, 8, 3, padding: 2, dilation: 2, groups: 4, generator: g),
        Sequential([Conv2d(8, 8, 3, padding: 1, groups: 8, bias: false, generator: g), ReLU6()]),
        Identity(),
      ]),
      Add([Sequential([Conv2d(24, 16, 1, generator: g), GELU()]), Sequential([Conv2d(24, 16, 1, generator: g), SiLU()])]),
      Hardswish(), MaxPool2d(3, stride: 2, padding: 1), Sigmoid(),
      AvgPool2d(3, stride: 1, padding: 1, countIncludePad: false), Tanh(), Dropout(0.3),
      Add([Identity(), Zero()]),
      AdaptiveAvgPool2d(2), Flatten(start: 2), Linear(4, 6, generator: g), Flatten(), BatchNorm1d(96),
      Linear(96, 5, generator: g),
    ])
    try roundTrip("every_module", model, inputShape: [1, 3, 12, 16])
  }

  /// Hardtanh (Clip), Softmax and LogSoftmax over a middle and the last dimension.
  func testSoftmaxesAndHardtanh() throws {
    let g = Generator(seed: 6)
    let model = Sequential([Conv2d(2, 4, 3, padding: 1, generator: g), Hardtanh(min: -0.3, max: 0.4), Softmax(dim: 1),
                            Flatten(), Linear(4 * 5 * 6, 7, generator: g), LogSoftmax(dim: -1)])
    try roundTrip("softmaxes", model, inputShape: [1, 2, 5, 6])
  }

  func testBatchIsSymbolicAndShapesInfer() throws {
    let model = ReferenceModels.cnn(generator: Generator(seed: 5))
    let proto = try ONNXExporter.build(model, inputShape: [1, 1, 28, 28])
    let graph = try proto.graph()
    XCTAssertEqual(graph.inputs.first?.shape?.first ?? 0, nil)
    XCTAssertEqual(graph.inputs.first?.dimParams.first, "batch")
    XCTAssertEqual(graph.outputs.first?.shape?.last ?? nil, 10)
    XCTAssertTrue(graph.initializers.contains { $0.name == "0.weight" && $0.dims == [32, 1, 3, 3] })
    try proto.inferShapes()
    XCTAssertFalse(try proto.graph().valueInfo.isEmpty)
  }

  func testUnsupportedModuleIsNamed() throws {
    let model = Sequential([Flatten(), Sequential([Linear(4, 4), Embedding(3, 2)])])
    XCTAssertThrowsError(try ONNXExporter.build(model, inputShape: [1, 4])) { error in
      let e = error as? ONNXError
      XCTAssertEqual(e?.kind, .unsupported)
      XCTAssertTrue(e?.message.contains("Embedding") ?? false, "\(error)")
      XCTAssertTrue(e?.message.contains("'1.1'") ?? false, "\(error)")
    }
  }

  func testExportLeavesTrainingModeAsItWas() throws {
    let model = ReferenceModels.cnn(generator: Generator(seed: 6))
    model.train()
    _ = try ONNXExporter.build(model, inputShape: [1, 1, 28, 28])
    XCTAssertTrue(model.namedModules().allSatisfy { $0.module.training })
  }
}
