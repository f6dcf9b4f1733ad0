import LyraBase
import LyraKernels

/// Geometry options of a 2-D convolution or pooling (height, width pairs), as PyTorch's
/// `stride=`, `padding=`, `dilation=` arguments.
public struct Window2d: Equatable {
  public var h: Int
  public var w: Int
  public init(_ h: Int, _ w: Int) {
    self.h = h
    self.w = w
  }
  public init(_ both: Int) { self.init(both, both) }
}

/// The output shape of a kernel call, which the kernels trust without bounds checks.
///
/// Callers that take sizes from users (modules, Lua bindings, readers) check the same
/// shape first and throw; reaching the trap here means a caller skipped its check, and a
/// trap is the last resort that keeps an unchecked kernel from writing out of bounds
/// (`fatalError`, which `-Ounchecked` keeps, unlike `precondition`).
func trustedShape(_ fn: String, _ check: () throws -> [Int]) -> [Int] {
  do { return try check() } catch { fatalError("\(fn): \(error)") }
}

extension Tensor {
  /// What resampling and adaptive pooling check first: a 4-D float input and a positive
  /// output plane whose [N, C, outH, outW] is trusted as `trustedShape` is (callers checked
  /// it). Returns the input's sizes and the output tensor (unfilled); traps naming `fn`.
  func resizedOutput(_ fn: String, _ outH: Int, _ outW: Int, _ what: String) -> (n: Int, c: Int, h: Int, w: Int, out: Tensor) {
    precondition(rank == 4, "\(fn): expected a 4-D NCHW input, got \(Shape.describe(shape))")
    precondition(outH > 0 && outW > 0, "\(fn): output size must be positive")
    _ = trustedShape(fn) {
      let o = [shape[0], shape[1], outH, outW]
      try CheckedSize.allocation(o, what, checkAvailable: false)
      return o
    }
    requireFloat(fn)
    return (shape[0], shape[1], shape[2], shape[3], Tensor.empty([shape[0], shape[1], outH, outW]))
  }

  /// The geometry of `x` convolved with `weight`, and the output tensor (unfilled): what
  /// `conv2d` and `conv2dBatchNormEval` share. Traps (`fn` named) when the weight does not
  /// match the input's channels and groups, or the output shape fails its check.
  static func conv2dGeometry(_ fn: String, _ x: Tensor, _ weight: Tensor, stride: Window2d, padding: Window2d,
                             dilation: Window2d, groups: Int) -> (Conv2dShape, Tensor) {
    let s = Conv2dShape(batch: x.shape[0], inChannels: x.shape[1], height: x.shape[2], width: x.shape[3],
                        outChannels: weight.shape[0], kernelH: weight.shape[2], kernelW: weight.shape[3],
                        strideH: stride.h, strideW: stride.w, padH: padding.h, padW: padding.w,
                        dilationH: dilation.h, dilationW: dilation.w, groups: groups)
    precondition(groups > 0 && x.shape[1] % groups == 0 && weight.shape[1] == x.shape[1] / groups,
                 "\(fn): weight \(Shape.describe(weight.shape)) does not match \(x.shape[1]) input channels in \(groups) groups")
    return (s, Tensor.empty(trustedShape(fn) { try s.checkedOutputShape(checkAvailable: false) }))
  }

  /// 2-D convolution over NCHW input: weight [out, in/groups, kH, kW], optional bias [out].
  ///
  /// Forward and both backward passes run LyraKernels' im2col/GEMM (direct kernels for
  /// depthwise and 1×1); gradients are recorded for whichever inputs require them.
  public static func conv2d(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil,
                            stride: Window2d = Window2d(1), padding: Window2d = Window2d(0),
                            dilation: Window2d = Window2d(1), groups: Int = 1) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 4, "Tensor.conv2d: expected 4-D input and weight, got \(Shape.describe(x.shape)) and \(Shape.describe(weight.shape))")
    x.requireFloat("Tensor.conv2d")
    let (s, out) = conv2dGeometry("Tensor.conv2d", x, weight, stride: stride, padding: padding, dilation: dilation, groups: groups)
    if let b = bias { precondition(b.shape == [weight.shape[0]], "Tensor.conv2d: bias must have shape [\(weight.shape[0])]") }
    let xc = x.contiguous(), wc = weight.contiguous(), bc = bias?.contiguous()
    conv2dForward(s, input: xc.data, weight: wc.data, bias: bc.map { UnsafePointer($0.data) }, output: out.data)
    var inputs = [x, weight]
    if let b = bias { inputs.append(b) }
    return out.recorded("conv2d", inputs) { g in
      let gc = g.contiguous()
      var dx: Tensor?, dw: Tensor?, db: Tensor?
      if x.requiresGrad {
        dx = Tensor.empty(x.shape)
        conv2dBackwardInput(s, gradOutput: gc.data, weight: wc.data, gradInput: dx!.data)
      }
      if weight.requiresGrad {
        dw = Tensor.empty(weight.shape)
        conv2dBackwardWeight(s, input: xc.data, gradOutput: gc.data, gradWeight: dw!.data)
      }
      if let b = bias, b.requiresGrad {
        db = Tensor.empty(b.shape)
        conv2dBackwardBias(s, gradOutput: gc.data, gradBias: db!.data)
      }
      return bias == nil ? [dx, dw] : [dx, dw, db]
    }
  }
}
