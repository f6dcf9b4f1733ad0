/// Pictures as PNG files rather than SVG: a notebook shows a tensor image as an
/// `image/png` output (what Jupyter and Markdown viewers display most directly), and
/// several images of a batch as one tiled picture.
extension PlotImage {
  /// The image as PNG bytes, each pixel repeated `scale × scale` times (nearest
  /// neighbour), so a 28×28 digit can be shown at a readable size without blurring.
  public func png(normalization: Normalization = .auto, scale: Int = 1) -> [UInt8] {
    let k = max(1, scale)
    let src = bytes(normalization)
    guard k > 1 else { return PNG.encode(width: width, height: height, channels: channels, samples: src) }
    let w = width * k, h = height * k
    var out = [UInt8](repeating: 0, count: w * h * channels)
    for y in 0..<h {
      for x in 0..<w {
        let s = ((y / k) * width + x / k) * channels, d = (y * w + x) * channels
        for c in 0..<channels { out[d + c] = src[s + c] }
      }
    }
    return PNG.encode(width: w, height: h, channels: channels, samples: out)
  }

  /// One picture holding `images` in a grid (`columns` per row, default about square)
  /// separated by `gap` white pixels. Each image is normalised on its own first, so the
  /// result is in 0…1; it is RGB when any image is.
  public static func mosaic(_ images: [PlotImage], columns: Int? = nil, gap: Int = 2,
                            normalization: Normalization = .auto) -> PlotImage {
    guard !images.isEmpty else { return PlotImage(width: 0, height: 0, pixels: []) }
    let cols = max(1, min(images.count, columns ?? Int(Double(images.count).squareRoot().rounded(.up))))
    let rows = (images.count + cols - 1) / cols
    let cw = images.map(\.width).max() ?? 0, ch = images.map(\.height).max() ?? 0
    let g = max(0, gap)
    let rgb = images.contains { $0.channels == 3 }
    let c = rgb ? 3 : 1
    let w = cols * cw + (cols - 1) * g, h = rows * ch + (rows - 1) * g
    var px = [Float](repeating: 1, count: w * h * c)
    for (k, img) in images.enumerated() {
      let b = img.bytes(normalization)
      let ox = (k % cols) * (cw + g), oy = (k / cols) * (ch + g)
      for y in 0..<img.height {
        for x in 0..<img.width {
          let s = (y * img.width + x) * img.channels, d = ((oy + y) * w + ox + x) * c
          for j in 0..<c { px[d + j] = Float(b[s + (img.channels == 3 ? j : 0)]) / 255 }
        }
      }
    }
    return PlotImage(width: w, height: h, channels: c, pixels: px)
  }
}

extension Plot {
  /// What kind of chart this is, in a few words (`line chart, 2 series, "loss"`), for
  /// `tostring` in Lua and for the text form of a notebook output.
  public var summary: String {
    var s: String
    if !images.isEmpty {
      s = "image grid, \(images.count) image\(images.count == 1 ? "" : "s")"
    } else {
      let kinds = series.map { m -> String in
        switch m.mark {
        case .line: return "line"
        case .scatter: return "scatter"
        case .stepPost, .stepPre: return "step"
        case .bars: return "bar"
        case .histogram: return "histogram"
        }
      }
      var seen: [String] = []
      for k in kinds where !seen.contains(k) { seen.append(k) }
      s = seen.isEmpty ? "empty chart" : seen.joined(separator: "/") + " chart, \(series.count) series"
    }
    if let t = titleText { s += ", \"\(t)\"" }
    return s + ", \(pixelSize.width)x\(pixelSize.height)"
  }

  /// The rendered size in pixels (image grids size themselves from their cells).
  public var pixelSize: (width: Int, height: Int) {
    guard !images.isEmpty else { return (width, height) }
    let r = ImageGridRenderer(plot: self).layout()
    return (r.width, r.height)
  }
}

extension Plot {
  /// An image grid as one PNG picture (see `PlotImage.mosaic`), each pixel repeated so the
  /// long side reaches about `minSide` pixels (at most 8×): a notebook's `image/png` form
  /// of a tensor. Nil for charts, which only have an SVG form.
  public func png(minSide: Int = 128) -> (bytes: [UInt8], width: Int, height: Int)? {
    guard !images.isEmpty else { return nil }
    let m = PlotImage.mosaic(images, columns: imageColumns, normalization: normalization)
    guard m.width > 0, m.height > 0 else { return nil }
    let scale = max(1, min(8, minSide / max(m.width, m.height)))
    return (m.png(normalization: .unit, scale: scale), m.width * scale, m.height * scale)
  }
}
