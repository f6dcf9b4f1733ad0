import LyraBase
import LyraTensor

/// ONNX DepthToSpace (opset 11+): [N, C, H, W] → [N, C/b², H·b, W·b]. Mode CRD is
/// PyTorch's pixel_shuffle order (what Lyra's PixelShuffle exports); DCR (the default)
/// takes the block offsets from the leading channel groups instead.
enum DepthToSpaceOp {
  static func kernel(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["blocksize", "mode"])
    let x = try call.input(0)
    let b = try call.int("blocksize", 0)
    let mode = try call.string("mode", "DCR")
    guard x.rank == 4 else { throw ONNXError.invalid("DepthToSpace needs a 4-D input, got \(ShapeText.format(x.shape))") }
    guard b >= 1, b <= 1 << 12, x.shape[1] % (b * b) == 0 else {
      throw ONNXError.invalid("DepthToSpace: blocksize \(b) does not divide the \(x.shape[1]) channels into blocks of \(b)²")
    }
    let (n, c, h, w) = (x.shape[0], x.shape[1] / (b * b), x.shape[2], x.shape[3])
    let xc = x.contiguous()
    switch mode {
    case "CRD":
      return [xc.reshape([n, c, b, b, h, w]).permute([0, 1, 4, 2, 5, 3]).contiguous().reshape([n, c, h * b, w * b])]
    case "DCR":
      return [xc.reshape([n, b, b, c, h, w]).permute([0, 3, 4, 1, 5, 2]).contiguous().reshape([n, c, h * b, w * b])]
    default:
      throw ONNXError.invalid("DepthToSpace: mode must be DCR or CRD, got '\(mode)'")
    }
  }
}
