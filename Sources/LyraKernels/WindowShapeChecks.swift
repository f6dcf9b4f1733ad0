import LyraBase

/// Overflow-checked geometry of convolutions and pooling.
///
/// Why: LyraKernels' inner loops run without bounds checks (`-Ounchecked`), and their own
/// `validate()` preconditions vanish in that mode. So every caller — `Tensor.conv2d` and the
/// pools in LyraTensor, the modules' `forward` in LyraNN — asks for the output shape here
/// first: sizes, strides, paddings and dilations from descriptions, ONNX attributes or Lua
/// options are then either consistent (output at least 1×1, all counts within
/// `CheckedSize`'s cap, nothing overflowing) or a thrown `SizeError`.
extension Conv2dShape {
  /// [batch, outChannels, outHeight, outWidth], after checking every invariant the kernels
  /// rely on: positive sizes, channels divisible by groups, the window inside the padded
  /// input, and output, weight and im2col buffers within the allocation cap.
  /// `checkAvailable: false` for last-resort checks at the kernel call (see `CheckedSize.bytes`).
  public func checkedOutputShape(checkAvailable: Bool = true) throws -> [Int] {
    guard batch >= 0, inChannels > 0, outChannels > 0, height > 0, width > 0 else {
      throw SizeError("convolution: sizes must be positive (batch \(batch), channels \(inChannels) -> \(outChannels), input \(height)x\(width))")
    }
    guard groups > 0, inChannels % groups == 0, outChannels % groups == 0 else {
      throw SizeError("convolution: channels \(inChannels) -> \(outChannels) must divide by groups \(groups)")
    }
    let oh = try CheckedSize.windowOutput(input: height, kernel: kernelH, stride: strideH, padding: padH, dilation: dilationH,
                                          "convolution height")
    let ow = try CheckedSize.windowOutput(input: width, kernel: kernelW, stride: strideW, padding: padW, dilation: dilationW,
                                          "convolution width")
    let out = [batch, outChannels, oh, ow]
    try CheckedSize.allocation(out, "convolution output", checkAvailable: checkAvailable)
    let patch = try CheckedSize.count([inChannels / groups, kernelH, kernelW], "convolution patch")
    try CheckedSize.allocation([outChannels, patch], "convolution weight", checkAvailable: checkAvailable)
    try CheckedSize.allocation([patch, oh, ow], "convolution im2col buffer", checkAvailable: checkAvailable)
    return out
  }
}

extension Pool2dShape {
  /// [batch, channels, outHeight, outWidth], after checking what the pooling kernels rely
  /// on: positive kernel, stride and dilation, padding at most half the kernel (PyTorch's
  /// rule), the window inside the padded input, the output within the allocation cap.
  /// `checkAvailable: false` for last-resort checks at the kernel call (see `CheckedSize.bytes`).
  public func checkedOutputShape(checkAvailable: Bool = true) throws -> [Int] {
    guard batch >= 0, channels >= 0, height > 0, width > 0 else {
      throw SizeError("pooling: input sizes must be positive, got \(batch)x\(channels)x\(height)x\(width)")
    }
    guard padH >= 0, padW >= 0, padH <= kernelH / 2, padW <= kernelW / 2 else {
      throw SizeError("pooling: padding \(padH)x\(padW) must be at most half the kernel \(kernelH)x\(kernelW)")
    }
    func axis(_ size: Int, _ k: Int, _ s: Int, _ p: Int, _ d: Int, _ name: String) throws -> Int {
      var o = try CheckedSize.windowOutput(input: size, kernel: k, stride: s, padding: p, dilation: d, ceil: ceilMode, "pooling \(name)")
      if ceilMode && SlidingWindow.lastWindowStartsPastInput(o, stride: s, size: size, padding: p) { o -= 1 }
      guard o > 0 else { throw SizeError("pooling \(name): output would be empty") }
      return o
    }
    // The average pool divides by the window's area.
    _ = try CheckedSize.product(kernelH, kernelW, "pooling window \(kernelH)x\(kernelW)")
    let out = [batch, channels, try axis(height, kernelH, strideH, padH, dilationH, "height"),
               try axis(width, kernelW, strideW, padW, dilationW, "width")]
    try CheckedSize.allocation(out, "pooling output", checkAvailable: checkAvailable)
    return out
  }
}
