import Foundation
import LyraPlot

/// Optuna's optimisation history: every trial's first objective in completion order
/// (grey dots) and the best so far (a step line).
enum OptimizationHistory {
  static func plot(_ a: StepAnalysis) -> Plot? {
    guard let obj = a.objectives.first else { return nil }
    // Trial number in completion order on x, as Optuna: minutes would crowd fast trials together.
    let (_, vs, _) = a.timeline()
    let xs = vs.indices.map { Double($0 + 1) }
    guard vs.contains(where: \.isFinite) else { return nil }
    let best = a.bestSoFar(vs)
    // Log scale when a minimised positive quantity spans over two decades (losses, errors).
    let logY = !obj.maximize && ValueAxis.wantsLog(vs)
    return Plot().scatter(x: xs, y: vs, label: "trial", color: Palette.muted)
      .step(x: xs, y: best, label: "best so far", mode: .post, color: Palette.color(0))
      .logY(logY)
      .title("\(a.step.name): \(obj.name) per trial and best so far")
      .xlabel("trial (in completion order)")
      .ylabel(MetricNames.axisLabel(obj.name, maximize: obj.maximize))
  }
}
