import Foundation
import LyraSearch
import LyraTensor

/// Structural similarity (Wang et al. 2004) of images [N, C, H, W] (VEGA's `SSIM`,
/// maximised), as VEGA computes it: values in 0…255, an 11×11 Gaussian window with
/// σ = 1.5 over the valid region (no padding), C1 = (0.01·255)², C2 = (0.03·255)²,
/// the mean of the SSIM map, averaged over channels (or the luma plane with `to_y`) and
/// then over images. Same preprocessing keys as PSNR. VEGA also rounds to 8-bit first;
/// Lyra does not (the metric then sees what the model produced).
public final class SSIM: Metric {
  public let name = "SSIM"
  public let objective = Direction.maximize
  let prep: ImagePairs
  private var sum = 0.0
  private var count = 0

  public static let windowSize = 11
  public static let sigma = 1.5
  static let c1 = (0.01 * 255) * (0.01 * 255)
  static let c2 = (0.03 * 255) * (0.03 * 255)

  /// The normalised 11×11 Gaussian window (outer product of the 1-D kernel).
  public static let window: [Double] = {
    let r = windowSize / 2
    let g = (0..<windowSize).map { exp(-Double(($0 - r) * ($0 - r)) / (2 * sigma * sigma)) }
    let s = g.reduce(0, +)
    let k = g.map { $0 / s }
    return (0..<windowSize * windowSize).map { k[$0 / windowSize] * k[$0 % windowSize] }
  }()

  public init(maxRGB: Double = 1, scale: Int = 2, toY: Bool = true) {
    prep = ImagePairs(maxRGB: maxRGB, crop: scale, toY: toY)
  }

  init(prep: ImagePairs) { self.prep = prep }

  /// Mean SSIM of two H×W planes (values 0…255).
  static func plane(_ a: [Double], _ b: [Double], h: Int, w: Int) -> Double {
    let k = windowSize
    let win = window
    var total = 0.0, n = 0
    for y in 0...(h - k) {
      for x in 0...(w - k) {
        var ma = 0.0, mb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
        for dy in 0..<k {
          for dx in 0..<k {
            let g = win[dy * k + dx], i = (y + dy) * w + x + dx
            let u = a[i], v = b[i]
            ma += g * u; mb += g * v; saa += g * u * u; sbb += g * v * v; sab += g * u * v
          }
        }
        let va = saa - ma * ma, vb = sbb - mb * mb, cov = sab - ma * mb
        total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2))
        n += 1
      }
    }
    return total / Double(n)
  }

  public func reset() {
    sum = 0
    count = 0
  }

  public func update(output: Tensor, target: Tensor) throws {
    for (a, b) in try prep.pairs(output, target, metric: name) {
      guard a.h >= SSIM.windowSize, a.w >= SSIM.windowSize else {
        throw TrainerError.input("SSIM: images must be at least \(SSIM.windowSize)x\(SSIM.windowSize) after cropping, got \(a.h)x\(a.w)")
      }
      let per = zip(a.planes, b.planes).map { SSIM.plane($0, $1, h: a.h, w: a.w) }
      sum += per.reduce(0, +) / Double(per.count)
      count += 1
    }
  }

  public func summary() throws -> [String: Double] { [name: count == 0 ? 0 : sum / Double(count)] }
}
