import LyraNN
import LyraTensor

/// An imported ONNX model as a Lyra `Module`, so the tools built for modules (evaluation,
/// latency measurement, `Sequential` composition) take it. Inference only: it has no
/// trainable parameters and records no gradients.
public final class ONNXModule: Module {
  public let model: ONNXModel

  public init(_ model: ONNXModel) {
    self.model = model
    super.init()
  }

  public convenience init(path: String) throws { self.init(try ONNXModel(path: path)) }

  public override var typeName: String { "ONNXModel" }
  public override var summary: String {
    "\(model.graph.nodes.count) nodes, opset \(model.opset)"
  }

  public override func forward(_ x: Tensor) throws -> Tensor { try model(x) }
}
