import LyraBase
import LyraTensor

/// Resizes [N, C, H, W] input to a fixed `size` or by `scale` (output ⌊H·scale⌋ ×
/// ⌊W·scale⌋), nearest or bilinear (PyTorch's `nn.Upsample`; align_corners only for bilinear).
public final class Upsample: Module {
  public let size: (h: Int, w: Int)?
  public let scale: (h: Double, w: Double)?
  public let mode: UpsampleMode
  public let alignCorners: Bool

  /// Exactly one of `size` and `scale` (the builder checks).
  public init(size: (h: Int, w: Int)? = nil, scale: (h: Double, w: Double)? = nil, mode: UpsampleMode = .nearest,
              alignCorners: Bool = false) {
    self.size = size
    self.scale = scale
    self.mode = mode
    self.alignCorners = alignCorners
    super.init()
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    try ShapeError.check("Upsample", x, rank: 4, expected: "input [N, C, H, W]")
    var oh = size?.h ?? 0, ow = size?.w ?? 0
    if let scale {
      let h = (Double(x.shape[2]) * scale.h).rounded(.down), w = (Double(x.shape[3]) * scale.w).rounded(.down)
      guard h >= 1, w >= 1, h <= 1e9, w <= 1e9 else {
        throw ShapeError("Upsample: scale \(scale.h)x\(scale.w) of input \(ShapeText.format(x.shape)) gives an output of \(h)x\(w)")
      }
      oh = Int(h)
      ow = Int(w)
    }
    guard x.shape[2] > 0, x.shape[3] > 0 else { throw ShapeError("Upsample: input \(ShapeText.format(x.shape)) has no positions") }
    do { try CheckedSize.allocation([x.shape[0], x.shape[1], oh, ow], "Upsample output") } catch let e as SizeError {
      throw ShapeError(e.description)
    }
    return x.upsample(oh, ow, mode: mode, alignCorners: alignCorners)
  }

  public override var summary: String {
    let what = size.map { "size \($0.h)x\($0.w)" } ?? scale.map { "scale \($0.h)x\($0.w)" } ?? ""
    return "\(what), \(mode.rawValue)" + (alignCorners ? ", align_corners" : "")
  }
  public override var arguments: [String: JSON] {
    var a: [String: JSON] = ["mode": .string(mode.rawValue)]
    if let size { a["size"] = .array([JSON(size.h), JSON(size.w)]) }
    if let scale { a["scale_factor"] = .array([.number(scale.h), .number(scale.w)]) }
    if mode == .bilinear { a["align_corners"] = .bool(alignCorners) }
    return a
  }
}
