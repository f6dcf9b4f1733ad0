import LyraBase

/// One augmentation operation of the AutoAugment/PBA set (Cubuk et al. 2019; Ho et al.
/// 2019), applied to an `Image` (Float CHW, values in [0, 255], 1 or 3 channels).
///
/// `magnitude` is in [0, 10] and is mapped to the op's own parameter exactly as PBA's
/// `augmentation_transforms.py` does (`float_parameter`/`int_parameter` with
/// PARAMETER_MAX = 10), so searched policies transfer. Ops that have a direction (Rotate,
/// Shear, Translate) draw its sign from the generator, as PBA does.
public protocol AugmentOp {
  /// The PBA/AutoAugment name ("Rotate", "ShearX", ...).
  var name: String { get }
  /// Transforms `image` in place; the shape is always preserved.
  func apply(_ image: inout Image, magnitude: Double, generator: Generator)
}

extension AugmentOp {
  /// A transformed copy of `image`.
  public func applied(to image: Image, magnitude: Double, generator: Generator) -> Image {
    var out = image
    apply(&out, magnitude: magnitude, generator: generator)
    return out
  }
}

/// The magnitude scale shared by all ops.
public enum Magnitude {
  /// PARAMETER_MAX of AutoAugment/PBA.
  public static let max = 10.0

  /// `float_parameter`: magnitude scaled linearly to [0, maxValue].
  public static func float(_ m: Double, _ maxValue: Double) -> Double { m * maxValue / max }

  /// `int_parameter`: the same, truncated to an integer.
  public static func int(_ m: Double, _ maxValue: Double) -> Int { Int(m * maxValue / max) }

  /// Checks a magnitude before use; out-of-range values are an error, not clamped.
  public static func check(_ m: Double, op: String) throws {
    guard m >= 0 && m <= max else {
      throw DataError(file: "augment", "\(op): magnitude must be in [0, 10], got \(m)")
    }
  }

  /// +1 or −1 with equal probability (PBA negates with probability 0.5).
  static func sign(_ g: Generator) -> Double { g.bernoulli(0.5) ? -1 : 1 }
}
