import Foundation
import LyraBase

/// Resampling shared by the geometric ops: PIL's `Image.transform(AFFINE)` with NEAREST,
/// which AutoAugment/PBA use. Output pixel (x, y) samples the input at
/// (a·(x+½) + b·(y+½) + c, d·(x+½) + e·(y+½) + f), floored; outside the image gives `fill`.
public enum Affine {
  public static func transform(_ image: inout Image, _ m: (a: Double, b: Double, c: Double, d: Double, e: Double, f: Double), fill: Float) {
    let src = image.pixels
    let (h, w) = (image.height, image.width)
    let plane = h * w
    image.pixels.withUnsafeMutableBufferPointer { dst in
      for y in 0 ..< h {
        let yc = Double(y) + 0.5
        for x in 0 ..< w {
          let xc = Double(x) + 0.5
          let u = (m.a * xc + m.b * yc + m.c).rounded(.down)
          let v = (m.d * xc + m.e * yc + m.f).rounded(.down)
          let inside = u >= 0 && v >= 0 && u < Double(w) && v < Double(h)
          let s = inside ? Int(v) * w + Int(u) : 0
          for c in 0 ..< image.channels {
            dst[c * plane + y * w + x] = inside ? src[c * plane + s] : fill
          }
        }
      }
    }
  }
}

/// Rotation by up to 30° either way (magnitude 10 = 30°), counter-clockwise for positive
/// angles about the image centre, like PIL's `rotate`.
public struct Rotate: AugmentOp {
  public let name = "Rotate"
  /// Value for pixels rotated in from outside (PIL's default, black).
  public var fill: Float = 0
  public init(fill: Float = 0) { self.fill = fill }

  public func apply(_ image: inout Image, magnitude: Double, generator: Generator) {
    let degrees = Double(Magnitude.int(magnitude, 30)) * Magnitude.sign(generator)
    Rotate.rotate(&image, degrees: degrees, fill: fill)
  }

  /// Rotates by any angle. Sine and cosine are rounded to 15 decimals as PIL does, so
  /// multiples of 90° move pixels exactly.
  public static func rotate(_ image: inout Image, degrees: Double, fill: Float = 0) {
    let t = -degrees * Double.pi / 180
    let r15 = { (v: Double) in (v * 1e15).rounded() / 1e15 }
    let (cs, sn) = (r15(cos(t)), r15(sin(t)))
    let (cx, cy) = (Double(image.width) / 2, Double(image.height) / 2)
    // Inverse map about the centre: u = cos·(X−cx) + sin·(Y−cy) + cx, v = −sin·(X−cx) + cos·(Y−cy) + cy.
    Affine.transform(&image, (cs, sn, cx - cs * cx - sn * cy, -sn, cs, cy + sn * cx - cs * cy), fill: fill)
  }
}

/// Shear along x or y by up to 0.3 (magnitude 10), about the top/left edge as in PIL.
public struct Shear: AugmentOp {
  public enum Axis { case x, y }
  public let axis: Axis
  public var fill: Float
  public var name: String { axis == .x ? "ShearX" : "ShearY" }
  public init(_ axis: Axis, fill: Float = 0) { self.axis = axis; self.fill = fill }

  public func apply(_ image: inout Image, magnitude: Double, generator: Generator) {
    let level = Magnitude.float(magnitude, 0.3) * Magnitude.sign(generator)
    if axis == .x {
      Affine.transform(&image, (1, level, 0, 0, 1, 0), fill: fill)
    } else {
      Affine.transform(&image, (1, 0, 0, level, 1, 0), fill: fill)
    }
  }
}

/// Translation along x or y by up to 10 pixels for a 32-pixel side (magnitude 10), scaled
/// to the image: at most 10·side/32 pixels, so 8 on Fashion-MNIST's 28 pixels.
public struct Translate: AugmentOp {
  public enum Axis { case x, y }
  public let axis: Axis
  public var fill: Float
  public var name: String { axis == .x ? "TranslateX" : "TranslateY" }
  public init(_ axis: Axis, fill: Float = 0) { self.axis = axis; self.fill = fill }

  /// Pixels moved at `magnitude` along a side of `side` pixels.
  public static func pixels(magnitude: Double, side: Int) -> Int { Magnitude.int(magnitude, 10 * Double(side) / 32) }

  public func apply(_ image: inout Image, magnitude: Double, generator: Generator) {
    let side = axis == .x ? image.width : image.height
    let p = Double(Translate.pixels(magnitude: magnitude, side: side)) * Magnitude.sign(generator)
    if axis == .x {
      Affine.transform(&image, (1, 0, p, 0, 1, 0), fill: fill)
    } else {
      Affine.transform(&image, (1, 0, 0, 0, 1, p), fill: fill)
    }
  }
}

/// Mirror left-right; the magnitude is ignored.
public struct Flip: AugmentOp {
  public let name = "Flip"
  public init() {}
  public func apply(_ image: inout Image, magnitude: Double, generator: Generator) {
    let w = image.width
    for row in 0 ..< image.channels * image.height {
      let base = row * w
      for x in 0 ..< w / 2 { image.pixels.swapAt(base + x, base + w - 1 - x) }
    }
  }
}

/// Random crop of the original size from the image padded by `padding` on every side
/// (the CIFAR recipe: 4 pixels on 32); the magnitude is ignored. Default padding scales
/// with the image: side/8, rounded.
public struct Crop: AugmentOp {
  public let name = "Crop"
  public var padding: Int?
  public var fill: Float
  public init(padding: Int? = nil, fill: Float = 0) { self.padding = padding; self.fill = fill }

  public func apply(_ image: inout Image, magnitude: Double, generator: Generator) {
    let p = padding ?? Int((Double(min(image.height, image.width)) / 8).rounded())
    let dx = generator.int(below: 2 * p + 1) - p, dy = generator.int(below: 2 * p + 1) - p
    Crop.shift(&image, dx: dx, dy: dy, fill: fill)
  }

  /// out(x, y) = in(x + dx, y + dy), `fill` outside.
  public static func shift(_ image: inout Image, dx: Int, dy: Int, fill: Float) {
    Affine.transform(&image, (1, 0, Double(dx), 0, 1, Double(dy)), fill: fill)
  }
}
