import LyraBase

/// PIL's `ImageEnhance` family: blend the image with a "degenerate" version,
/// out = degenerate + factor·(image − degenerate), clamped to [0, 255]. The factor is
/// 0.1 + 1.8·magnitude/10 (PBA), so magnitude 5 (factor 1) is the identity, 0 is the
/// strongest reduction and 10 the strongest boost.
public struct Enhance: AugmentOp {
  public enum Kind: String, CaseIterable {
    /// Degenerate: black.
    case brightness = "Brightness"
    /// Degenerate: the mean grey level.
    case contrast = "Contrast"
    /// Degenerate: the greyscale image (identity on 1-channel images).
    case color = "Color"
    /// Degenerate: the image smoothed by PIL's SMOOTH kernel, borders unchanged.
    case sharpness = "Sharpness"
  }
  public let kind: Kind
  public var name: String { kind.rawValue }
  public init(_ kind: Kind) { self.kind = kind }

  /// The blend factor at `magnitude`.
  public static func factor(magnitude: Double) -> Float { Float(Magnitude.float(magnitude, 1.8) + 0.1) }

  public func apply(_ image: inout Image, magnitude: Double, generator: Generator) {
    Enhance.enhance(&image, kind: kind, factor: Enhance.factor(magnitude: magnitude))
  }

  /// Blends with the degenerate image at any factor (1 = unchanged).
  public static func enhance(_ image: inout Image, kind: Kind, factor: Float) {
    let degenerate = Enhance.degenerate(image, kind)
    for i in image.pixels.indices {
      let d = degenerate[i]
      image.pixels[i] = min(max(d + factor * (image.pixels[i] - d), 0), 255)
    }
  }

  /// Greyscale as PIL's convert("L"): (299 R + 587 G + 114 B) / 1000.
  static func grey(_ image: Image) -> [Float] {
    let plane = image.height * image.width
    guard image.channels == 3 else { return Array(image.pixels[0 ..< plane]) }
    return (0 ..< plane).map { i in
      (299 * image.pixels[i] + 587 * image.pixels[plane + i] + 114 * image.pixels[2 * plane + i]) / 1000
    }
  }

  static func degenerate(_ image: Image, _ kind: Kind) -> [Float] {
    let n = image.pixels.count
    switch kind {
    case .brightness:
      return [Float](repeating: 0, count: n)
    case .contrast:
      let g = grey(image)
      let mean = (g.reduce(0, +) / Float(max(g.count, 1))).rounded()
      return [Float](repeating: mean, count: n)
    case .color:
      let g = grey(image)
      return (0 ..< image.channels).flatMap { _ in g }
    case .sharpness:
      var out = image.pixels
      let (h, w) = (image.height, image.width)
      guard h >= 3 && w >= 3 else { return out }
      for c in 0 ..< image.channels {
        for y in 1 ..< h - 1 {
          for x in 1 ..< w - 1 {
            var s: Float = 0
            for dy in -1 ... 1 { for dx in -1 ... 1 { s += image[c, y + dy, x + dx] } }
            s += 4 * image[c, y, x]  // centre weight 5
            out[(c * h + y) * w + x] = s / 13
          }
        }
      }
      return out
    }
  }
}
