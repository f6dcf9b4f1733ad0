import Foundation
import LyraPlot

/// Parallel coordinates: one vertical axis per searched hyperparameter and a last one for
/// the objective; each configuration is a polyline through its values, coloured from
/// light (worse) to dark (better) so the good region of each axis stands out.
enum ParallelCoordinates {
  static func svg(_ m: ParamMatrix, _ a: StepAnalysis) -> String? {
    guard let obj = a.objectives.first, !m.columns.isEmpty, m.trials.count >= 2 else { return nil }
    let ok = m.objective.indices.filter { m.objective[$0].isFinite }
    guard ok.count >= 2 else { return nil }
    let axes = m.columns.count + 1
    let gap = max(120.0, min(180, 1000 / Double(axes))), left = 60.0, top = 56.0, plotH = 260.0
    var c = SVGCanvas(width: left * 2 + gap * Double(axes - 1), height: top + plotH + 70)
    c.text(c.width / 2, 22, "\(a.step.name): parallel coordinates", anchor: .middle, size: 14, bold: true)
    // Per axis: a value → y map and its tick labels.
    var maps: [(Double) -> Double] = []
    var tickSets: [[(Double, String)]] = []
    for col in m.columns {
      let vs = ok.map { col.values[$0] }
      if let cats = col.categories {
        let n = Double(max(cats.count - 1, 1))
        maps.append { top + plotH - $0 / n * plotH }
        tickSets.append(cats.enumerated().map { (Double($0.offset), SVGCanvas.clip($0.element, 14)) })
      } else {
        let ax = ValueAxis(values: vs, from: top + plotH, to: top)
        maps.append(ax.map)
        tickSets.append(zip(ax.ticks.values, ax.ticks.labels).map { ($0, $1) })
      }
    }
    let objVals = ok.map { m.objective[$0] }
    let objAxis = ValueAxis(values: objVals, from: top + plotH, to: top, log: ValueAxis.wantsLog(objVals))
    maps.append(objAxis.map)
    tickSets.append(zip(objAxis.ticks.values, objAxis.ticks.labels).map { ($0, $1) })
    // Colour by rank along the objective's axis (its log when the axis is logarithmic).
    let pos = { (v: Double) in objAxis.log ? Foundation.log10(v) : v }
    let lo = pos(objVals.min()!), hi = pos(objVals.max()!)
    // Worst first, so the best lines are drawn on top.
    let order = ok.sorted { (obj.maximize ? 1 : -1) * m.objective[$0] < (obj.maximize ? 1 : -1) * m.objective[$1] }
    for i in order {
      let v = m.objective[i]
      var good = hi > lo ? (pos(v) - lo) / (hi - lo) : 1
      if !obj.maximize { good = 1 - good }
      let pts = (0..<axes).map { k -> (Double, Double) in
        (left + gap * Double(k), maps[k](k < m.columns.count ? m.columns[k].values[i] : v))
      }
      c.polyline(pts, stroke: shade(good), width: 1.4, opacity: 0.85, title: "trial \(m.trials[i].workerID): \(obj.name) = \(PlotFormat.number(v))")
    }
    let names = m.columns.map(\.label) + [obj.name]
    for k in 0..<axes {
      let x = left + gap * Double(k)
      c.line(x, top, x, top + plotH, stroke: "#444", width: 1)
      for (v, label) in tickSets[k] {
        let y = maps[k](v)
        c.line(x - 3, y, x, y, stroke: "#444")
        c.text(x - 5, y + 4, label, anchor: .end, size: 10, color: "#444")
      }
      c.text(x, top + plotH + 20, SVGCanvas.clip(names[k], Int(gap / 7)), anchor: .middle, size: 12, bold: k == axes - 1)
    }
    c.text(c.width / 2, top + plotH + 48, "each line is one configuration; dark = better \(obj.name)", anchor: .middle, size: 11, color: "#555")
    return c.document(title: "\(a.step.name): parallel coordinates")
  }

  /// Light grey-blue (0, worst) to dark blue (1, best).
  static func shade(_ t: Double) -> String {
    let t = max(0, min(1, t))
    let r = Int(200 - 170 * t), g = Int(210 - 120 * t), b = Int(230 - 60 * t)
    return String(format: "#%02x%02x%02x", r, g, b)
  }
}
