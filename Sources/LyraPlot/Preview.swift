/// Terminal previews: braille for axes charts, shade blocks for images. Plain text with
/// no colours, so it reads the same in a log file as on a TTY.
extension Plot {
  /// A `width × height`-character sketch of the plot with its y range on the left and x
  /// range underneath (e.g. for the REPL next to the path of the written SVG).
  public func preview(width: Int = 60, height: Int = 12) -> String {
    var out: [String] = []
    if let t = titleText { out.append(t) }
    if !images.isEmpty { return (out + imagePreview(width: width, height: height)).joined(separator: "\n") }
    let r = AxesRenderer(plot: self)
    let (xs, ys) = r.extents()
    guard !ys.isEmpty else { return (out + ["(no data)"]).joined(separator: "\n") }
    let yt = yLog ? Ticks.log(ys.min()!, ys.max()!) : Ticks.linear(ys.min()!, ys.max()!)
    let bar = r.isBarChart
    let xlo = bar ? -0.5 : (xs.min() ?? 0), xhi = bar ? Double(max(1, categories?.count ?? 1)) - 0.5 : (xs.max() ?? 1)
    var cv = BrailleCanvas(cols: max(4, width - 10), rows: max(2, height))
    let sx = Scale(lo: xlo, hi: xhi, p0: 0, p1: Double(cv.width - 1))
    let sy = Scale(lo: yt.lo, hi: yt.hi, p0: Double(cv.height - 1), p1: 0, log: yLog)
    let px: (Double) -> Int? = { sx.map($0).map { Int($0.rounded()) } }
    let py: (Double) -> Int? = { sy.map($0).map { Int($0.rounded()) } }
    for s in series {
      switch s.mark {
      case .bars, .histogram:
        let base = py(yLog ? yt.lo : 0) ?? (cv.height - 1)
        let spans: [(Double, Double, Double)] = s.mark == .bars
          ? s.points.map { ($0.0 - 0.35, $0.0 + 0.35, $0.1) }
          : (0..<min(s.y.count, max(0, s.x.count - 1))).map { (s.x[$0], s.x[$0 + 1], s.y[$0]) }
        for (a, z, v) in spans {
          guard let xa = px(a), let xz = px(z), let yv = py(v) else { continue }
          for x in xa...max(xa, xz) { cv.line(x, base, x, yv) }
        }
      default:
        var prev: (Int, Int)?
        for (x, y) in s.points {
          guard let a = px(x), let b = py(y) else { prev = nil; continue }
          if s.mark != .scatter, let (qa, qb) = prev {
            if s.mark == .stepPost { cv.line(qa, qb, a, qb); cv.line(a, qb, a, b) } else if s.mark == .stepPre {
              cv.line(qa, qb, qa, b); cv.line(qa, b, a, b)
            } else { cv.line(qa, qb, a, b) }
          } else if s.mark == .scatter { for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] { cv.set(a + dx, b + dy) } } else { cv.set(a, b) }
          prev = (a, b)
        }
      }
    }
    let top = Fmt.short(yt.hi), bottom = Fmt.short(yt.lo)
    let pad = max(top.count, bottom.count)
    for (i, line) in cv.lines().enumerated() {
      let lab = i == 0 ? top : (i == cv.rows - 1 ? bottom : "")
      out.append(String(repeating: " ", count: pad - lab.count) + lab + (lab.isEmpty ? " │" : " ┤") + line)
    }
    let xl = bar ? (categories?.first ?? "") : Fmt.short(xlo), xr = bar ? (categories?.last ?? "") : Fmt.short(xhi)
    let gapN = max(1, cv.cols - xl.count - xr.count)
    out.append(String(repeating: " ", count: pad + 2) + xl + String(repeating: " ", count: gapN) + xr)
    let labels = series.compactMap(\.label)
    if !labels.isEmpty { out.append(String(repeating: " ", count: pad + 2) + labels.joined(separator: ", ")) }
    return out.joined(separator: "\n")
  }

  /// The first image in shade blocks (each character two pixels tall), plus a count of the rest.
  func imagePreview(width: Int, height: Int) -> [String] {
    let img = images[0]
    guard img.width > 0, img.height > 0 else { return ["(empty image)"] }
    let ramp: [Character] = [" ", "░", "▒", "▓", "█"]
    let px = img.bytes(normalization)
    let cols = min(width, img.width), rows = min(height, max(1, img.height / 2))
    var out: [String] = []
    for r in 0..<rows {
      var s = ""
      for c in 0..<cols {
        let x = c * img.width / cols, y = r * img.height / rows
        let o = (y * img.width + x) * img.channels
        let v = img.channels == 3 ? (Int(px[o]) + Int(px[o + 1]) + Int(px[o + 2])) / 3 : Int(px[o])
        s.append(ramp[min(4, v * 5 / 256)])
      }
      out.append(s)
    }
    if images.count > 1 { out.append("(+\(images.count - 1) more images)") }
    return out
  }
}
