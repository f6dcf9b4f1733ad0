/// A picture for an image grid: grayscale (1 channel) or RGB (3 channels) floats,
/// stored channels-last (row-major, then channel).
public struct PlotImage {
  /// How float values become 0…255.
  public enum Normalization {
    /// Values are in 0…1; out-of-range values are clamped.
    case unit
    /// Each image is stretched from its own min to its max (a constant image is mid-grey).
    case minMax
    /// `.unit` when every value lies in 0…1, `.minMax` otherwise (tensors after
    /// normalisation by a dataset mean are rarely in 0…1).
    case auto
  }

  public var width: Int
  public var height: Int
  public var channels: Int
  /// `height × width × channels` values.
  public var pixels: [Float]
  public var caption: String?

  /// Channels-last (HWC) pixels. `channels` must be 1 or 3; missing values read as 0.
  public init(width: Int, height: Int, channels: Int = 1, pixels: [Float], caption: String? = nil) {
    self.width = max(0, width)
    self.height = max(0, height)
    self.channels = channels == 3 ? 3 : 1
    self.pixels = pixels
    self.caption = caption
  }

  /// Channels-first (CHW, as tensors store images) pixels.
  public init(chw pixels: [Float], channels: Int, height: Int, width: Int, caption: String? = nil) {
    let c = channels == 3 ? 3 : 1
    var hwc = [Float](repeating: 0, count: c * height * width)
    for ch in 0..<c {
      for i in 0..<(height * width) {
        let src = ch * height * width + i
        hwc[i * c + ch] = src < pixels.count ? pixels[src] : 0
      }
    }
    self.init(width: width, height: height, channels: c, pixels: hwc, caption: caption)
  }

  /// 8-bit samples, channels-last; NaN becomes 0.
  func bytes(_ norm: Normalization) -> [UInt8] {
    let n = width * height * channels
    let vals = (0..<n).map { $0 < pixels.count ? pixels[$0] : 0 }
    let finite = vals.filter(\.isFinite)
    var lo: Float = 0, hi: Float = 1
    let mode: Normalization
    switch norm {
    case .auto: mode = finite.allSatisfy { $0 >= 0 && $0 <= 1 } ? .unit : .minMax
    default: mode = norm
    }
    if mode == .minMax, let a = finite.min(), let b = finite.max() { (lo, hi) = (a, b) }
    return vals.map { v in
      guard v.isFinite else { return 0 }
      if hi <= lo { return 128 }
      let t = min(1, max(0, (v - lo) / (hi - lo)))
      return UInt8((t * 255).rounded())
    }
  }
}
