import Foundation
import LyraNN
import LyraTensor

/// Element-wise activations. Opset 13 has no Gelu, SiLU or HardSwish operator, so those
/// are written as their defining formulas from older operators (exact, not approximations).
extension ExportContext {
  func emitActivation(_ m: Module, path: String, _ x: Flow) throws -> Flow? {
    let y: String
    switch m {
    case is ReLU: y = try node("Relu", path: path, inputs: [x.name])
    case is ReLU6: y = try node("Clip", path: path, inputs: [x.name, try scalar(0), try scalar(6)])
    case let l as LeakyReLU: y = try node("LeakyRelu", path: path, inputs: [x.name], attributes: [("alpha", .float(l.slope))])
    case is Sigmoid: y = try node("Sigmoid", path: path, inputs: [x.name])
    case is Tanh: y = try node("Tanh", path: path, inputs: [x.name])
    case is SiLU:
      let s = try node("Sigmoid", path: path, inputs: [x.name])
      y = try node("Mul", path: path, inputs: [x.name, s])
    case is Hardswish:
      // x · relu6(x + 3) / 6 = x · HardSigmoid(x; 1/6, 1/2).
      let h = try node("HardSigmoid", path: path, inputs: [x.name], attributes: [("alpha", .float(1.0 / 6)), ("beta", .float(0.5))])
      y = try node("Mul", path: path, inputs: [x.name, h])
    case is GELU:
      // x · ½ (1 + erf(x / √2)), the exact form Lyra's GELU computes.
      let scaled = try node("Div", path: path, inputs: [x.name, try scalar(Float(2.0.squareRoot()))])
      let e = try node("Erf", path: path, inputs: [scaled])
      let onePlus = try node("Add", path: path, inputs: [e, try scalar(1)])
      let times = try node("Mul", path: path, inputs: [x.name, onePlus])
      y = try node("Mul", path: path, inputs: [times, try scalar(0.5)])
    case let e as ELU: y = try node("Elu", path: path, inputs: [x.name], attributes: [("alpha", .float(e.alpha))])
    case let p as PReLU:
      // PRelu's slope broadcasts from the right: one per channel is [C, 1, ...] below dimension 1.
      let shape = p.count > 1 ? [p.count] + [Int](repeating: 1, count: Swift.max(x.sample.rank - 2, 0)) : [1]
      y = try node("PRelu", path: path, inputs: [x.name, try initializer(join(path, "weight"), p.weight.reshape(shape))])
    case let s as Softplus:
      // ONNX Softplus is log(1 + eˣ) without a threshold; above it Lyra returns x, which
      // differs from softplus(βx)/β by at most e^(−threshold)/β, under float precision
      // from a threshold of 15 on (PyTorch's default is 20).
      guard s.threshold >= 15 else {
        throw ONNXError.unsupported("ONNX export: Softplus at '\(path)' has threshold \(s.threshold); ONNX's Softplus has none, which matches only for thresholds of 15 or more")
      }
      if s.beta == 1 {
        y = try node("Softplus", path: path, inputs: [x.name])
      } else {
        let scaled = try node("Mul", path: path, inputs: [x.name, try scalar(s.beta)])
        y = try node("Div", path: path, inputs: [try node("Softplus", path: path, inputs: [scaled]), try scalar(s.beta)])
      }
    case let h as Hardtanh:
      y = try node("Clip", path: path, inputs: [x.name, try scalar(h.minValue), try scalar(h.maxValue)])
    case let sm as SoftmaxBase:
      // Opset 13's Softmax normalises one axis; older opsets flatten from the axis on,
      // which is the same only for the last axis.
      let rank = x.sample.rank
      let axis = sm.dim < 0 ? rank + sm.dim : sm.dim
      guard axis >= 0, axis < rank else {
        throw ONNXError.invalid("ONNX export: \(sm.typeName) at '\(path)': dimension \(sm.dim) does not exist in \(x.sample.shape)")
      }
      guard opset >= 13 || axis == rank - 1 else {
        throw ONNXError.unsupported("ONNX export: \(sm.typeName) at '\(path)' over a dimension other than the last needs opset 13 or later, got \(opset)")
      }
      y = try node(sm is LogSoftmax ? "LogSoftmax" : "Softmax", path: path, inputs: [x.name], attributes: [("axis", .int(axis))])
    default:
      return nil
    }
    return Flow(name: y, sample: try m(x.sample))
  }
}
