import LyraBase

/// Cutout (DeVries & Taylor 2017): a square of side 20·magnitude/10 pixels for a
/// 32-pixel image (scaled to the image's shorter side) set to `fill`, centred on a random
/// pixel and clipped at the border. Magnitude 0 is the identity.
public struct Cutout: AugmentOp {
  public let name = "Cutout"
  /// AutoAugment's grey; with normalisation afterwards it lands near the data mean.
  public var fill: Float
  public init(fill: Float = 128) { self.fill = fill }

  /// Side of the square at `magnitude` for an image whose shorter side is `side`.
  public static func size(magnitude: Double, side: Int) -> Int { Magnitude.int(magnitude, 20 * Double(side) / 32) }

  public func apply(_ image: inout Image, magnitude: Double, generator: Generator) {
    let size = Cutout.size(magnitude: magnitude, side: min(image.height, image.width))
    guard size > 0 else { return }
    let cy = generator.int(below: image.height), cx = generator.int(below: image.width)
    Cutout.cut(&image, y0: cy - size / 2, x0: cx - size / 2, size: size, fill: fill)
  }

  /// Fills the square with top-left corner (y0, x0), clipped to the image.
  public static func cut(_ image: inout Image, y0: Int, x0: Int, size: Int, fill: Float) {
    for c in 0 ..< image.channels {
      for y in max(y0, 0) ..< min(y0 + size, image.height) {
        for x in max(x0, 0) ..< max(min(x0 + size, image.width), max(x0, 0)) { image[c, y, x] = fill }
      }
    }
  }
}
