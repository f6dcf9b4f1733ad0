/// Draws line, scatter, step, histogram and bar charts: frame, grid, ticks, series,
/// legend, title and axis labels.
struct AxesRenderer {
  let plot: Plot

  var isBarChart: Bool { plot.categories != nil && plot.series.contains { $0.mark == .bars } }

  /// Finite data extents, with 0 included for bars and histograms (their bars start at 0).
  func extents() -> (xs: [Double], ys: [Double]) {
    var xs: [Double] = [], ys: [Double] = []
    let ok: (Double) -> Bool = { $0.isFinite && (!plot.yLog || $0 > 0) }
    for s in plot.series {
      switch s.mark {
      case .bars:
        ys += s.y.filter(ok)
        if !plot.yLog { ys.append(0) }
      case .histogram:
        xs += s.x.filter(\.isFinite)
        ys += s.y.filter(ok)
        if !plot.yLog && !s.y.isEmpty { ys.append(0) }
      default:
        for (x, y) in s.points where x.isFinite && ok(y) {
          xs.append(x)
          ys.append(y)
        }
      }
    }
    // Fixed ranges stand in for the data when ticks are chosen (AxisLimits.swift).
    if let r = plot.xLimits, !isBarChart { xs = [r.lowerBound, r.upperBound] }
    if let r = plot.yLimits, !plot.yLog || r.lowerBound > 0 { ys = [r.lowerBound, r.upperBound] }
    return (xs, ys)
  }

  func render() -> String {
    let (xs, ys) = extents()
    let yt = plot.yLog ? Ticks.log(ys.min() ?? 1, ys.max() ?? 10) : Ticks.linear(ys.min() ?? 0, ys.max() ?? 1)
    let cats = isBarChart ? (plot.categories ?? []) : []
    let xt = isBarChart ? Ticks(values: cats.indices.map(Double.init), labels: cats) : Ticks.linear(xs.min() ?? 0, xs.max() ?? 1, integers: plot.xIntegers)
    let legendSeries = plot.series.filter { $0.label != nil && !$0.label!.isEmpty }
    let showLegend = plot.legendMode ?? !legendSeries.isEmpty
    let layout = AxesLayout(plot: plot, xTicks: xt.labels, yTicks: yt.labels,
                            legend: showLegend ? legendSeries.map { $0.label! } : [], categoryBand: isBarChart)
    let xs0 = isBarChart ? -0.5 : xt.lo, xs1 = isBarChart ? Double(max(1, cats.count)) - 0.5 : xt.hi
    // Bars and histograms stand on the bottom of the frame; everything else is inset.
    let bars = plot.series.contains { $0.mark == .bars || $0.mark == .histogram }
    let ins = AxesLayout.inset
    let sx = Scale(lo: xs0, hi: xs1, p0: layout.x0 + (isBarChart ? 0 : ins), p1: layout.x1 - (isBarChart ? 0 : ins),
                   clip: plot.xLimits != nil)
    let sy = Scale(lo: yt.lo, hi: yt.hi, p0: layout.y1 - (bars ? 0 : ins), p1: layout.y0 + ins, log: plot.yLog,
                   clip: plot.yLimits != nil)

    var b = SVGBuilder()
    b.element("rect", [("width", "\(plot.width)"), ("height", "\(plot.height)"), ("fill", "white")])
    if let t = plot.titleText {
      b.element("text", [("class", "title"), ("x", Fmt.coord(Double(plot.width) / 2)), ("y", "22"), ("text-anchor", "middle"),
                         ("font-size", "14"), ("font-weight", "bold")], text: t)
    }
    drawGridAndTicks(&b, layout, sx, sy, xt, yt)
    let any = !xs.isEmpty || (isBarChart && !ys.isEmpty)
    for (i, s) in plot.series.enumerated() {
      draw(s, index: i, &b, sx, sy, layout)
    }
    if !any {
      b.element("text", [("x", Fmt.coord((layout.x0 + layout.x1) / 2)), ("y", Fmt.coord((layout.y0 + layout.y1) / 2)),
                         ("text-anchor", "middle"), ("fill", "#888")], text: "no data")
    }
    if showLegend { drawLegend(&b, layout) }
    if let t = plot.xLabelText {
      b.element("text", [("class", "xlabel"), ("x", Fmt.coord((layout.x0 + layout.x1) / 2)), ("y", Fmt.coord(Double(plot.height) - 8)),
                         ("text-anchor", "middle")], text: t)
    }
    if let t = plot.yLabelText {
      let cx = 16.0, cy = (layout.y0 + layout.y1) / 2
      b.element("text", [("class", "ylabel"), ("x", Fmt.coord(cx)), ("y", Fmt.coord(cy)), ("text-anchor", "middle"),
                         ("transform", "rotate(-90 \(Fmt.coord(cx)) \(Fmt.coord(cy)))")], text: t)
    }
    return b.document(width: plot.width, height: plot.height, title: plot.titleText)
  }

  func drawGridAndTicks(_ b: inout SVGBuilder, _ l: AxesLayout, _ sx: Scale, _ sy: Scale, _ xt: Ticks, _ yt: Ticks) {
    b.element("rect", [("class", "plot-area"), ("x", Fmt.coord(l.x0)), ("y", Fmt.coord(l.y0)), ("width", Fmt.coord(l.x1 - l.x0)),
                       ("height", Fmt.coord(l.y1 - l.y0)), ("fill", "#fbfbfb"), ("stroke", "none")])
    b.open("g", [("class", "grid"), ("stroke", "#e3e3e3"), ("stroke-width", "1")])
    for v in yt.values {
      guard let p = sy.map(v) else { continue }
      b.element("line", [("x1", Fmt.coord(l.x0)), ("y1", Fmt.coord(p)), ("x2", Fmt.coord(l.x1)), ("y2", Fmt.coord(p))])
    }
    if !isBarChart {
      for v in xt.values {
        guard let p = sx.map(v) else { continue }
        b.element("line", [("x1", Fmt.coord(p)), ("y1", Fmt.coord(l.y0)), ("x2", Fmt.coord(p)), ("y2", Fmt.coord(l.y1))])
      }
    }
    b.close("g")
    b.element("path", [("class", "axes"), ("d", "M\(Fmt.coord(l.x0)) \(Fmt.coord(l.y0))V\(Fmt.coord(l.y1))H\(Fmt.coord(l.x1))"),
                       ("fill", "none"), ("stroke", "#333")])
    // y ticks
    b.open("g", [("class", "yticks"), ("text-anchor", "end"), ("fill", "#333")])
    for (v, s) in zip(yt.values, yt.labels) {
      guard let p = sy.map(v) else { continue }
      b.element("line", [("x1", Fmt.coord(l.x0 - 4)), ("y1", Fmt.coord(p)), ("x2", Fmt.coord(l.x0)), ("y2", Fmt.coord(p)), ("stroke", "#333")])
      b.element("text", [("x", Fmt.coord(l.x0 - 7)), ("y", Fmt.coord(p + 4)), ("data-value", Fmt.trim(String(v)))], text: s)
    }
    b.close("g")
    // x ticks, thinned so labels never overlap
    let spacing = xt.values.count > 1 ? abs((sx.map(xt.values[1]) ?? 0) - (sx.map(xt.values[0]) ?? 0)) : 1000
    let widest = xt.labels.map { SVGBuilder.textWidth(l.rotateX ? "x" : $0) }.max() ?? 0
    let every = l.rotateX ? max(1, Int((14 / max(1, spacing)).rounded(.up))) : max(1, Int(((widest + 8) / max(1, spacing)).rounded(.up)))
    b.open("g", [("class", "xticks"), ("text-anchor", l.rotateX ? "end" : "middle"), ("fill", "#333")])
    for (i, (v, s)) in zip(xt.values, xt.labels).enumerated() {
      guard let p = sx.map(v) else { continue }
      b.element("line", [("x1", Fmt.coord(p)), ("y1", Fmt.coord(l.y1)), ("x2", Fmt.coord(p)), ("y2", Fmt.coord(l.y1 + 4)), ("stroke", "#333")])
      guard i % every == 0 else { continue }
      let ty = l.y1 + 17
      var attrs = [("x", Fmt.coord(p)), ("y", Fmt.coord(ty))]
      if l.rotateX { attrs.append(("transform", "rotate(-40 \(Fmt.coord(p)) \(Fmt.coord(ty - 4)))")) }
      b.element("text", attrs, text: l.rotateX ? SVGBuilder.truncate(s, 24) : s)
    }
    b.close("g")
  }

  func color(_ s: Series, _ i: Int) -> String { s.color ?? Palette.color(i) }

  func draw(_ s: Series, index i: Int, _ b: inout SVGBuilder, _ sx: Scale, _ sy: Scale, _ l: AxesLayout) {
    let c = color(s, i)
    var g: [(String, String)] = [("class", "series")]
    if let lab = s.label { g.append(("data-label", lab)) }
    b.open("g", g)
    switch s.mark {
    case .line, .stepPost, .stepPre:
      let d = path(s, sx, sy)
      if !d.isEmpty {
        b.element("path", [("d", d), ("fill", "none"), ("stroke", c), ("stroke-width", "1.8"), ("stroke-linejoin", "round")])
      }
      if s.markers { drawMarkers(s, c, r: 3, &b, sx, sy) }
    case .scatter:
      drawMarkers(s, c, r: 3.5, &b, sx, sy)
    case .bars:
      let k = Double(max(1, plot.series.filter { $0.mark == .bars }.count))
      let j = Double(plot.series[..<i].filter { $0.mark == .bars }.count)
      let band = (l.x1 - l.x0) / Double(max(1, plot.categories?.count ?? 1))
      let bw = band * 0.8 / k
      let base = sy.map(plot.yLog ? sy.lo : 0) ?? l.y1
      for (x, y) in s.points {
        guard let cx = sx.map(x), let py = sy.mapClamped(y) else { continue }
        let left = cx - band * 0.4 + j * bw
        b.element("rect", [("x", Fmt.coord(left)), ("y", Fmt.coord(min(py, base))), ("width", Fmt.coord(max(0.5, bw - 1))),
                           ("height", Fmt.coord(abs(base - py))), ("fill", c)])
      }
    case .histogram:
      let base = sy.map(plot.yLog ? sy.lo : 0) ?? l.y1
      for i in 0..<min(s.y.count, max(0, s.x.count - 1)) {
        guard let a = sx.map(s.x[i]), let z = sx.map(s.x[i + 1]), let py = sy.mapClamped(s.y[i]) else { continue }
        b.element("rect", [("x", Fmt.coord(a)), ("y", Fmt.coord(min(py, base))), ("width", Fmt.coord(max(0, z - a))),
                           ("height", Fmt.coord(abs(base - py))), ("fill", c), ("fill-opacity", "0.85"), ("stroke", "white"),
                           ("stroke-width", "0.5")])
      }
    }
    b.close("g")
  }

  /// Path data; a point that cannot be drawn (NaN, ≤ 0 on log y) starts a new sub-path
  /// for lines and is skipped for steps.
  func path(_ s: Series, _ sx: Scale, _ sy: Scale) -> String {
    var d = ""
    var prev: (Double, Double)?
    for (x, y) in s.points {
      guard let px = sx.map(x), let py = sy.map(y) else {
        if s.mark == .line { prev = nil }
        continue
      }
      if let (qx, qy) = prev {
        switch s.mark {
        case .stepPost: d += "L\(Fmt.coord(px)) \(Fmt.coord(qy))"
        case .stepPre: d += "L\(Fmt.coord(qx)) \(Fmt.coord(py))"
        default: break
        }
        d += "L\(Fmt.coord(px)) \(Fmt.coord(py))"
      } else {
        d += "M\(Fmt.coord(px)) \(Fmt.coord(py))"
      }
      prev = (px, py)
    }
    return d
  }

  func drawMarkers(_ s: Series, _ c: String, r: Double, _ b: inout SVGBuilder, _ sx: Scale, _ sy: Scale) {
    for (x, y) in s.points {
      guard let px = sx.map(x), let py = sy.map(y) else { continue }
      b.element("circle", [("cx", Fmt.coord(px)), ("cy", Fmt.coord(py)), ("r", Fmt.coord(r)), ("fill", c),
                           ("fill-opacity", s.mark == .scatter ? "0.8" : "1"), ("stroke", "white"), ("stroke-width", "0.6")])
    }
  }

  func drawLegend(_ b: inout SVGBuilder, _ l: AxesLayout) {
    b.open("g", [("class", "legend")])
    var row = 0
    for (i, s) in plot.series.enumerated() {
      guard let lab = s.label, !lab.isEmpty else { continue }
      let c = color(s, i)
      let y = l.y0 + 10 + Double(row) * 18
      let x = l.legendX
      switch s.mark {
      case .bars, .histogram:
        b.element("rect", [("x", Fmt.coord(x)), ("y", Fmt.coord(y - 5)), ("width", "18"), ("height", "10"), ("fill", c)])
      case .scatter:
        b.element("circle", [("cx", Fmt.coord(x + 9)), ("cy", Fmt.coord(y)), ("r", "3.5"), ("fill", c)])
      default:
        b.element("line", [("x1", Fmt.coord(x)), ("y1", Fmt.coord(y)), ("x2", Fmt.coord(x + 18)), ("y2", Fmt.coord(y)),
                           ("stroke", c), ("stroke-width", "1.8")])
        if s.markers { b.element("circle", [("cx", Fmt.coord(x + 9)), ("cy", Fmt.coord(y)), ("r", "3"), ("fill", c)]) }
      }
      b.element("text", [("x", Fmt.coord(x + 24)), ("y", Fmt.coord(y + 4))], text: SVGBuilder.truncate(lab, AxesLayout.legendChars))
      row += 1
    }
    b.close("g")
  }
}
