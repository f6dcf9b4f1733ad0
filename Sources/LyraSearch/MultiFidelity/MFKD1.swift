import Foundation
import LyraBase
import LyraSpace

/// MFKD1, as VEGA's `vega/algorithms/nas/mfkd/mfkd.py` runs it: a search space given as
/// per-key choice lists (`SimpleCnnMFKD`'s `conv_layer_0.kernel_size: [1, 3, 5]`, ...),
/// every combination an architecture.
///
/// 1. `maxSamples` distinct architectures are drawn uniformly from all combinations and
///    trained (in any order, in parallel if the runner likes);
/// 2. a Gaussian process with an RBF kernel (VEGA: sklearn's
///    `GaussianProcessRegressor(kernel=RBF(1.0))`, its length scale fitted by maximum
///    likelihood) is fitted to their scores, each architecture encoded as its chosen
///    values (numbers as themselves, booleans 0/1, other values by position) and every
///    coordinate standardised over all combinations (VEGA's `preprocessing.scale`);
/// 3. the architecture with the largest predicted score over *all* combinations is the
///    answer.
///
/// Despite the name, VEGA's MFKD1 does no knowledge distillation and uses one fidelity:
/// it is random sampling plus a GP's pick. Where Lyra differs: VEGA records the GP's pick
/// with a placeholder accuracy of 100 (its report's best is then a number nobody
/// measured); Lyra trains the pick as one last trial, so its score is real (no extra
/// trial when the pick was one of the samples). Scores are the first objective,
/// direction-adjusted and standardised (sklearn's `normalize_y`; VEGA leaves it off, which
/// suits raw accuracies near 1 only); failed samples are left out of
/// the fit.
public final class MFKD1: SearchBase {
  /// One searched key and its choices.
  public struct Choice: Equatable {
    public var key: String
    public var values: [ParamValue]
    public init(key: String, values: [ParamValue]) {
      self.key = key
      self.values = values
    }
  }

  /// The largest number of combinations (VEGA enumerates them all too; the GP's pick
  /// scores each once).
  public static let maxCombinations = 1 << 24
  /// The most samples: the GP's covariance is max_samples² numbers and its factorisation
  /// max_samples³/3 operations (2,048: a 32 MiB matrix, 2.9·10⁹ multiply-adds).
  public static let maxSamplesLimit = 2048

  public let choices: [Choice]
  /// Keys every trial carries unchanged (the network's type, ...).
  public let fixed: Config
  public let maxSamples: Int
  public let seed: UInt64
  /// The number of combinations.
  public let combinations: Int
  /// The sampled combinations, in trial order.
  public let samples: [Int]
  private var issued = 0
  private var indexOf: [Int: Int] = [:]
  private var scores: [Int: Double] = [:]
  private var told = 0
  /// The GP's pick, once all samples are told (nil before).
  public private(set) var pick: Int?
  private var pickIssued = false
  private let mean: [Double], sd: [Double]

  public init(choices: [Choice], fixed: Config = [:], objectives: [Objective] = [Objective("accuracy", .maximize)],
              seed: UInt64 = 0, maxSamples: Int = 5) throws {
    guard !choices.isEmpty else { throw SpaceError("MFKD1 needs at least one key with a list of choices") }
    var total = 1
    for c in choices {
      guard !c.values.isEmpty else { throw SpaceError("\(c.key): an empty list of choices") }
      total *= c.values.count
      guard total <= MFKD1.maxCombinations else {
        throw SpaceError("the search space has more than \(MFKD1.maxCombinations) combinations; MFKD1 scores every one (give fewer choices)")
      }
    }
    guard (1...MFKD1.maxSamplesLimit).contains(maxSamples) else {
      throw SpaceError("max_samples must be in 1…\(MFKD1.maxSamplesLimit), got \(maxSamples)")
    }
    self.choices = choices
    self.fixed = fixed
    self.seed = seed
    self.combinations = total
    self.maxSamples = min(maxSamples, total)
    // Distinct uniform draws (VEGA: np.random.choice(..., replace=False)).
    let g = Generator(seed: seed)
    var picked: [Int] = [], seen = Set<Int>()
    while picked.count < self.maxSamples {
      let i = g.int(below: total)
      if seen.insert(i).inserted { picked.append(i) }
    }
    samples = picked
    let numeric = choices.map { c in c.values.enumerated().map { MFKD1.number($1, position: $0) } }
    mean = numeric.map { $0.reduce(0, +) / Double($0.count) }
    sd = zip(numeric, mean).map { v, m in (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)).squareRoot() }
    super.init(objectives: objectives)
  }

  /// The choice lists of a space whose parameters are all CATEGORY or BOOL (the
  /// `hyperparameters` form of MFKD1's space, and Lua's `lyra.search.mfkd{space = ...}`).
  public static func choices(of space: SearchSpace) throws -> [Choice] {
    try space.parameters.map { p in
      guard !p.choices.isEmpty else { throw SpaceError("MFKD1 needs CATEGORY or BOOL hyperparameters (choice lists); '\(p.key)' is \(p.type)") }
      return Choice(key: p.key, values: p.choices)
    }
  }

  static func number(_ v: ParamValue, position: Int) -> Double { v.number ?? Double(position) }

  /// The choice positions of combination `index` (the first key varies slowest, as
  /// itertools.product).
  public func positions(_ index: Int) -> [Int] {
    var rest = index, out = [Int](repeating: 0, count: choices.count)
    for j in choices.indices.reversed() {
      out[j] = rest % choices[j].values.count
      rest /= choices[j].values.count
    }
    return out
  }

  /// The trial config of combination `index`.
  public func config(_ index: Int) -> Config {
    var c = fixed
    for (j, p) in positions(index).enumerated() { c[choices[j].key] = choices[j].values[p] }
    return c
  }

  func features(_ index: Int) -> [Double] {
    positions(index).enumerated().map { j, p in
      sd[j] > 0 ? (MFKD1.number(choices[j].values[p], position: p) - mean[j]) / sd[j] : 0
    }
  }

  public override func propose() -> Trial? {
    if issued < samples.count {
      let t = newTrial(config(samples[issued]))
      indexOf[t.id] = samples[issued]
      issued += 1
      return t
    }
    guard told == samples.count, !pickIssued, let p = pick, !samples.contains(p) else { return nil }
    pickIssued = true
    let t = newTrial(config(p))
    indexOf[t.id] = p
    return t
  }

  public override func observe(_ trial: Trial, _ result: TrialResult) {
    guard let i = indexOf[trial.id], samples.contains(i), scores[i] == nil else { return }
    told += 1
    if let l = history.loss(trial.id), l.isFinite { scores[i] = -l }
    if told == samples.count { pick = bestPredicted() }
  }

  /// The combination with the largest GP mean (nil when no sample has a score).
  func bestPredicted() -> Int? {
    let idx = samples.filter { scores[$0] != nil }
    guard !idx.isEmpty else { return nil }
    let x = idx.map(features), raw = idx.map { scores[$0]! }
    // Standardised scores (sklearn's normalize_y): the kernel's amplitude is fixed at 1,
    // so the scores must have variance about 1 for the fitted length scale to mean anything.
    let m = raw.reduce(0, +) / Double(raw.count)
    let s = (raw.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(raw.count)).squareRoot()
    // Equal scores leave nothing to model, and scores so extreme that their spread
    // overflows cannot be standardised: the best sample is the answer.
    guard m.isFinite, s.isFinite, s > 0 else { return idx.max { scores[$0]! < scores[$1]! } }
    let y = raw.map { ($0 - m) / s }
    // The RBF length scale by maximum likelihood in sklearn's bounds [1e-5, 1e5].
    let fit = NelderMead.minimize({ t in
      -GaussianProcess.logMarginalLikelihood(points: x, targets: y, kernel: KernelParameters(noise: 0, amplitude: 1, lengthScale: exp(t[0])))
    }, start: [0], lower: [log(1e-5)], upper: [log(1e5)], step: 1, maxEvaluations: 100)
    guard let gp = GaussianProcess(points: x, targets: y, kernel: KernelParameters(noise: 0, amplitude: 1, lengthScale: exp(fit.x[0])))
    else { return idx.max { scores[$0]! < scores[$1]! } }
    // Scored in chunks, so 16M combinations never sit in memory at once.
    var best = -1, bestMean = -Double.infinity
    var start = 0
    while start < combinations {
      let end = min(start + 4096, combinations)
      for (k, m) in gp.mean((start..<end).map(features)).enumerated() where m > bestMean { (best, bestMean) = (start + k, m) }
      start = end
    }
    // No finite prediction: the best sample.
    return best >= 0 ? best : idx.max { scores[$0]! < scores[$1]! }
  }

  public override var exhausted: Bool {
    issued >= samples.count && told == samples.count && (pickIssued || pick.map(samples.contains) ?? true)
  }

  public override var settings: JSON {
    .object(["algorithm": .string("mfkd1"), "seed": StateCodec.uint64(seed), "max_samples": JSON(maxSamples),
             "choices": .array(choices.map { c in .object(["key": .string(c.key), "values": .array(c.values.map(\.json))]) }),
             "fixed": .object(fixed.mapValues(\.json))])
  }
}
