/// MATLAB's `imresize(img, scale, 'bicubic')`, the resize every super-resolution paper uses
/// to make low-resolution inputs (and the bicubic baseline), on Float CHW images.
///
/// Why MATLAB's rather than a plain bicubic: published PSNRs are measured against LR images
/// made this way; its two differences from a textbook cubic change PSNR by tenths of a dB:
/// - the kernel is Keys' cubic with a = -0.5;
/// - when shrinking, the kernel is widened by 1/scale and scaled by `scale` (antialiasing),
///   so a 2x downscale averages 8 taps, not 4;
/// - borders are extended by half-sample symmetric padding (index 0 reads pixel 1, -1 reads 2).
/// Output sample x (1-based) sits at u = x/scale + (1 - 1/scale)/2 in input coordinates.
/// The two dimensions are resized one after the other, the one with the smaller scale
/// first (rows first on a tie), in Double, without rounding between the passes (MATLAB
/// rounds to uint8 between passes for uint8 input; the difference is below 0.5 levels).
public enum Imresize {
  /// Keys' cubic convolution kernel with a = -0.5 (MATLAB's `cubic`).
  public static func cubic(_ x: Double) -> Double {
    let ax = abs(x), ax2 = ax * ax, ax3 = ax2 * ax
    if ax <= 1 { return 1.5 * ax3 - 2.5 * ax2 + 1 }
    if ax <= 2 { return -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2 }
    return 0
  }

  /// For each of `outLength` outputs, the 0-based input indices and normalised weights
  /// (MATLAB's `contributions`), with `antialias` widening the kernel when scale < 1.
  public static func contributions(inLength: Int, outLength: Int, scale: Double, antialias: Bool = true)
    -> [(indices: [Int], weights: [Double])] {
    let shrink = scale < 1 && antialias
    let width = shrink ? 4 / scale : 4
    let taps = Int(width.rounded(.up)) + 2
    var out: [(indices: [Int], weights: [Double])] = []
    out.reserveCapacity(outLength)
    for x in 1...max(outLength, 1) where outLength > 0 {
      let u = Double(x) / scale + 0.5 * (1 - 1 / scale)
      let left = Int((u - width / 2).rounded(.down))
      var idx: [Int] = [], w: [Double] = []
      for k in 0..<taps {
        let j = left + k
        let d = u - Double(j)
        let wt = shrink ? scale * cubic(scale * d) : cubic(d)
        if wt == 0 { continue }
        idx.append(mirror(j, inLength))
        w.append(wt)
      }
      let s = w.reduce(0, +)
      out.append((idx, w.map { $0 / s }))
    }
    return out
  }

  /// MATLAB's symmetric padding of a 1-based index into 0..<n.
  static func mirror(_ j: Int, _ n: Int) -> Int {
    let period = 2 * n
    var m = (j - 1) % period
    if m < 0 { m += period }
    return m < n ? m : period - 1 - m
  }

  /// The image resized to `height` × `width` (the scale is out/in per dimension).
  public static func resize(_ image: Image, height: Int, width: Int, antialias: Bool = true) -> Image {
    let sh = Double(height) / Double(image.height), sw = Double(width) / Double(image.width)
    if sh <= sw {
      return resizeColumns(resizeRows(image, height, sh, antialias), width, sw, antialias)
    }
    return resizeRows(resizeColumns(image, width, sw, antialias), height, sh, antialias)
  }

  /// Resize by an integer factor: `scale` > 0 enlarges, `1/scale` shrinks
  /// (`downscale(img, by: 2)` makes the ×2 LR image, sizes ceil(h/2) × ceil(w/2) as MATLAB).
  public static func downscale(_ image: Image, by factor: Int) -> Image {
    resize(image, height: (image.height + factor - 1) / factor, width: (image.width + factor - 1) / factor)
  }

  public static func upscale(_ image: Image, by factor: Int) -> Image {
    resize(image, height: image.height * factor, width: image.width * factor)
  }

  static func resizeRows(_ img: Image, _ outH: Int, _ scale: Double, _ aa: Bool) -> Image {
    let con = contributions(inLength: img.height, outLength: outH, scale: scale, antialias: aa)
    var out = Image(channels: img.channels, height: outH, width: img.width)
    let w = img.width
    img.pixels.withUnsafeBufferPointer { src in
      out.pixels.withUnsafeMutableBufferPointer { dst in
        var row = [Double](repeating: 0, count: w)
        for c in 0..<img.channels {
          for (y, (idx, wt)) in con.enumerated() {
            for x in 0..<w { row[x] = 0 }
            for (i, k) in zip(idx, wt) {
              let base = (c * img.height + i) * w
              for x in 0..<w { row[x] += k * Double(src[base + x]) }
            }
            let ob = (c * outH + y) * w
            for x in 0..<w { dst[ob + x] = Float(row[x]) }
          }
        }
      }
    }
    return out
  }

  static func resizeColumns(_ img: Image, _ outW: Int, _ scale: Double, _ aa: Bool) -> Image {
    let con = contributions(inLength: img.width, outLength: outW, scale: scale, antialias: aa)
    var out = Image(channels: img.channels, height: img.height, width: outW)
    let w = img.width
    img.pixels.withUnsafeBufferPointer { src in
      out.pixels.withUnsafeMutableBufferPointer { dst in
        for r in 0..<(img.channels * img.height) {
          let base = r * w, ob = r * outW
          for (x, (idx, wt)) in con.enumerated() {
            var s = 0.0
            for (i, k) in zip(idx, wt) { s += k * Double(src[base + i]) }
            dst[ob + x] = Float(s)
          }
        }
      }
    }
    return out
  }
}
