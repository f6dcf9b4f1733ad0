import LyraBase
import LyraNN
import LyraTensor

/// DARTS' candidate operations (Liu et al., ICLR 2019, §3 and its `operations.py`), by the
/// paper's names. Every convolution is ReLU → Conv → BN; `sep_conv` is two depthwise-
/// separable convolutions stacked (the first carries the stride); `dil_conv` one dilated
/// depthwise-separable convolution; a strided `skip_connect` is a `FactorizedReduce`;
/// `none` is the zero operation. `affine: false` (the search) makes every BN affine-free,
/// so that α, not a BN scale, carries an operation's weight on its edge.
///
/// Candidates are a registry: a name maps to a builder `(channels, stride, affine) -> Module`
/// that must keep the channel count and divide the resolution by `stride` (Lua adds its own
/// through `DartsOps.register`).
public enum DartsOps {
  public typealias Builder = (_ channels: Int, _ stride: Int, _ affine: Bool) throws -> Module

  /// The paper's eight candidates, in its order (VEGA's too).
  public static let primitives = ["none", "max_pool_3x3", "avg_pool_3x3", "skip_connect",
                                  "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"]

  static let builders = Registry<Builder>(kind: "DARTS operation", [
    ("none", { _, s, _ in DartsZero(stride: s) }),
    ("max_pool_3x3", { _, s, _ in MaxPool2d(3, stride: s, padding: 1) }),
    ("avg_pool_3x3", { _, s, _ in AvgPool2d(3, stride: s, padding: 1, countIncludePad: false) }),
    ("skip_connect", { c, s, a in s == 1 ? DartsIdentity() : try FactorizedReduce(c, c, affine: a) }),
    ("sep_conv_3x3", { c, s, a in SepConv(c, c, kernel: 3, stride: s, padding: 1, affine: a) }),
    ("sep_conv_5x5", { c, s, a in SepConv(c, c, kernel: 5, stride: s, padding: 2, affine: a) }),
    ("sep_conv_7x7", { c, s, a in SepConv(c, c, kernel: 7, stride: s, padding: 3, affine: a) }),
    ("dil_conv_3x3", { c, s, a in DilConv(c, c, kernel: 3, stride: s, padding: 2, dilation: 2, affine: a) }),
    ("dil_conv_5x5", { c, s, a in DilConv(c, c, kernel: 5, stride: s, padding: 4, dilation: 2, affine: a) }),
    ("conv_7x1_1x7", { c, s, a in Conv7x1x7(c, stride: s, affine: a) }),
  ])

  /// Adds (or replaces) a candidate operation.
  public static func register(_ name: String, _ builder: @escaping Builder) { builders.register(name, builder) }
  public static func unregister(_ name: String) { builders.unregister(name) }
  public static var names: [String] { builders.names }

  /// The operation `name` on `channels` channels with `stride` (1, or 2 in a reduction cell).
  /// Throws for an unknown name, with the closest known one.
  public static func make(_ name: String, channels: Int, stride: Int, affine: Bool) throws -> Module {
    try builders.lookup(name, orThrow: { DescriptionError($0) })(channels, stride, affine)
  }
}

extension DartsOps {
  /// A cell's two input nodes: the previous-previous output brought to `channels` by a 1×1
  /// ReLU-Conv-BN, or by a `FactorizedReduce` when it has twice the resolution (the cell
  /// before was a reduction); the previous output by a 1×1 ReLU-Conv-BN.
  static func cellInputs(cPrevPrev: Int, cPrev: Int, channels: Int, reductionPrev: Bool, affine: Bool) throws -> (Module, Module) {
    (reductionPrev ? try FactorizedReduce(cPrevPrev, channels, affine: affine)
                   : ReLUConvBN(cPrevPrev, channels, kernel: 1, stride: 1, padding: 0, affine: affine),
     ReLUConvBN(cPrev, channels, kernel: 1, stride: 1, padding: 0, affine: affine))
  }
}

/// ReLU → Conv(k, stride, padding) → BN: the paper's ordering for every convolution.
public final class ReLUConvBN: Module {
  public init(_ cIn: Int, _ cOut: Int, kernel: Int, stride: Int, padding: Int, affine: Bool) {
    super.init()
    register(child: "op", Sequential([ReLU(), Conv2d(cIn, cOut, kernel, stride: stride, padding: padding, bias: false),
                                       BatchNorm2d(cOut, affine: affine)]))
  }
  public override func forward(_ x: Tensor) throws -> Tensor { try children[0].module(x) }
}

/// ReLU → depthwise dilated conv → pointwise conv → BN (`dil_conv_*`).
public final class DilConv: Module {
  public init(_ cIn: Int, _ cOut: Int, kernel: Int, stride: Int, padding: Int, dilation: Int, affine: Bool) {
    super.init()
    register(child: "op", Sequential([
      ReLU(), Conv2d(cIn, cIn, kernel, stride: stride, padding: padding, dilation: dilation, groups: cIn, bias: false),
      Conv2d(cIn, cOut, 1, bias: false), BatchNorm2d(cOut, affine: affine)]))
  }
  public override func forward(_ x: Tensor) throws -> Tensor { try children[0].module(x) }
}

/// Two depthwise-separable convolutions stacked (`sep_conv_*`): the first has the stride
/// and keeps the input width, the second maps to `cOut`; the paper's Appendix A.1.1.
public final class SepConv: Module {
  public init(_ cIn: Int, _ cOut: Int, kernel: Int, stride: Int, padding: Int, affine: Bool) {
    super.init()
    register(child: "op", Sequential([
      ReLU(), Conv2d(cIn, cIn, kernel, stride: stride, padding: padding, groups: cIn, bias: false),
      Conv2d(cIn, cIn, 1, bias: false), BatchNorm2d(cIn, affine: affine),
      ReLU(), Conv2d(cIn, cIn, kernel, stride: 1, padding: padding, groups: cIn, bias: false),
      Conv2d(cIn, cOut, 1, bias: false), BatchNorm2d(cOut, affine: affine)]))
  }
  public override func forward(_ x: Tensor) throws -> Tensor { try children[0].module(x) }
}

/// ReLU → 1×7 conv → 7×1 conv → BN (`conv_7x1_1x7`, in the DARTS code though not among the
/// eight searched candidates).
public final class Conv7x1x7: Module {
  public init(_ c: Int, stride: Int, affine: Bool) {
    super.init()
    register(child: "op", Sequential([
      ReLU(), Conv2d(c, c, kernel: Window2d(1, 7), stride: Window2d(1, stride), padding: Window2d(0, 3), bias: false),
      Conv2d(c, c, kernel: Window2d(7, 1), stride: Window2d(stride, 1), padding: Window2d(3, 0), bias: false),
      BatchNorm2d(c, affine: affine)]))
  }
  public override func forward(_ x: Tensor) throws -> Tensor { try children[0].module(x) }
}

/// Halves the resolution without discarding half the pixels: ReLU, then two 1×1 stride-2
/// convolutions, one on the input and one on the input shifted by one pixel, concatenated
/// (each gives half of `cOut`), then BN. The strided `skip_connect` and the preprocessing of
/// a cell whose previous-previous input has twice its resolution.
///
/// The shifted path pads one zero row and column at the bottom right, so an odd input size
/// gives the same output size on both paths (the paper's `x[:, :, 1:, 1:]` differs by one
/// there); on even sizes the stride-2 sampling never reads the padding, so it is the paper's.
public final class FactorizedReduce: Module {
  public let cOut: Int
  public init(_ cIn: Int, _ cOut: Int, affine: Bool) throws {
    guard cOut % 2 == 0 else { throw ShapeError("FactorizedReduce: output channels must be even (two halves), got \(cOut)") }
    self.cOut = cOut
    super.init()
    register(child: "conv_1", Conv2d(cIn, cOut / 2, 1, stride: 2, bias: false))
    register(child: "conv_2", Conv2d(cIn, cOut / 2, 1, stride: 2, bias: false))
    register(child: "bn", BatchNorm2d(cOut, affine: affine))
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("FactorizedReduce", x, rank: 4, expected: "input [N, C, H, W]")
    let r = x.relu()
    let shifted = r.slice(2, 1).slice(3, 1).pad([0, 1, 0, 1])
    let y = Tensor.cat([try children[0].module(r), try children[1].module(shifted)], dim: 1)
    return try children[2].module(y)
  }
}

/// The identity (`skip_connect` at stride 1).
public final class DartsIdentity: Module {
  public override var typeName: String { "Identity" }
  public override func forward(_ x: Tensor) throws -> Tensor { x }
}

/// The zero operation (`none`): zeros of the output shape (every `stride`-th pixel).
public final class DartsZero: Module {
  public let stride: Int
  public init(stride: Int) { self.stride = stride; super.init() }
  public override var typeName: String { "Zero" }
  public override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("Zero", x, rank: 4, expected: "input [N, C, H, W]")
    let s = stride == 1 ? x : x.slice(2, 0, nil, step: stride).slice(3, 0, nil, step: stride)
    return s.mul(0)
  }
}
