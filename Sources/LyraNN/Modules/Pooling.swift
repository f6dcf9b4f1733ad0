import LyraBase
import LyraKernels
import LyraTensor

/// Max pooling (stride defaults to the kernel, as PyTorch).
public final class MaxPool2d: Module {
  public let kernel: Window2d, stride: Window2d, padding: Window2d, ceilMode: Bool
  public init(_ kernel: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false) {
    self.kernel = Window2d(kernel)
    self.stride = Window2d(stride ?? kernel)
    self.padding = Window2d(padding)
    self.ceilMode = ceilMode
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    try checkWindow("MaxPool2d", x, kernel: kernel, stride: stride, padding: padding, ceilMode: ceilMode)
    return x.maxPool2d(kernel, stride: stride, padding: padding, ceilMode: ceilMode)
  }
  public override var summary: String { "\(kernel.h)x\(kernel.w), stride \(stride.h)\(padding.h > 0 ? ", pad \(padding.h)" : "")" }
  public override var arguments: [String: JSON] {
    ["kernel_size": JSON(kernel.h), "stride": JSON(stride.h), "padding": JSON(padding.h), "ceil_mode": .bool(ceilMode)]
  }
}

/// Average pooling (padding counted in the divisor, as PyTorch's default).
public final class AvgPool2d: Module {
  public let kernel: Window2d, stride: Window2d, padding: Window2d, ceilMode: Bool, countIncludePad: Bool
  public init(_ kernel: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false, countIncludePad: Bool = true) {
    self.kernel = Window2d(kernel)
    self.stride = Window2d(stride ?? kernel)
    self.padding = Window2d(padding)
    self.ceilMode = ceilMode
    self.countIncludePad = countIncludePad
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    try checkWindow("AvgPool2d", x, kernel: kernel, stride: stride, padding: padding, ceilMode: ceilMode)
    return x.avgPool2d(kernel, stride: stride, padding: padding, ceilMode: ceilMode, countIncludePad: countIncludePad)
  }
  public override var summary: String { "\(kernel.h)x\(kernel.w), stride \(stride.h)\(padding.h > 0 ? ", pad \(padding.h)" : "")" }
  public override var arguments: [String: JSON] {
    ["kernel_size": JSON(kernel.h), "stride": JSON(stride.h), "padding": JSON(padding.h), "ceil_mode": .bool(ceilMode),
     "count_include_pad": .bool(countIncludePad)]
  }
}

/// Adaptive average pooling to a fixed output size (1×1: global average pooling).
public final class AdaptiveAvgPool2d: Module {
  public let outH: Int, outW: Int
  public init(_ outH: Int, _ outW: Int? = nil) {
    precondition(outH > 0 && (outW ?? outH) > 0, "AdaptiveAvgPool2d: output size must be positive")
    self.outH = outH
    self.outW = outW ?? outH
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("AdaptiveAvgPool2d", x, rank: 4, expected: "input [N, C, H, W]")
    do { try CheckedSize.allocation([x.shape[0], x.shape[1], outH, outW], "AdaptiveAvgPool2d output") } catch {
      throw ShapeError("\(error)")
    }
    return x.adaptiveAvgPool2d(outH, outW)
  }
  public override var summary: String { "\(outH)x\(outW)" }
  public override var arguments: [String: JSON] { ["output_size": .array([JSON(outH), JSON(outW)])] }
}

/// Pooling needs a 4-D input at least as large as its window (padding counted) and a
/// padding of at most half the window, as PyTorch requires. Checked with overflow-safe
/// arithmetic (`Pool2dShape.checkedOutputShape`): the kernels trust the geometry.
func checkWindow(_ module: String, _ x: Tensor, kernel: Window2d, stride: Window2d, padding: Window2d, ceilMode: Bool) throws {
  try ShapeError.check(module, x, rank: 4, expected: "input [N, C, H, W]")
  if padding.h > kernel.h / 2 || padding.w > kernel.w / 2 || padding.h < 0 || padding.w < 0 {
    throw ShapeError("\(module): padding \(padding.h) must be at most half the kernel \(kernel.h)")
  }
  let s = Pool2dShape(batch: x.shape[0], channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                      kernelH: kernel.h, kernelW: kernel.w, strideH: stride.h, strideW: stride.w,
                      padH: padding.h, padW: padding.w, ceilMode: ceilMode)
  do { _ = try s.checkedOutputShape() } catch {
    throw ShapeError("\(module): input \(ShapeText.format(x.shape)) with the \(kernel.h)x\(kernel.w) window: \(error)")
  }
}
