import LyraNN
import LyraTensor

/// Issue 17's convolutions and poolings: Conv1d (ONNX Conv over one spatial axis),
/// ConvTranspose2d (ConvTranspose, whose [in, out/groups, kH, kW] weight layout is
/// PyTorch's and Lyra's), MaxPool1d (MaxPool), AdaptiveMaxPool2d (GlobalMaxPool, or a
/// MaxPool when the output size divides the input; other sizes have uneven windows ONNX
/// cannot express and are refused, naming the module).
extension ExportContext {
  func emitConvPool(_ m: Module, path: String, _ x: Flow) throws -> Flow? {
    switch m {
    case let conv as Conv1d:
      var inputs = [x.name, try initializer(join(path, "weight"), conv.weight)]
      if let b = conv.bias { inputs.append(try initializer(join(path, "bias"), b)) }
      let y = try node("Conv", path: path, inputs: inputs, attributes: [
        ("kernel_shape", .ints([conv.kernel])), ("strides", .ints([conv.stride])), ("pads", .ints([conv.padding, conv.padding])),
        ("dilations", .ints([conv.dilation])), ("group", .int(conv.groups)),
      ])
      return Flow(name: y, sample: try conv(x.sample))
    case let t as ConvTranspose2d:
      var inputs = [x.name, try initializer(join(path, "weight"), t.weight)]
      if let b = t.bias { inputs.append(try initializer(join(path, "bias"), b)) }
      let y = try node("ConvTranspose", path: path, inputs: inputs, attributes: [
        ("kernel_shape", .ints([t.kernel.h, t.kernel.w])), ("strides", .ints([t.stride.h, t.stride.w])),
        ("pads", .ints([t.padding.h, t.padding.w, t.padding.h, t.padding.w])), ("dilations", .ints([t.dilation.h, t.dilation.w])),
        ("output_padding", .ints([t.outputPadding.h, t.outputPadding.w])), ("group", .int(t.groups)),
      ])
      return Flow(name: y, sample: try t(x.sample))
    case let p as MaxPool1d:
      let y = try p(x.sample)
      if p.ceilMode {
        // ONNX's ceil mode keeps a last window that starts in the right padding; Lyra's drops it.
        let onnx = (x.sample.shape[2] + 2 * p.padding - p.kernel + p.stride - 1) / p.stride + 1
        guard onnx == y.shape[2] else {
          throw ONNXError.unsupported("ONNX export: MaxPool1d at '\(path)' uses ceil_mode where ONNX would give length \(onnx) instead of \(y.shape[2])")
        }
      }
      return Flow(name: try node("MaxPool", path: path, inputs: [x.name], attributes: [
        ("kernel_shape", .ints([p.kernel])), ("strides", .ints([p.stride])), ("pads", .ints([p.padding, p.padding])),
        ("ceil_mode", .int(p.ceilMode ? 1 : 0)),
      ]), sample: y)
    case let p as AdaptiveMaxPool2d:
      return try emitAdaptive("AdaptiveMaxPool2d", outH: p.outH, outW: p.outW, max: true, path: path, x, try p(x.sample))
    default:
      return nil
    }
  }
}
