/// The geometry of a 2-D convolution over NCHW tensors, as PyTorch's `nn.Conv2d` defines it.
///
/// Layouts (all contiguous, row-major): input [batch, inChannels, height, width],
/// weight [outChannels, inChannels / groups, kernelH, kernelW], bias [outChannels],
/// output [batch, outChannels, outHeight, outWidth]. Group g reads input channels
/// g·(inChannels/groups) ..< (g+1)·(inChannels/groups) and writes the matching slice of
/// output channels.
public struct Conv2dShape: Equatable, Sendable {
  public var batch: Int
  public var inChannels: Int
  public var height: Int
  public var width: Int
  public var outChannels: Int
  public var kernelH: Int
  public var kernelW: Int
  public var strideH: Int
  public var strideW: Int
  public var padH: Int
  public var padW: Int
  public var dilationH: Int
  public var dilationW: Int
  public var groups: Int

  public init(batch: Int, inChannels: Int, height: Int, width: Int, outChannels: Int,
              kernelH: Int, kernelW: Int, strideH: Int = 1, strideW: Int = 1,
              padH: Int = 0, padW: Int = 0, dilationH: Int = 1, dilationW: Int = 1, groups: Int = 1) {
    self.batch = batch; self.inChannels = inChannels; self.height = height; self.width = width
    self.outChannels = outChannels; self.kernelH = kernelH; self.kernelW = kernelW
    self.strideH = strideH; self.strideW = strideW; self.padH = padH; self.padW = padW
    self.dilationH = dilationH; self.dilationW = dilationW; self.groups = groups
  }

  /// Square-kernel convenience (the common case).
  public init(batch: Int, inChannels: Int, height: Int, width: Int, outChannels: Int,
              kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) {
    self.init(batch: batch, inChannels: inChannels, height: height, width: width, outChannels: outChannels,
              kernelH: kernel, kernelW: kernel, strideH: stride, strideW: stride,
              padH: padding, padW: padding, dilationH: dilation, dilationW: dilation, groups: groups)
  }

  /// floor((H + 2·pad − dilation·(k − 1) − 1) / stride) + 1, as PyTorch (`SlidingWindow`).
  @inlinable public var outHeight: Int {
    SlidingWindow.outputSize(height, kernel: kernelH, stride: strideH, padding: padH, dilation: dilationH)
  }
  @inlinable public var outWidth: Int {
    SlidingWindow.outputSize(width, kernel: kernelW, stride: strideW, padding: padW, dilation: dilationW)
  }

  @inlinable public var inChannelsPerGroup: Int { inChannels / groups }
  @inlinable public var outChannelsPerGroup: Int { outChannels / groups }
  /// Rows of the im2col matrix per group: (inChannels/groups)·kH·kW, the GEMM's K.
  @inlinable public var patchSize: Int { inChannelsPerGroup * kernelH * kernelW }

  public var inputCount: Int { batch * inChannels * height * width }
  public var outputCount: Int { batch * outChannels * outHeight * outWidth }
  public var weightCount: Int { outChannels * patchSize }

  /// Multiply-adds of the forward pass (each backward pass costs the same).
  public var macs: Int { batch * outChannels * outHeight * outWidth * patchSize }

  /// One input channel per group (depthwise, with a channel multiplier outChannels/inChannels):
  /// GEMM would have K = kH·kW only, so a direct kernel is used.
  public var isDepthwise: Bool { groups > 1 && groups == inChannels }

  /// 1×1, stride 1, no padding: the input planes already are the im2col matrix.
  public var isPointwise: Bool {
    kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0
  }

  /// Checks the invariants the kernels rely on.
  public func validate() {
    precondition(batch >= 0 && inChannels > 0 && outChannels > 0 && height > 0 && width > 0, "Conv2dShape: sizes must be positive")
    precondition(kernelH > 0 && kernelW > 0 && strideH > 0 && strideW > 0 && dilationH > 0 && dilationW > 0 && padH >= 0 && padW >= 0,
                 "Conv2dShape: kernel, stride, dilation must be positive and padding non-negative")
    precondition(groups > 0 && inChannels % groups == 0 && outChannels % groups == 0, "Conv2dShape: channels must divide by groups")
    precondition(outHeight > 0 && outWidth > 0, "Conv2dShape: output would be empty")
  }
}
