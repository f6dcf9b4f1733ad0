import Foundation
import LyraPlot

/// Optuna's slice plot: one small scatter per searched hyperparameter, its value
/// against the objective. Categorical values sit at 0, 1, … with the names in the caption.
enum ParamScatter {
  static func plots(_ m: ParamMatrix, _ a: StepAnalysis) -> [(caption: String, plot: Plot)] {
    guard let obj = a.objectives.first, m.trials.count >= 2 else { return [] }
    return m.columns.map { c in
      let ok = m.objective.indices.filter { m.objective[$0].isFinite }
      var caption = c.key
      if let cats = c.categories {
        caption += ": " + cats.enumerated().map { "\($0.offset) = \(SVGCanvas.clip($0.element, 24))" }.joined(separator: ", ")
      }
      let p = Plot().scatter(x: ok.map { c.values[$0] }, y: ok.map { m.objective[$0] }, color: Palette.color(0))
        .title(SVGCanvas.clip(c.label, 40)).xlabel(SVGCanvas.clip(c.label, 40)).ylabel(obj.name).size(width: 320, height: 240)
      return (caption, p)
    }
  }
}
