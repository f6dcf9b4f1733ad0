import LyraBase
import LyraKernels
import LyraTensor

/// Transposed 2-D convolution over NCHW input (PyTorch's `nn.ConvTranspose2d`, the
/// gradient of a convolution with respect to its input; decoders and upsampling heads).
/// Weight [in, out/groups, kH, kW]; output size (H − 1)·stride − 2·padding +
/// dilation·(k − 1) + output_padding + 1.
///
/// Computed as the equivalent direct convolution: stride − 1 zeros inserted between input
/// pixels, dilation·(k − 1) − padding of zero padding (cropping where negative, plus
/// output_padding after), and the weight flipped and transposed per group. Every step is a
/// taped op, so the gradient is the tape's (checked by finite differences) and the heavy
/// part runs on Conv2d's kernels; the zero insertion costs stride² more work than a
/// native kernel would, acceptable for the decoder sizes this serves.
public final class ConvTranspose2d: Module {
  public let inChannels: Int, outChannels: Int
  public let kernel: Window2d, stride: Window2d, padding: Window2d, outputPadding: Window2d, dilation: Window2d
  public let groups: Int
  public var weight: Tensor { ownParameters[0].tensor }
  public var bias: Tensor? { ownParameters.count > 1 ? ownParameters[1].tensor : nil }

  /// Sizes are checked by the registry's builder (the Lua and description path).
  public init(_ inChannels: Int, _ outChannels: Int, kernel: Window2d, stride: Window2d = Window2d(1),
              padding: Window2d = Window2d(0), outputPadding: Window2d = Window2d(0), dilation: Window2d = Window2d(1),
              groups: Int = 1, bias: Bool = true, generator: Generator? = nil) {
    (self.inChannels, self.outChannels, self.kernel, self.groups) = (inChannels, outChannels, kernel, groups)
    (self.stride, self.padding, self.outputPadding, self.dilation) = (stride, padding, outputPadding, dilation)
    super.init()
    // PyTorch computes the fan from weight.size(1) = out/groups (its init treats the
    // transposed weight like a convolution's).
    registerTorchDefault(weight: [inChannels, outChannels / groups, kernel.h, kernel.w], fanIn: outChannels / groups * kernel.h * kernel.w,
                         bias: bias, outputs: outChannels, generator: generator)
  }

  /// The output height or width for an input of `size` along one axis.
  static func outputSize(_ size: Int, k: Int, s: Int, p: Int, op: Int, d: Int) -> Int {
    (size - 1) * s - 2 * p + d * (k - 1) + op + 1
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("ConvTranspose2d", x, rank: 4, dim: 1, size: inChannels, expected: "input [N, \(inChannels), H, W]")
    let h = x.shape[2], w = x.shape[3]
    let oh = Self.outputSize(h, k: kernel.h, s: stride.h, p: padding.h, op: outputPadding.h, d: dilation.h)
    let ow = Self.outputSize(w, k: kernel.w, s: stride.w, p: padding.w, op: outputPadding.w, d: dilation.w)
    guard h > 0, w > 0, oh > 0, ow > 0 else {
      throw ShapeError("ConvTranspose2d: input \(ShapeText.format(x.shape)) gives an output of \(oh)x\(ow)")
    }
    do {
      try CheckedSize.allocation([x.shape[0], outChannels, oh, ow], "ConvTranspose2d output")
      try CheckedSize.allocation([x.shape[0], inChannels, (h - 1) * stride.h + 1 + 2 * dilation.h * kernel.h,
                                  (w - 1) * stride.w + 1 + 2 * dilation.w * kernel.w], "ConvTranspose2d zero-inserted input")
    } catch let e as SizeError { throw ShapeError(e.description) }

    var z = Self.insertZeros(x, stride: stride)
    // Full padding d(k − 1) less `padding` on both sides; output_padding after.
    let ph = dilation.h * (kernel.h - 1) - padding.h, pw = dilation.w * (kernel.w - 1) - padding.w
    z = Self.padOrCrop(z, dim: 2, before: ph, after: ph + outputPadding.h)
    z = Self.padOrCrop(z, dim: 3, before: pw, after: pw + outputPadding.w)
    let y = Tensor.conv2d(z, directWeight(), bias, dilation: dilation, groups: groups)
    guard y.shape == [x.shape[0], outChannels, oh, ow] else {
      throw ShapeError("ConvTranspose2d: internal geometry \(ShapeText.format(y.shape)) differs from [\(x.shape[0]), \(outChannels), \(oh), \(ow)]")
    }
    return y
  }

  /// The direct convolution's weight [out, in/groups, kH, kW]: per group, input and
  /// output channels swapped, and the kernel rotated by 180°.
  func directWeight() -> Tensor {
    let g = groups, ig = inChannels / g, og = outChannels / g
    let swapped = weight.reshape([g, ig, og, kernel.h, kernel.w]).transpose(1, 2).reshape([outChannels, ig, kernel.h, kernel.w])
    let rows = Tensor(indices: Array((0..<kernel.h).reversed())), cols = Tensor(indices: Array((0..<kernel.w).reversed()))
    return swapped.indexSelect(2, rows).indexSelect(3, cols)
  }

  /// `stride − 1` zeros between neighbouring pixels along H and W: [N, C, (H−1)s+1, (W−1)s+1].
  static func insertZeros(_ x: Tensor, stride: Window2d) -> Tensor {
    var z = x
    let n = x.shape[0], c = x.shape[1]
    if stride.w > 1 {
      let h = z.shape[2], w = z.shape[3]
      z = z.unsqueeze(4).pad([0, stride.w - 1]).reshape([n, c, h, w * stride.w]).slice(3, 0, (w - 1) * stride.w + 1)
    }
    if stride.h > 1 {
      let h = z.shape[2], w = z.shape[3]
      z = z.unsqueeze(3).pad([0, 0, 0, stride.h - 1]).reshape([n, c, h * stride.h, w]).slice(2, 0, (h - 1) * stride.h + 1)
    }
    return z
  }

  /// Pads dimension `dim` (2 or 3) with zeros, or crops it where an amount is negative.
  static func padOrCrop(_ x: Tensor, dim: Int, before: Int, after: Int) -> Tensor {
    var y = x
    let b = Swift.max(before, 0), a = Swift.max(after, 0)
    if b > 0 || a > 0 { y = y.pad(dim == 3 ? [b, a] : [0, 0, b, a]) }
    if before < 0 || after < 0 {
      let size = y.shape[dim]
      y = y.slice(dim, Swift.max(-before, 0), size - Swift.max(-after, 0))
    }
    return y
  }

  public override var summary: String {
    var s = "\(inChannels) -> \(outChannels), \(kernel.h)x\(kernel.w)"
    if stride != Window2d(1) { s += ", stride \(stride.h)x\(stride.w)" }
    if padding != Window2d(0) { s += ", pad \(padding.h)x\(padding.w)" }
    if outputPadding != Window2d(0) { s += ", output_padding \(outputPadding.h)x\(outputPadding.w)" }
    if dilation != Window2d(1) { s += ", dilation \(dilation.h)x\(dilation.w)" }
    if groups != 1 { s += ", groups \(groups)" }
    return bias == nil ? s + ", no bias" : s
  }
  public override var arguments: [String: JSON] {
    func pair(_ v: Window2d) -> JSON { .array([JSON(v.h), JSON(v.w)]) }
    return ["in_channels": JSON(inChannels), "out_channels": JSON(outChannels), "kernel_size": pair(kernel), "stride": pair(stride),
            "padding": pair(padding), "output_padding": pair(outputPadding), "dilation": pair(dilation), "groups": JSON(groups),
            "bias": .bool(bias != nil)]
  }
}

extension ConvTranspose2d: CountsMACs {
  /// Every input value meets out/groups · kH · kW weights (the zeros the direct form inserts
  /// are not counted: they are an implementation detail, not the layer's work).
  public func macs(input: [Int], output: [Int]) -> Int {
    input.reduce(1, *) * (outChannels / groups) * kernel.h * kernel.w
  }
}
