import Foundation
import LyraPlot

/// Horizontal bars of hyperparameter importance, largest on top, values written beside
/// the bars (names can be long: they get their own column instead of rotated ticks).
enum ImportanceChart {
  static func svg(_ ranking: [(key: String, importance: Double)], step: String) -> String {
    let rowH = 26.0, top = 40.0, labelW = min(260, 16 + 7 * Double(ranking.map(\.key.count).max() ?? 8)), barW = 300.0
    var c = SVGCanvas(width: labelW + barW + 70, height: top + rowH * Double(ranking.count) + 36)
    c.text(c.width / 2, 22, "\(step): hyperparameter importance (fANOVA)", anchor: .middle, size: 14, bold: true)
    let maxV = max(ranking.map(\.importance).max() ?? 1, 1e-9)
    for (i, r) in ranking.enumerated() {
      let y = top + rowH * Double(i)
      c.text(labelW - 8, y + 17, SVGCanvas.clip(r.key, 36), anchor: .end)
      let w = barW * r.importance / maxV
      c.rect(labelW, y + 5, w, rowH - 10, fill: Palette.color(0), title: "\(r.key): \(PlotFormat.number(r.importance))")
      c.text(labelW + w + 6, y + 17, String(format: "%.2f", r.importance), size: 11)
    }
    let y = top + rowH * Double(ranking.count) + 24
    c.text(labelW + barW / 2, y, "share of variance explained alone", anchor: .middle, size: 12, color: "#555")
    return c.document(title: "\(step): hyperparameter importance")
  }
}
