import LyraBase
import LyraKernels
import LyraTensor

/// 2-D convolution over NCHW input, as PyTorch's `nn.Conv2d` (stride, padding,
/// dilation, groups incl. depthwise). Weight [out, in/groups, kH, kW].
public final class Conv2d: Module, Conv2dGeometry {
  public let inChannels: Int
  public let outChannels: Int
  public let kernel: Window2d
  public let stride: Window2d
  public let padding: Window2d
  public let dilation: Window2d
  public let groups: Int
  public var weight: Tensor { ownParameters[0].tensor }
  public var bias: Tensor? { ownParameters.count > 1 ? ownParameters[1].tensor : nil }

  public init(_ inChannels: Int, _ outChannels: Int, kernel: Window2d, stride: Window2d = Window2d(1),
              padding: Window2d = Window2d(0), dilation: Window2d = Window2d(1), groups: Int = 1,
              bias: Bool = true, generator: Generator? = nil) {
    precondition(inChannels > 0 && outChannels > 0, "Conv2d: channels must be positive, got \(inChannels) -> \(outChannels)")
    precondition(groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
                 "Conv2d: channels \(inChannels) -> \(outChannels) must divide by groups \(groups)")
    precondition(kernel.h > 0 && kernel.w > 0 && stride.h > 0 && stride.w > 0 && dilation.h > 0 && dilation.w > 0
                 && padding.h >= 0 && padding.w >= 0, "Conv2d: kernel, stride, dilation must be positive, padding non-negative")
    self.inChannels = inChannels
    self.outChannels = outChannels
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
    self.groups = groups
    super.init()
    registerTorchDefault(weight: [outChannels, inChannels / groups, kernel.h, kernel.w], fanIn: inChannels / groups * kernel.h * kernel.w,
                         bias: bias, outputs: outChannels, generator: generator)
  }

  /// Square-kernel convenience: `Conv2d(1, 32, 3, padding: 1)`.
  public convenience init(_ inChannels: Int, _ outChannels: Int, _ kernel: Int, stride: Int = 1, padding: Int = 0,
                          dilation: Int = 1, groups: Int = 1, bias: Bool = true, generator: Generator? = nil) {
    self.init(inChannels, outChannels, kernel: Window2d(kernel), stride: Window2d(stride), padding: Window2d(padding),
              dilation: Window2d(dilation), groups: groups, bias: bias, generator: generator)
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("Conv2d", x, rank: 4, dim: 1, size: inChannels, expected: "input [N, \(inChannels), H, W]")
    try checkGeometry(x)
    return Tensor.conv2d(x, weight, bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
  }

  /// The output geometry, overflow-checked (padding and dilation come from descriptions
  /// and Lua options; the kernels trust them), as a `ShapeError` naming the input.
  func checkGeometry(_ x: Tensor) throws {
    let s = convShape(for: x)
    do { _ = try s.checkedOutputShape() } catch {
      throw ShapeError("Conv2d: input \(ShapeText.format(x.shape)) with kernel \(kernel.h)x\(kernel.w), padding \(padding.h)x\(padding.w), dilation \(dilation.h)x\(dilation.w): \(error)")
    }
  }

  /// This convolution followed by eval-mode `bn` (and ReLU), with BN folded into the
  /// weights: what `Sequential` runs for conv → BN (→ ReLU) in inference.
  func forwardFolding(_ x: Tensor, _ bn: BatchNorm, relu: Bool) throws -> Tensor {
    try ShapeError.check("Conv2d", x, rank: 4, dim: 1, size: inChannels, expected: "input [N, \(inChannels), H, W]")
    try checkGeometry(x)
    return Tensor.conv2dBatchNormEval(x, weight, bias, stride: stride, padding: padding, dilation: dilation, groups: groups,
                                      runningMean: bn.runningMean, runningVar: bn.runningVar, gamma: bn.weight,
                                      beta: bn.bias, eps: bn.eps, relu: relu)
  }

  public override var summary: String { geometrySummary }
  public override var arguments: [String: JSON] { geometryArguments }
}

/// What a convolution layer's printout and description say about its geometry, shared by
/// `Conv2d` and `QuantConv2d` (which adds its bit widths).
protocol Conv2dGeometry {
  var inChannels: Int { get }
  var outChannels: Int { get }
  var kernel: Window2d { get }
  var stride: Window2d { get }
  var padding: Window2d { get }
  var dilation: Window2d { get }
  var groups: Int { get }
  var bias: Tensor? { get }
}

extension Conv2dGeometry {
  /// This layer's kernel geometry applied to `x` [N, C, H, W] (the channels read from x).
  func convShape(for x: Tensor) -> Conv2dShape {
    Conv2dShape(batch: x.shape[0], inChannels: x.shape[1], height: x.shape[2], width: x.shape[3],
                outChannels: outChannels, kernelH: kernel.h, kernelW: kernel.w, strideH: stride.h, strideW: stride.w,
                padH: padding.h, padW: padding.w, dilationH: dilation.h, dilationW: dilation.w, groups: groups)
  }

  /// "3 -> 8, 3x3, stride 2, pad 1, groups 1, no bias" (options at their defaults left out).
  var geometrySummary: String {
    var s = "\(inChannels) -> \(outChannels), \(kernel.h)x\(kernel.w)"
    if stride != Window2d(1) { s += ", stride \(stride.h == stride.w ? "\(stride.h)" : "\(stride.h)x\(stride.w)")" }
    if padding != Window2d(0) { s += ", pad \(padding.h == padding.w ? "\(padding.h)" : "\(padding.h)x\(padding.w)")" }
    if dilation != Window2d(1) { s += ", dilation \(dilation.h)" }
    if groups != 1 { s += ", groups \(groups)" }
    if bias == nil { s += ", no bias" }
    return s
  }

  /// The description's keys (`ModuleRegistry`'s "Conv2d" builder reads them back).
  var geometryArguments: [String: JSON] {
    func pair(_ w: Window2d) -> JSON { w.h == w.w ? JSON(w.h) : .array([JSON(w.h), JSON(w.w)]) }
    return ["in_channels": JSON(inChannels), "out_channels": JSON(outChannels), "kernel_size": pair(kernel),
            "stride": pair(stride), "padding": pair(padding), "dilation": pair(dilation), "groups": JSON(groups),
            "bias": .bool(bias != nil)]
  }
}
