import LyraBase
import LyraNN
import LyraTensor

/// Writes the networks Lyra builds as ONNX models that pass `onnx::checker` (full
/// check: strict shape inference with type checks), so it runs in other runtimes.
///
/// The export is the inference graph: batch norm uses its running statistics and dropout
/// is the identity, whatever mode the model is in (the mode is restored afterwards).
/// Parameter names carry over as initialiser names (`features.0.weight`), and the batch
/// dimension is symbolic unless `Options.batchDimension` is nil.
///
/// Covered: Sequential, Add, Concat, Conv2d (groups, stride, padding, dilation), Linear,
/// BatchNorm1d/2d, the activations, Max/Avg/AdaptiveAvgPool2d, Flatten, Identity, Dropout,
/// Zero, QuantConv2d/QuantLinear, and wrapper modules whose wiring is a chain or a residual
/// of their children (LyraNets' ResNet and MobileNetV2; see ExportInferred.swift); issue
/// 17's LayerNorm, GroupNorm, InstanceNorm2d, Conv1d, ConvTranspose2d, MaxPool1d,
/// AdaptiveMaxPool2d, Upsample, View, Unflatten, PReLU, ELU, Softplus, Hardtanh, Softmax,
/// LogSoftmax, Dropout2d, RNN, LSTM, GRU, MultiheadAttention,
/// TransformerEncoderLayer and TransformerEncoder (docs/onnx.md lists the ONNX operators
/// each becomes). Anything else is an `ONNXError` naming the module and its dotted path.
public enum ONNXExporter {
  /// The operator sets the exporter can target: 13 (the default, the widest support)
  /// through 17 (the newest libonnx 1.12 knows). Every operator it writes is unchanged
  /// across them, except that LayerNorm is LayerNormalization from opset 17 and an
  /// equivalent InstanceNormalization form before.
  public static let supportedOpsets = 13...17

  public struct Options {
    public var opset = 13
    public var inputName = "input"
    public var outputName = "output"
    /// The symbolic name of dimension 0 (the batch); nil writes the fixed size given.
    public var batchDimension: String? = "batch"
    public var producerVersion = "0.1"
    /// The graph's name in the file.
    public var graphName = "lyra"
    public init() {}
  }

  /// Exports `model` for inputs of `inputShape` (e.g. [1, 1, 28, 28]) to `path`.
  public static func export(_ model: Module, inputShape: [Int], to path: String, options: Options = Options()) throws {
    try build(model, inputShape: inputShape, options: options).write(to: path)
  }

  /// The checked model, not yet written (for callers that want the bytes).
  public static func build(_ model: Module, inputShape: [Int], options: Options = Options()) throws -> ONNXProtoModel {
    guard supportedOpsets.contains(options.opset) else {
      throw ONNXError.unsupported("ONNX export: opset \(options.opset) is outside \(supportedOpsets.lowerBound)...\(supportedOpsets.upperBound)")
    }
    guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }) else {
      throw ONNXError.invalid("ONNX export: input shape \(inputShape) must have positive sizes")
    }
    let proto = try ONNXProtoModel(opset: options.opset, irVersion: irVersion(forOpset: options.opset), producer: "lyra",
                                   producerVersion: options.producerVersion, graphName: options.graphName)
    let context = ExportContext(proto: proto, opset: options.opset)
    let modes = model.namedModules().map { ($0.module, $0.module.training) }
    model.eval()
    defer { for (m, training) in modes { m.train(training) } }
    let output = try Tensor.noGrad { () throws -> ExportContext.Flow in
      // A random sample (not zeros) so that inferred wirings are told apart by their values.
      let x = ExportContext.Flow(name: options.inputName, sample: Tensor.randn(inputShape, generator: Generator(seed: 0)))
      context.reserve(options.inputName)
      context.reserve(options.outputName)
      let y = try context.emit(model, path: "", x)
      _ = try context.node("Identity", path: "", inputs: [y.name], output: options.outputName)
      return ExportContext.Flow(name: options.outputName, sample: y.sample)
    }
    let batch = options.batchDimension
    try proto.addValue(.input, name: options.inputName, type: .float, shape: shape(inputShape, batch: batch), dimParams: [batch])
    let sameBatch = output.sample.rank > 0 && output.sample.shape[0] == inputShape[0]
    try proto.addValue(.output, name: options.outputName, type: .float,
                       shape: shape(output.sample.shape, batch: sameBatch ? batch : nil), dimParams: [batch])
    try proto.check(full: true)
    return proto
  }

  /// The IR version that goes with an opset (onnx.helper's table): 7 up to opset 14, 8 after.
  static func irVersion(forOpset opset: Int) -> Int { opset <= 14 ? 7 : 8 }

  static func shape(_ dims: [Int], batch: String?) -> [Int?] {
    dims.enumerated().map { $0.offset == 0 && batch != nil ? nil : $0.element }
  }
}
