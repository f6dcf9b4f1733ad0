import LyraBase
import LyraSpace

/// BOHB (Falkner, Klein, Hutter, "BOHB: Robust and Efficient Hyperparameter Optimization
/// at Scale", ICML 2018), as HpBandSter 0.7.4 implements it: HpBandSter's Hyperband
/// schedule, with rung-0 configs proposed by a TPE-like model instead of the prior.
///
/// Model (HpBandSter's `BOHB` config generator, docs/algorithms/bohb.md):
/// - Results are stored per budget in the unit cube (log parameters already in log
///   space via `SearchSpace.encode`; categorical coordinates as the choice index). A
///   budget below the largest budget that has a model stops receiving data.
/// - After each result at budget b with at least `minPointsInModel` points: sort by loss;
///   good = the first max(m, ⌊15%·N⌋), bad = the next max(m, ⌊85%·N⌋); inactive
///   coordinates are imputed from a random row where they are active (or uniformly);
///   fit `ProductKDE`s l (good) and g (bad) unless either has ≤ d rows.
/// - Proposal: uniform from the prior when no model exists or with probability
///   `randomFraction`; otherwise from the largest budget's model, `numSamples`
///   candidates, each around a random good point: continuous coordinates from a normal
///   truncated to [0,1] with sd = `bandwidthFactor`·bw, categorical ones keep the value
///   with probability 1−bw else uniform; return argmin max(g,1e-32)/max(l,1e-32) (a
///   non-finite ratio with finite l is taken at once, as HpBandSter does).
///
/// Differences from HpBandSter, on purpose: the imputation fills every inactive
/// coordinate (HpBandSter's `while np.any(nan_indices)` skips coordinate 0), ties in
/// the loss sort go to the earlier result, and discrete (`.discrete`) coordinates are
/// modelled as continuous, as ConfigSpace does for integers.
public final class BOHB: Hyperband {
  public let minPointsInModel: Int
  public let topNPercent: Int
  public let numSamples: Int
  public let randomFraction: Double
  public let bandwidthFactor: Double
  public let minBandwidth: Double
  /// Per coordinate: 0 continuous, else the number of choices.
  public let vartypes: [Int]
  /// numpy's global RNG in HpBandSter: model draws (the prior uses `streams`).
  private let modelRNG: Generator
  private var data: [Double: (vectors: [[Double]], losses: [Double])] = [:]
  /// The good/bad densities per budget.
  public private(set) var models: [Double: (good: ProductKDE, bad: ProductKDE)] = [:]
  /// How the last rung-0 config was chosen, and its g/l when model-based.
  public private(set) var lastProposal: (modelBased: Bool, ratio: Double?) = (false, nil)

  public init(space: SearchSpace, objectives: [Objective] = [Objective("loss")], seed: UInt64 = 0, minBudget: Double, maxBudget: Double,
              eta: Int = 3, iterations: Int? = nil, minPointsInModel: Int? = nil, topNPercent: Int = 15, numSamples: Int = 64,
              randomFraction: Double = 1.0 / 3, bandwidthFactor: Double = 3, minBandwidth: Double = 1e-3, overlapBrackets: Bool = false) {
    let d = space.dimensions.count
    self.minPointsInModel = max(minPointsInModel ?? d + 1, d + 1)
    self.topNPercent = topNPercent
    self.numSamples = numSamples
    self.randomFraction = randomFraction
    self.bandwidthFactor = bandwidthFactor
    self.minBandwidth = minBandwidth
    self.vartypes = space.dimensions.map {
      if case .categorical(let n) = $0.kind { return n }
      return 0
    }
    self.modelRNG = Generator(seed: seed).split(stream: 0xB0B)
    super.init(space: space, objectives: objectives, seed: seed, minBudget: minBudget, maxBudget: maxBudget, eta: eta,
               variant: .hpbandster, iterations: iterations, overlapBrackets: overlapBrackets)
  }

  /// The largest budget with a model (the one proposals use).
  public var modelBudget: Double? { models.keys.max() }

  // MARK: coordinates

  /// Config → BOHB's vector: continuous in [0,1], categorical as the choice index, NaN
  /// where inactive.
  public func vector(_ config: Config) -> [Double] {
    let u = space.encode(config)
    return u.indices.map { j in
      let t = vartypes[j]
      guard t > 0, !u[j].isNaN else { return u[j] }
      return t > 1 ? (u[j] * Double(t - 1)).rounded() : 0
    }
  }

  func config(_ v: [Double]) -> Config {
    space.decode(v.indices.map { j in
      let t = vartypes[j]
      return t > 1 ? v[j] / Double(t - 1) : (t == 1 ? 0 : v[j])
    })
  }

  // MARK: proposals

  /// g/l of a config under the current largest-budget model (nil without a model).
  public func ratio(_ config: Config) -> Double? {
    guard let b = modelBudget, let m = models[b] else { return nil }
    return BOHB.ratio(m, vector(config))
  }

  /// Python's max(a, b): b only if b > a, so max(1e-32, NaN) = 1e-32 and max(NaN, 1e-32) = NaN.
  @inline(__always) static func pyMax(_ a: Double, _ b: Double) -> Double { b > a ? b : a }

  static func ratio(_ m: (good: ProductKDE, bad: ProductKDE), _ v: [Double]) -> Double {
    pyMax(1e-32, m.bad.pdf(v)) / pyMax(m.good.pdf(v), 1e-32)
  }

  public override func sampleConfig(budget: Double) -> Config {
    guard let mb = modelBudget, let m = models[mb], modelRNG.nextDouble() >= randomFraction else {
      lastProposal = (false, nil)
      return super.sampleConfig(budget: budget)
    }
    var best = Double.infinity
    var bestVector: [Double]? = nil
    for _ in 0..<numSamples {
      let datum = m.good.data[modelRNG.int(below: m.good.data.count)]
      var v: [Double] = []
      v.reserveCapacity(datum.count)
      for j in datum.indices {
        let bw = max(m.good.bandwidths[j], minBandwidth)
        if vartypes[j] == 0 {
          v.append(truncatedNormal(mean: datum[j], sd: bandwidthFactor * bw))
        } else if modelRNG.nextDouble() < 1 - bw {
          v.append(datum[j].rounded(.towardZero))
        } else {
          v.append(Double(modelRNG.int(below: vartypes[j])))
        }
      }
      let val = BOHB.ratio(m, v)
      if !val.isFinite {
        // A categorical level absent from the bad KDE: HpBandSter evaluates it at once.
        if m.good.pdf(v).isFinite { bestVector = v; best = val; break }
      }
      if val < best { best = val; bestVector = v }
    }
    guard let v = bestVector else {
      lastProposal = (false, nil)
      return super.sampleConfig(budget: budget)
    }
    lastProposal = (true, best)
    return config(v)
  }

  /// A normal truncated to [0, 1] by rejection (exact; the acceptance probability is at
  /// least ~1/4 for a mean inside the interval at BOHB's bandwidths).
  private func truncatedNormal(mean: Double, sd: Double) -> Double {
    for _ in 0..<1000 {
      let x = mean + sd * modelRNG.normal()
      if x >= 0 && x <= 1 { return x }
    }
    return min(max(mean, 0), 1)
  }

  // MARK: results

  public override func observe(_ trial: Trial, _ result: TrialResult) {
    super.observe(trial, result)
    guard let budget = trial.budget else { return }
    if let top = modelBudget, top > budget { return }
    let loss = history.loss(trial.id) ?? .infinity
    var entry = data[budget] ?? ([], [])
    entry.vectors.append(vector(trial.config))
    entry.losses.append(loss)
    data[budget] = entry
    let n = entry.vectors.count
    guard n >= minPointsInModel else { return }
    let nGood = max(minPointsInModel, topNPercent * n / 100)
    let nBad = max(minPointsInModel, (100 - topNPercent) * n / 100)
    let idx = Ranking.order(entry.losses)
    let good = impute(idx.prefix(nGood).map { entry.vectors[$0] })
    let bad = impute(idx.dropFirst(nGood).prefix(nBad).map { entry.vectors[$0] })
    let d = vartypes.count
    guard good.count > d, bad.count > d else { return }
    models[budget] = (ProductKDE(data: good, types: vartypes, minBandwidth: minBandwidth),
                      ProductKDE(data: bad, types: vartypes, minBandwidth: minBandwidth))
  }

  /// HpBandSter's `impute_conditional_data`: each NaN coordinate takes the value of a
  /// random row where it is active (all of that row's coordinates the datum lacks), or a
  /// uniform value when no row has it.
  private func impute(_ rows: [[Double]]) -> [[Double]] {
    rows.map { row in
      var datum = row
      while let j = datum.firstIndex(where: \.isNaN) {
        let valid = rows.indices.filter { !rows[$0][j].isNaN }
        if valid.isEmpty {
          datum[j] = vartypes[j] == 0 ? modelRNG.nextDouble() : Double(modelRNG.int(below: max(vartypes[j], 1)))
        } else {
          let r = rows[valid[modelRNG.int(below: valid.count)]]
          for k in datum.indices where datum[k].isNaN { datum[k] = r[k] }
        }
      }
      return datum
    }
  }

  public override var settings: JSON {
    var o = super.settings.object!
    o["algorithm"] = .string("bohb")
    o["min_points_in_model"] = JSON(minPointsInModel)
    o["top_n_percent"] = JSON(topNPercent)
    o["num_samples"] = JSON(numSamples)
    o["random_fraction"] = StateCodec.double(randomFraction)
    o["bandwidth_factor"] = StateCodec.double(bandwidthFactor)
    o["min_bandwidth"] = StateCodec.double(minBandwidth)
    return .object(o)
  }
}
