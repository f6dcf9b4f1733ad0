/// Derivative-free minimisation in a box (Nelder & Mead 1965, standard coefficients
/// 1, 2, ½, ½), every point clamped into the box.
///
/// Why not L-BFGS-B as sklearn/VEGA: their gradient there is finite differences anyway
/// (VEGA's co-kriging passes `approx_grad`), and a simplex needs no line search to get
/// right; the GP likelihoods it minimises have 1 to 7 parameters. Deterministic: the same
/// start gives the same answer.
public enum NelderMead {
  /// The best point found and its value, after at most `maxEvaluations` calls of `f`.
  public static func minimize(_ f: ([Double]) -> Double, start: [Double], lower: [Double], upper: [Double],
                              step: Double = 0.5, maxEvaluations: Int = 300, tolerance: Double = 1e-6) -> (x: [Double], value: Double) {
    let d = start.count
    func clamp(_ x: [Double]) -> [Double] { (0..<d).map { min(max(x[$0], lower[$0]), upper[$0]) } }
    var evaluations = 0
    func eval(_ x: [Double]) -> Double {
      evaluations += 1
      let v = f(x)
      return v.isNaN ? .infinity : v
    }
    var simplex: [[Double]] = [clamp(start)]
    for i in 0..<d {
      var p = simplex[0]
      // Step inward when the start sits on the upper bound, so the simplex is not flat.
      p[i] = p[i] + step <= upper[i] ? p[i] + step : p[i] - step
      simplex.append(clamp(p))
    }
    var values = simplex.map(eval)
    while evaluations < maxEvaluations {
      let order = values.indices.sorted { values[$0] < values[$1] }
      simplex = order.map { simplex[$0] }
      values = order.map { values[$0] }
      if abs(values[d] - values[0]) <= tolerance * (abs(values[0]) + tolerance) { break }
      var centroid = [Double](repeating: 0, count: d)
      for p in simplex.dropLast() { for i in 0..<d { centroid[i] += p[i] / Double(d) } }
      func toward(_ t: Double) -> [Double] { clamp((0..<d).map { centroid[$0] + t * (simplex[d][$0] - centroid[$0]) }) }
      let reflected = toward(-1), fr = eval(reflected)
      if fr < values[0] {
        let expanded = toward(-2), fe = eval(expanded)
        (simplex[d], values[d]) = fe < fr ? (expanded, fe) : (reflected, fr)
      } else if fr < values[d - 1] {
        (simplex[d], values[d]) = (reflected, fr)
      } else {
        let contracted = fr < values[d] ? toward(-0.5) : toward(0.5)
        let fc = eval(contracted)
        if fc < min(fr, values[d]) {
          (simplex[d], values[d]) = (contracted, fc)
        } else {
          for j in 1...d {
            simplex[j] = clamp((0..<d).map { simplex[0][$0] + 0.5 * (simplex[j][$0] - simplex[0][$0]) })
            values[j] = eval(simplex[j])
          }
        }
      }
    }
    let best = values.indices.min { values[$0] < values[$1] }!
    return (simplex[best], values[best])
  }
}
