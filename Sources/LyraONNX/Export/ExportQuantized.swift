import LyraNN
import LyraTensor

/// Quantised layers (Quant-EA's QuantConv2d / QuantLinear) export as the float layer with
/// the weights they actually compute with (integers times per-channel scales), so the file
/// runs anywhere and gives the quantised network's outputs. Activation quantisation is
/// written as its formula — q = clip(round(x / s) + z, 0, 2^bits − 1), x̂ = (q − z)·s —
/// from standard operators, since QuantizeLinear only has 8-bit types; ONNX's Round rounds
/// half to even, as Lyra's quantiser does.
extension ExportContext {
  /// The name of the layer's input after activation fake-quantisation (the input itself without it).
  func fakeQuantInput<Q: QuantizedLayer>(_ q: Q, path: String, _ x: Flow) throws -> String {
    guard let bits = q.activationBits else { return x.name }
    guard let range = q.ownBuffers.first(where: { $0.name == "activation_range" })?.tensor, range.count == 2 else {
      throw ONNXError.invalid("ONNX export: \(q.typeName) at '\(path)' quantises its inputs but has no activation range")
    }
    let r = range.contiguous().toArray()
    guard r[0] != r[1] else {
      throw ONNXError.unsupported("ONNX export: \(q.typeName) at '\(path)' quantises its inputs with a range never calibrated (it would follow each batch); train or calibrate it first")
    }
    let (s, z) = QuantScheme.affineParameters(lo: r[0], hi: r[1], bits: bits)
    let levels = Float((1 << bits) - 1)
    let p = join(path, "input_quant")
    let scaled = try node("Div", path: p, inputs: [x.name, try scalar(s)])
    let rounded = try node("Round", path: p, inputs: [scaled])
    let shifted = try node("Add", path: p, inputs: [rounded, try scalar(z)])
    let clipped = try node("Clip", path: p, inputs: [shifted, try scalar(0), try scalar(levels)])
    let centred = try node("Sub", path: p, inputs: [clipped, try scalar(z)])
    return try node("Mul", path: p, inputs: [centred, try scalar(s)])
  }
}
