import LyraBase
import LyraTensor

/// Sub-pixel convolution's rearrangement (PyTorch's `nn.PixelShuffle`): [N, C·r², H, W]
/// becomes [N, C, H·r, W·r], channel c·r² + i·r + j going to row offset i, column offset
/// j. The up-sampling step of EDSR, ESRN and ESPCN; exported to ONNX as DepthToSpace
/// (mode CRD, which is this order).
public final class PixelShuffle: Module {
  public let upscaleFactor: Int

  public init(_ upscaleFactor: Int) {
    self.upscaleFactor = upscaleFactor
    super.init()
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("PixelShuffle", x, rank: 4, expected: "input [N, C·r², H, W]")
    let r = upscaleFactor
    guard r >= 1, x.shape[1] % (r * r) == 0, x.shape[1] >= r else {
      throw ShapeError("PixelShuffle(\(r)): input \(ShapeText.format(x.shape)) has \(x.shape[1]) channels, not a multiple of \(r * r)")
    }
    return x.pixelShuffle(r)
  }

  public override var summary: String { "upscale_factor=\(upscaleFactor)" }
  public override var arguments: [String: JSON] { ["upscale_factor": JSON(upscaleFactor)] }
}
