/// Draws an image grid: each image an embedded PNG (see `PNG`) scaled to a square-ish
/// cell with nearest-neighbour sampling, captions underneath, title on top.
struct ImageGridRenderer {
  let plot: Plot

  /// Grid shape and canvas size.
  func layout() -> (cols: Int, rows: Int, width: Int, height: Int) {
    let imgs = plot.images
    let cols = max(1, min(imgs.count, plot.imageColumns ?? Int(Double(imgs.count).squareRoot().rounded(.up))))
    let rows = max(1, (imgs.count + cols - 1) / cols)
    let cell = Double(plot.imageCellSize)
    let capH = imgs.contains { $0.caption != nil } ? 16.0 : 0, top = plot.titleText == nil ? 6.0 : 32.0
    let width = Int((Double(cols) * (cell + 6) + 6).rounded(.up))
    let height = Int((top + Double(rows) * (cell + capH + 6) + 6).rounded(.up))
    return (cols, rows, width, height)
  }

  func render() -> String {
    let imgs = plot.images
    let (cols, _, width, height) = layout()
    let cell = Double(plot.imageCellSize)
    let captions = imgs.contains { $0.caption != nil }
    let gap = 6.0, capH = captions ? 16.0 : 0, top = plot.titleText == nil ? 6.0 : 32.0
    var b = SVGBuilder()
    b.element("rect", [("width", "\(width)"), ("height", "\(height)"), ("fill", "white")])
    if let t = plot.titleText {
      b.element("text", [("class", "title"), ("x", Fmt.coord(Double(width) / 2)), ("y", "21"), ("text-anchor", "middle"),
                         ("font-size", "14"), ("font-weight", "bold")], text: t)
    }
    for (k, img) in imgs.enumerated() {
      let r = k / cols, c = k % cols
      let x = gap + Double(c) * (cell + gap), y = top + gap + Double(r) * (cell + capH + gap)
      // Keep the aspect ratio inside the cell.
      let aspect = img.height > 0 && img.width > 0 ? Double(img.width) / Double(img.height) : 1
      let (w, h) = aspect >= 1 ? (cell, cell / aspect) : (cell * aspect, cell)
      let ix = x + (cell - w) / 2, iy = y + (cell - h) / 2
      if img.width > 0 && img.height > 0 {
        let png = PNG.encode(width: img.width, height: img.height, channels: img.channels, samples: img.bytes(plot.normalization))
        b.element("image", [("class", "cell"), ("x", Fmt.coord(ix)), ("y", Fmt.coord(iy)), ("width", Fmt.coord(w)), ("height", Fmt.coord(h)),
                            ("preserveAspectRatio", "none"), ("image-rendering", "pixelated"), ("style", "image-rendering:pixelated"),
                            ("xlink:href", "data:image/png;base64," + Base64.encode(png))])
      }
      b.element("rect", [("x", Fmt.coord(ix)), ("y", Fmt.coord(iy)), ("width", Fmt.coord(w)), ("height", Fmt.coord(h)),
                         ("fill", "none"), ("stroke", "#ccc")])
      if let cap = img.caption {
        b.element("text", [("x", Fmt.coord(x + cell / 2)), ("y", Fmt.coord(y + cell + 12)), ("text-anchor", "middle"),
                           ("font-size", "11")], text: SVGBuilder.truncate(cap, max(3, Int(cell / 6.2))))
      }
    }
    return b.document(width: width, height: height, title: plot.titleText)
  }
}
