import Foundation
import LyraSearch
import LyraTensor

/// Peak signal-to-noise ratio in dB of images [N, C, H, W] (VEGA's `PSNR`, maximised):
/// 10·log10(1 / MSE) on values scaled to 0…1 after VEGA's preprocessing (`ImagePairs`:
/// `max_rgb` 1, border `scale` 2, `to_y` true by default).
///
/// The summary is the mean of per-image PSNRs (the super-resolution papers' convention;
/// VEGA takes one PSNR per batch, which depends on the batch size). Identical images
/// have no noise: their PSNR is capped at 100 dB so the value stays a finite number.
public final class PSNR: Metric {
  public let name = "PSNR"
  public let objective = Direction.maximize
  public static let cap = 100.0
  let prep: ImagePairs
  private var sum = 0.0
  private var count = 0

  public init(maxRGB: Double = 1, scale: Int = 2, toY: Bool = true) {
    prep = ImagePairs(maxRGB: maxRGB, crop: scale, toY: toY)
  }

  init(prep: ImagePairs) { self.prep = prep }

  /// PSNR of one pair of planes lists with values in 0…255.
  static func psnr(_ a: ImagePairs.Image, _ b: ImagePairs.Image) -> Double {
    var s = 0.0, n = 0
    for (pa, pb) in zip(a.planes, b.planes) {
      for i in pa.indices { let d = (pa[i] - pb[i]) / 255; s += d * d }
      n += pa.count
    }
    let mse = s / Double(n)
    return mse == 0 ? cap : min(cap, -10 * log10(mse))
  }

  public func reset() {
    sum = 0
    count = 0
  }

  public func update(output: Tensor, target: Tensor) throws {
    for (a, b) in try prep.pairs(output, target, metric: name) {
      sum += PSNR.psnr(a, b)
      count += 1
    }
  }

  public func summary() throws -> [String: Double] { [name: count == 0 ? 0 : sum / Double(count)] }
}
