/// Where things go on an axes chart: margins sized from the tick labels, axis labels,
/// title and legend actually present, so long labels widen the margin instead of
/// overlapping the plot.
struct AxesLayout {
  /// The frame (plot area).
  var x0: Double, x1: Double, y0: Double, y1: Double
  /// Rotate x tick labels (long category names) by −40°.
  var rotateX: Bool
  var legendX: Double

  static let legendChars = 28
  static let rotatedChars = 24
  /// Gap between the frame and the ends of the data range, so points on the range's ends
  /// (a best-so-far line at its maximum, a curve's last epoch) do not hide under the frame.
  static let inset = 6.0

  init(plot: Plot, xTicks: [String], yTicks: [String], legend: [String], categoryBand: Bool) {
    let w = Double(plot.width), h = Double(plot.height)
    let top = plot.titleText == nil ? 12.0 : 34.0
    let yTickW = yTicks.map { SVGBuilder.textWidth($0) }.max() ?? 0
    var left = 10 + (plot.yLabelText == nil ? 0 : 20) + yTickW + 10
    let legendW = legend.isEmpty ? 0 : 34 + (legend.map { SVGBuilder.textWidth(SVGBuilder.truncate($0, AxesLayout.legendChars)) }.max() ?? 0)
    let right = 16 + (legend.isEmpty ? 0 : legendW + 8)
    let xTickW = xTicks.map { SVGBuilder.textWidth($0) }.max() ?? 0
    let band = (w - left - right) / Double(max(1, xTicks.count))
    rotateX = categoryBand && xTickW > band - 4
    var extra = 0.0
    if rotateX {
      // A label rotated by −40° and anchored at its end reaches cos 40° × width to the left
      // of its tick and sin 40° × width below it; the first label must not leave the canvas.
      let rw = xTicks.map { SVGBuilder.textWidth(SVGBuilder.truncate($0, AxesLayout.rotatedChars)) }.max() ?? 0
      extra = min(140, rw * 0.643)
      left = max(left, rw * 0.766 - band / 2 + 4)
    }
    let bottom = 30 + (plot.xLabelText == nil ? 0 : 18) + extra
    x0 = left
    x1 = max(left + 40, w - right)
    y0 = top
    y1 = max(top + 40, h - bottom)
    legendX = x1 + 12
  }
}
