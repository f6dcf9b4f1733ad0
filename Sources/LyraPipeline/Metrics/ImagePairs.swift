import LyraTensor

/// The preprocessing VEGA's super-resolution metrics (PSNR, SSIM) share: images
/// [N, C, H, W] scaled to 0…255 (`max_rgb` is the value of white in the tensors), a
/// border of `crop` pixels removed (VEGA's `scale`: the border an upscaler cannot
/// know), and 3-channel images turned into luma (`to_y`).
///
/// Luma uses VEGA's coefficients (65.738, 129.057, 25.064)/256 but in RGB order: VEGA
/// applies them in BGR order to tensors that its own loaders produce as RGB.
struct ImagePairs {
  var maxRGB: Double
  var crop: Int
  var toY: Bool

  /// One image: planes of H×W values in 0…255.
  struct Image {
    var planes: [[Double]]
    var h: Int
    var w: Int
  }

  func images(_ t: Tensor, metric: String) throws -> [Image] {
    guard t.rank == 4 else { throw TrainerError.input("\(metric): expected images [N, C, H, W], got \(t.shape)") }
    let (n, c, h, w) = (t.shape[0], t.shape[1], t.shape[2], t.shape[3])
    let hh = h - 2 * crop, ww = w - 2 * crop
    guard hh > 0, ww > 0 else { throw TrainerError.input("\(metric): cropping \(crop) pixels leaves nothing of \(h)x\(w) images") }
    let v = t.toArray(), k = 255 / maxRGB
    var out: [Image] = []
    for i in 0..<n {
      var planes: [[Double]] = []
      for ch in 0..<c {
        var p = [Double](repeating: 0, count: hh * ww)
        for y in 0..<hh {
          for x in 0..<ww { p[y * ww + x] = Double(v[((i * c + ch) * h + y + crop) * w + x + crop]) * k }
        }
        planes.append(p)
      }
      if toY && c == 3 {
        let (r, g, b) = (planes[0], planes[1], planes[2])
        var yPlane = [Double](repeating: 0, count: r.count)
        for j in r.indices {
          let lum: Double = 65.738 * r[j] + 129.057 * g[j] + 25.064 * b[j]
          yPlane[j] = lum / 256
        }
        planes = [yPlane]
      }
      out.append(Image(planes: planes, h: hh, w: ww))
    }
    return out
  }

  /// Both tensors as image lists, checked to have the same shape.
  func pairs(_ output: Tensor, _ target: Tensor, metric: String) throws -> [(Image, Image)] {
    guard output.shape == target.shape else {
      throw TrainerError.input("\(metric): output \(output.shape) and target \(target.shape) differ in shape")
    }
    return Array(zip(try images(output, metric: metric), try images(target, metric: metric)))
  }

  /// The shared keys (`to_y`, `scale`, `max_rgb`), VEGA's defaults.
  static func read(_ r: ParamReader) throws -> ImagePairs {
    let maxRGB = try r.double("max_rgb", 1)
    guard maxRGB > 0 else { throw TrainerError.config("\(r.path).max_rgb: must be positive, got \(maxRGB)") }
    return ImagePairs(maxRGB: maxRGB, crop: try r.int("scale", 2, min: 0), toY: try r.bool("to_y", true))
  }
}
