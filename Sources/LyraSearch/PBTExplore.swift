import LyraBase
import LyraSpace

/// PBT's explore step as Ray Tune does it (`PopulationBasedTraining._explore`;
/// docs/algorithms/pbt.md): per active hyperparameter, with `resampleProbability` draw a
/// fresh value from its prior; otherwise multiply a number by one of `perturbFactors`
/// (clipped to its bounds, ints rounded) or move a category to an adjacent choice
/// (clamped at the ends). Array-valued parameters are only ever resampled.
///
/// Why multiplicative: learning rates and weight decays live on log scales, so ×1.2/×0.8
/// is the same relative step anywhere in the range.
///
/// The part of population based training that varies between its uses is what a member
/// starts with and how an exploiting member changes the configuration it copied
/// (Jaderberg et al. 2017, "explore"): this rule for `PBT`; `PBA` overrides PBT's
/// `initialConfig`/`explored` with `PBAExplore`, which applies this rule to the keys
/// other than the policy.
public struct PBTExplore {
  public let space: SearchSpace
  public let resampleProbability: Double
  public let perturbFactors: (Double, Double)

  public init(space: SearchSpace, resampleProbability: Double = 0.25, perturbFactors: (Double, Double) = (1.2, 0.8)) {
    self.space = space
    self.resampleProbability = resampleProbability
    self.perturbFactors = perturbFactors
  }

  /// The first configuration of a member: a draw from the prior.
  public func initial(member: Int, _ g: Generator) -> Config { space.sample(g) }

  /// The rule's settings, part of the algorithm's (a restored search must match them).
  public var settings: [String: JSON] {
    ["resample_probability": .number(resampleProbability),
     "perturb_factors": .array([.number(perturbFactors.0), .number(perturbFactors.1)])]
  }

  public func perturb(_ c: Config, _ g: Generator) -> Config {
    var out = c
    for p in space.parameters {
      guard let v = c[p.key] else { continue }
      if g.bernoulli(resampleProbability) {
        out[p.key] = p.sample(g)
      } else if !p.choices.isEmpty {
        let i = p.choices.firstIndex { $0.matches(v) } ?? 0
        let shift = g.bernoulli(0.5) ? -1 : 1
        out[p.key] = p.choices[min(max(i + shift, 0), p.choices.count - 1)]
      } else if let (lo, hi) = p.bounds, let x = v.number {
        let f = g.bernoulli(0.5) ? perturbFactors.0 : perturbFactors.1
        let y = min(max(x * f, lo), hi)
        if case .int = v { out[p.key] = .int(Int(y.rounded())) } else { out[p.key] = .double(y) }
      }
    }
    // Conditions or forbidden clauses: let the codec switch children on/off and steer
    // away from forbidden combinations.
    if !space.conditions.isEmpty || !space.forbidden.isEmpty { return space.decode(space.encode(out)) }
    return out
  }
}
