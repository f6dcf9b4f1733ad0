import LyraBase
import LyraKernels
import LyraTensor

/// 1-D convolution over [N, C, L] input, as PyTorch's `nn.Conv1d`: weight
/// [out, in/groups, k], initialised as PyTorch's default (fan_in = in/groups · k).
///
/// It runs as a 2-D convolution of height 1 (the input and weight are viewed with a unit
/// dimension), so it shares Conv2d's kernels and their gradients.
public final class Conv1d: Module {
  public let inChannels: Int, outChannels: Int
  public let kernel: Int, stride: Int, padding: Int, dilation: Int, groups: Int
  public var weight: Tensor { ownParameters[0].tensor }
  public var bias: Tensor? { ownParameters.count > 1 ? ownParameters[1].tensor : nil }

  /// Sizes are checked by the registry's builder (the Lua and description path).
  public init(_ inChannels: Int, _ outChannels: Int, _ kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
              groups: Int = 1, bias: Bool = true, generator: Generator? = nil) {
    (self.inChannels, self.outChannels, self.kernel) = (inChannels, outChannels, kernel)
    (self.stride, self.padding, self.dilation, self.groups) = (stride, padding, dilation, groups)
    super.init()
    registerTorchDefault(weight: [outChannels, inChannels / groups, kernel], fanIn: inChannels / groups * kernel, bias: bias,
                         outputs: outChannels, generator: generator)
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("Conv1d", x, rank: 3, dim: 1, size: inChannels, expected: "input [N, \(inChannels), L]")
    let s = Conv2dShape(batch: x.shape[0], inChannels: inChannels, height: 1, width: x.shape[2], outChannels: outChannels,
                        kernelH: 1, kernelW: kernel, strideH: 1, strideW: stride, padH: 0, padW: padding,
                        dilationH: 1, dilationW: dilation, groups: groups)
    do { _ = try s.checkedOutputShape() } catch {
      throw ShapeError("Conv1d: input \(ShapeText.format(x.shape)) with kernel \(kernel), padding \(padding), dilation \(dilation): \(error)")
    }
    return Tensor.conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, stride: Window2d(1, stride), padding: Window2d(0, padding),
                         dilation: Window2d(1, dilation), groups: groups).squeeze(2)
  }

  public override var summary: String {
    var s = "\(inChannels) -> \(outChannels), \(kernel)"
    if stride != 1 { s += ", stride \(stride)" }
    if padding != 0 { s += ", pad \(padding)" }
    if dilation != 1 { s += ", dilation \(dilation)" }
    if groups != 1 { s += ", groups \(groups)" }
    return bias == nil ? s + ", no bias" : s
  }
  public override var arguments: [String: JSON] {
    ["in_channels": JSON(inChannels), "out_channels": JSON(outChannels), "kernel_size": JSON(kernel), "stride": JSON(stride),
     "padding": JSON(padding), "dilation": JSON(dilation), "groups": JSON(groups), "bias": .bool(bias != nil)]
  }
}

extension Conv1d: CountsMACs {
  public func macs(input: [Int], output: [Int]) -> Int { output.reduce(1, *) * (inChannels / groups) * kernel }
}
