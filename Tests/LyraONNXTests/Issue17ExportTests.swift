import Foundation
import LyraBase
import LyraNN
import LyraONNX
import LyraTensor
import XCTest

/// Issue 17's modules: each exported, passed through onnx::checker, re-imported, and run on
/// a random batch of another size than the export's; the imported model must give the
/// module's own output (max |difference| ≤ 1e-5 relative to the output's scale).
/// Parameters are randomised first, so an ignored weight, bias or gate order shows.
final class Issue17ExportTests: FolderTestCase {
  override class var folderPrefix: String { "lyra-onnx17" }

  static func randomizeParameters(_ model: Module, seed: UInt64) {
    let g = Generator(seed: seed)
    Tensor.noGrad {
      for p in model.parameters() { p.copy_(Tensor.randn(p.shape, generator: g).mul(0.5)) }
    }
  }

  /// Exports for `inputShape`, checks, imports, runs `runShape` (another batch) both ways.
  @discardableResult
  func roundTrip(_ name: String, _ model: Module, inputShape: [Int], runShape: [Int]? = nil, opset: Int = 13,
                 file: StaticString = #filePath, line: UInt = #line) throws -> Float {
    Self.randomizeParameters(model, seed: 11)
    model.eval()
    let path = dir.appendingPathComponent("\(name).onnx").path
    var options = ONNXExporter.Options()
    options.opset = opset
    try ONNXExporter.export(model, inputShape: inputShape, to: path, options: options)
    try ONNXChecker.check(path: path, full: true)
    let imported = try ONNXModel(path: path)
    XCTAssertEqual(imported.opset, opset, file: file, line: line)
    let shape = runShape ?? ([3] + inputShape.dropFirst())
    let x = Tensor.randn(shape, generator: Generator(seed: 5))
    let native = try Tensor.noGrad { try model(x) }
    let onnx = try imported(x)
    XCTAssertEqual(onnx.shape, native.shape, "\(name)", file: file, line: line)
    guard onnx.shape == native.shape else { return .infinity }
    let diff = onnx.sub(native).abs().max().item()
    print("ONNX round trip \(name) (opset \(opset)): max |onnx - native| = \(diff)")
    XCTAssertLessThanOrEqual(diff, 1e-5 * Swift.max(1, native.abs().max().item()), "\(name)", file: file, line: line)
    return diff
  }

  func assertRefused(_ model: Module, inputShape: [Int], _ parts: [String], file: StaticString = #filePath, line: UInt = #line) {
    do {
      _ = try ONNXExporter.build(model, inputShape: inputShape)
      XCTFail("expected the export to fail", file: file, line: line)
    } catch let e as ONNXError {
      for p in parts { XCTAssertTrue(e.description.contains(p), "'\(e.description)' lacks '\(p)'", file: file, line: line) }
    } catch {
      XCTFail("expected an ONNXError, got \(error)", file: file, line: line)
    }
  }

  func testNorms() throws {
    for opset in [13, 17] {
      try roundTrip("layernorm", LayerNorm([6]), inputShape: [2, 4, 6], opset: opset)
      try roundTrip("layernorm2d", LayerNorm([4, 6], eps: 1e-3, affine: false), inputShape: [2, 4, 6], opset: opset)
    }
    try roundTrip("groupnorm", GroupNorm(groups: 2, channels: 6), inputShape: [2, 6, 5, 5])
    try roundTrip("groupnorm_flat", GroupNorm(groups: 3, channels: 6, eps: 1e-3, affine: false), inputShape: [2, 6])
    try roundTrip("instancenorm", InstanceNorm2d(3), inputShape: [2, 3, 5, 4])
    try roundTrip("instancenorm_affine", InstanceNorm2d(3, eps: 1e-3, affine: true), inputShape: [2, 3, 5, 4])
  }

  func testConvolutions() throws {
    let g = Generator(seed: 1)
    try roundTrip("conv1d", Conv1d(4, 6, 3, stride: 2, padding: 2, dilation: 2, groups: 2, generator: g), inputShape: [2, 4, 11])
    try roundTrip("conv1d_nobias", Conv1d(3, 5, 4, bias: false, generator: g), inputShape: [2, 3, 9])
    try roundTrip("convtranspose2d", ConvTranspose2d(4, 6, kernel: Window2d(3, 2), stride: Window2d(2, 3), padding: Window2d(1, 0),
                                                     outputPadding: Window2d(1, 2), groups: 2, generator: g), inputShape: [2, 4, 5, 4])
    try roundTrip("convtranspose2d_dilated", ConvTranspose2d(3, 2, kernel: Window2d(3), dilation: Window2d(2), bias: false, generator: g),
                  inputShape: [1, 3, 4, 4])
  }

  func testPoolingAndDropout() throws {
    try roundTrip("maxpool1d", MaxPool1d(3, stride: 2, padding: 1), inputShape: [2, 3, 10])
    try roundTrip("maxpool1d_ceil", MaxPool1d(2, stride: 2, ceilMode: true), inputShape: [2, 3, 9])
    try roundTrip("adaptivemaxpool_global", AdaptiveMaxPool2d(1), inputShape: [2, 3, 6, 9])
    try roundTrip("adaptivemaxpool", AdaptiveMaxPool2d(2, 3), inputShape: [2, 3, 6, 9])
    try roundTrip("dropout2d", Sequential([Dropout2d(0.5), ReLU()]), inputShape: [2, 3, 4, 4])
  }

  func testUpsample() throws {
    try roundTrip("upsample_nearest_x2", Upsample(scale: (2, 2)), inputShape: [1, 2, 3, 4])
    try roundTrip("upsample_nearest_size", Upsample(size: (5, 7)), inputShape: [1, 2, 3, 4])
    try roundTrip("upsample_nearest_down", Upsample(size: (4, 3)), inputShape: [1, 2, 6, 7])
    try roundTrip("upsample_bilinear", Upsample(size: (7, 9), mode: .bilinear), inputShape: [1, 2, 3, 4])
    try roundTrip("upsample_bilinear_corners", Upsample(scale: (2, 1.5), mode: .bilinear, alignCorners: true), inputShape: [1, 2, 3, 4])
  }

  func testReshapes() throws {
    let g = Generator(seed: 2)
    try roundTrip("view", Sequential([Conv2d(2, 4, 3, generator: g), View([-1]), Linear(4 * 3 * 3, 5, generator: g)]), inputShape: [1, 2, 5, 5])
    try roundTrip("view_sizes", View([4, 6]), inputShape: [2, 3, 8])
    try roundTrip("unflatten", Unflatten(dim: 1, sizes: [2, -1]), inputShape: [2, 6, 4])
    try roundTrip("unflatten_last", Unflatten(dim: -1, sizes: [2, 2]), inputShape: [2, 3, 4])
  }

  func testActivations() throws {
    try roundTrip("prelu_channels", PReLU(count: 3), inputShape: [2, 3, 4, 4])
    try roundTrip("prelu_channels_flat", PReLU(count: 5), inputShape: [2, 5])
    try roundTrip("prelu", PReLU(), inputShape: [2, 3, 4])
    try roundTrip("elu", ELU(alpha: 0.7), inputShape: [2, 3, 4])
    try roundTrip("softplus", Softplus(), inputShape: [2, 3, 4])
    try roundTrip("softplus_beta", Softplus(beta: 2, threshold: 15), inputShape: [2, 3, 4])
    try roundTrip("hardtanh", Hardtanh(min: -0.5, max: 0.8), inputShape: [2, 3, 4])
    try roundTrip("softmax", Softmax(dim: 1), inputShape: [2, 3, 4])
    try roundTrip("logsoftmax", LogSoftmax(dim: -1), inputShape: [2, 3, 4])
  }

  /// What ONNX (or Lyra's exporter) cannot express fails naming the module and its place.
  func testInexpressibleModulesAreRefusedByName() {
    assertRefused(Sequential([AdaptiveMaxPool2d(4)]), inputShape: [1, 2, 6, 9], ["AdaptiveMaxPool2d", "'0'", "6x9 to 4x4", "uneven"])
    assertRefused(Sequential([ReLU(), ModuleList([ReLU()])]), inputShape: [1, 3], ["ModuleList", "'1'", "Sequential"])
    assertRefused(Softplus(beta: 1, threshold: 2), inputShape: [1, 3], ["Softplus", "threshold 2"])
    assertRefused(MaxPool1d(2, stride: 2, padding: 1, ceilMode: true), inputShape: [1, 1, 5], ["MaxPool1d", "ceil_mode"])
  }

  /// LSTM and GRU gate orders (ONNX's iofc / zrh against Lyra's ifgo / rzn), stacked layers,
  /// batch_first and unbatched inputs; the sequence length (dimension 0) differs from the export's.
  func testRecurrentLayers() throws {
    let g = Generator(seed: 3)
    try roundTrip("lstm", LSTM(5, 4, numLayers: 2, generator: g), inputShape: [6, 2, 5], runShape: [4, 2, 5])
    try roundTrip("lstm_nobias_batchfirst", LSTM(5, 3, bias: false, batchFirst: true, generator: g), inputShape: [2, 6, 5])
    try roundTrip("lstm_unbatched", LSTM(5, 4, generator: g), inputShape: [6, 5], runShape: [3, 5])
    try roundTrip("gru", GRU(5, 4, numLayers: 2, generator: g), inputShape: [6, 2, 5], runShape: [9, 2, 5])
    try roundTrip("gru_batchfirst", GRU(5, 4, batchFirst: true, generator: g), inputShape: [2, 6, 5])
    try roundTrip("rnn", RNN(5, 4, numLayers: 2, generator: g), inputShape: [6, 2, 5], runShape: [3, 2, 5])
    try roundTrip("lstm_in_sequential", Sequential([LSTM(5, 4, batchFirst: true, generator: g), Linear(4, 2, generator: g)]),
                  inputShape: [2, 6, 5])
    try roundTrip("rnn_relu", RNN(5, 4, nonlinearity: "relu", batchFirst: true, generator: g), inputShape: [2, 6, 5])
  }

  func testAttention() throws {
    let g = Generator(seed: 4)
    try roundTrip("mha", MultiheadAttention(8, 2, generator: g), inputShape: [5, 2, 8], runShape: [7, 2, 8])
    try roundTrip("mha_batchfirst", MultiheadAttention(8, 4, batchFirst: true, generator: g), inputShape: [2, 5, 8])
    try roundTrip("mha_unbatched_nobias", MultiheadAttention(6, 3, bias: false, generator: g), inputShape: [5, 6], runShape: [3, 6])
    for opset in [13, 17] {
      try roundTrip("encoder_layer", TransformerEncoderLayer(8, 2, dimFeedforward: 16, generator: g), inputShape: [5, 2, 8],
                    runShape: [6, 2, 8], opset: opset)
      try roundTrip("encoder_layer_prenorm_gelu", TransformerEncoderLayer(8, 2, dimFeedforward: 16, activation: "gelu", batchFirst: true,
                                                                          normFirst: true, generator: g), inputShape: [2, 5, 8], opset: opset)
    }
    let layer = TransformerEncoderLayer(8, 2, dimFeedforward: 12, batchFirst: true, generator: g)
    try roundTrip("encoder", try TransformerEncoder(layer, numLayers: 2, norm: true), inputShape: [2, 5, 8], opset: 17)
  }
}
