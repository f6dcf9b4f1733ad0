import LyraBase
import LyraTensor

/// Max pooling over [N, C, L] input (PyTorch's `nn.MaxPool1d`): a 2-D max pool of
/// height 1 on a unit-height view, so it shares MaxPool2d's kernel and arg-max backward.
public final class MaxPool1d: Module {
  public let kernel: Int, stride: Int, padding: Int, ceilMode: Bool
  public init(_ kernel: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false) {
    self.kernel = kernel
    self.stride = stride ?? kernel
    self.padding = padding
    self.ceilMode = ceilMode
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("MaxPool1d", x, rank: 3, expected: "input [N, C, L]")
    let x2 = x.unsqueeze(2)
    let k = Window2d(1, kernel), s = Window2d(1, stride), p = Window2d(0, padding)
    if padding > kernel / 2 { throw ShapeError("MaxPool1d: padding \(padding) must be at most half the kernel \(kernel)") }
    try checkWindow("MaxPool1d", x2, kernel: k, stride: s, padding: p, ceilMode: ceilMode)
    return x2.maxPool2d(k, stride: s, padding: p, ceilMode: ceilMode).squeeze(2)
  }
  public override var summary: String { "\(kernel), stride \(stride)\(padding > 0 ? ", pad \(padding)" : "")" }
  public override var arguments: [String: JSON] {
    ["kernel_size": JSON(kernel), "stride": JSON(stride), "padding": JSON(padding), "ceil_mode": .bool(ceilMode)]
  }
}

/// Max pooling of [N, C, H, W] input to a fixed `outH`×`outW` (PyTorch's
/// `nn.AdaptiveMaxPool2d`): cell (i, j) takes the maximum over rows ⌊iH/outH⌋ ..< ⌈(i+1)H/outH⌉
/// and likewise columns.
///
/// When the output divides the input evenly the windows are a plain max pool (one kernel
/// call); otherwise each cell is a taped slice-and-max, outH·outW small ops, which is why
/// the builder bounds the output at 64 per side (global pooling and 7×7 heads are the uses).
public final class AdaptiveMaxPool2d: Module {
  public let outH: Int, outW: Int
  public init(_ outH: Int, _ outW: Int? = nil) {
    self.outH = outH
    self.outW = outW ?? outH
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("AdaptiveMaxPool2d", x, rank: 4, expected: "input [N, C, H, W]")
    let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    guard h > 0, w > 0 else { throw ShapeError("AdaptiveMaxPool2d: input \(ShapeText.format(x.shape)) has no positions to pool") }
    if h % outH == 0, w % outW == 0 {
      let k = Window2d(h / outH, w / outW)
      return x.maxPool2d(k, stride: k)
    }
    var cells: [Tensor] = []
    for i in 0..<outH {
      let r0 = i * h / outH, r1 = ((i + 1) * h + outH - 1) / outH
      for j in 0..<outW {
        let c0 = j * w / outW, c1 = ((j + 1) * w + outW - 1) / outW
        cells.append(x.slice(2, r0, r1).slice(3, c0, c1).reshape([n, c, (r1 - r0) * (c1 - c0)]).max(2).values)
      }
    }
    return Tensor.stack(cells, dim: 2).reshape([n, c, outH, outW])
  }
  public override var summary: String { "\(outH)x\(outW)" }
  public override var arguments: [String: JSON] { ["output_size": .array([JSON(outH), JSON(outW)])] }
}
