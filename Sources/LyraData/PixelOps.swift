import LyraBase

/// Ops defined on 8-bit values (PIL's `ImageOps`): values are rounded to integers in
/// [0, 255] and mapped through a 256-entry table, per channel.
enum LUT {
  static func apply(_ image: inout Image, channel c: Int, _ table: [Float]) {
    let plane = image.height * image.width
    for i in c * plane ..< (c + 1) * plane { image.pixels[i] = table[byte(image.pixels[i])] }
  }

  static func byte(_ v: Float) -> Int { Int(min(max(v.rounded(), 0), 255)) }

  static func histogram(_ image: Image, channel c: Int) -> [Int] {
    let plane = image.height * image.width
    var h = [Int](repeating: 0, count: 256)
    for i in c * plane ..< (c + 1) * plane { h[byte(image.pixels[i])] += 1 }
    return h
  }
}

/// Keeps the top `bits` bits of each value, bits = 8 − 4·magnitude/10 (8 at magnitude 0,
/// the identity on 8-bit values; 4 at magnitude 10), as in the AutoAugment paper.
public struct Posterize: AugmentOp {
  public let name = "Posterize"
  public init() {}
  public static func bits(magnitude: Double) -> Int { 8 - Magnitude.int(magnitude, 4) }

  public func apply(_ image: inout Image, magnitude: Double, generator: Generator) {
    Posterize.posterize(&image, bits: Posterize.bits(magnitude: magnitude))
  }

  /// Keeps the top `bits` (1–8) bits of every value.
  public static func posterize(_ image: inout Image, bits: Int) {
    let mask = ~((1 << (8 - bits)) - 1) & 0xFF
    let table = (0 ..< 256).map { Float($0 & mask) }
    for c in 0 ..< image.channels { LUT.apply(&image, channel: c, table) }
  }
}

/// Inverts values at or above a threshold, threshold = 256 − 256·magnitude/10 (256 at
/// magnitude 0, the identity; 0 at 10, a full invert), like PIL's `solarize`.
public struct Solarize: AugmentOp {
  public let name = "Solarize"
  public init() {}
  public static func threshold(magnitude: Double) -> Int { 256 - Magnitude.int(magnitude, 256) }

  public func apply(_ image: inout Image, magnitude: Double, generator: Generator) {
    Solarize.solarize(&image, threshold: Solarize.threshold(magnitude: magnitude))
  }

  /// Maps v to 255 − v for v ≥ threshold.
  public static func solarize(_ image: inout Image, threshold: Int) {
    let table = (0 ..< 256).map { Float($0 < threshold ? $0 : 255 - $0) }
    for c in 0 ..< image.channels { LUT.apply(&image, channel: c, table) }
  }
}

/// Histogram equalisation per channel, PIL's `ImageOps.equalize` algorithm; the
/// magnitude is ignored.
public struct Equalize: AugmentOp {
  public let name = "Equalize"
  public init() {}
  public func apply(_ image: inout Image, magnitude: Double, generator: Generator) {
    for c in 0 ..< image.channels {
      let h = LUT.histogram(image, channel: c)
      let nonzero = h.filter { $0 > 0 }
      let step = nonzero.count <= 1 ? 0 : (nonzero.reduce(0, +) - nonzero.last!) / 255
      var table = (0 ..< 256).map(Float.init)
      if step > 0 {
        var n = step / 2
        for i in 0 ..< 256 {
          table[i] = Float(min(n / step, 255))
          n += h[i]
        }
      }
      LUT.apply(&image, channel: c, table)
    }
  }
}

/// Stretches each channel so its darkest value becomes 0 and its brightest 255 (PIL's
/// `ImageOps.autocontrast` with no cutoff); the magnitude is ignored.
public struct AutoContrast: AugmentOp {
  public let name = "AutoContrast"
  public init() {}
  public func apply(_ image: inout Image, magnitude: Double, generator: Generator) {
    for c in 0 ..< image.channels {
      let h = LUT.histogram(image, channel: c)
      guard let lo = h.firstIndex(where: { $0 > 0 }), let hi = h.lastIndex(where: { $0 > 0 }), hi > lo else { continue }
      // Integer arithmetic so the brightest value maps to exactly 255.
      LUT.apply(&image, channel: c, (0 ..< 256).map { Float(min(max(($0 - lo) * 255 / (hi - lo), 0), 255)) })
    }
  }
}

/// 255 − value; the magnitude is ignored.
public struct Invert: AugmentOp {
  public let name = "Invert"
  public init() {}
  public func apply(_ image: inout Image, magnitude: Double, generator: Generator) {
    for i in image.pixels.indices { image.pixels[i] = 255 - image.pixels[i] }
  }
}

/// Leaves the image unchanged (the "Identity" entry of RandAugment-style policies).
public struct IdentityOp: AugmentOp {
  public let name = "Identity"
  public init() {}
  public func apply(_ image: inout Image, magnitude: Double, generator: Generator) {}
}
