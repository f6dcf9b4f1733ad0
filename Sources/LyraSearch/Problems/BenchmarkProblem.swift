import Foundation
import LyraBase
import LyraSpace

/// A test function with a known optimum, as the HPO benchmark (docs/hpo.md) defines the
/// visible HPO benchmarks, so algorithms are checked against known answers and against
/// the reference libraries' numbers.
///
/// Why in the library and not the tests: scripts/bench and Lua examples run the same
/// problems. Noise comes from a caller-supplied Generator (the anchors use numpy's PCG64;
/// distributions, not streams, are compared).
public struct BenchmarkProblem {
  public let name: String
  public let space: SearchSpace
  /// f*, the true optimum (regret = trueLoss(incumbent) − optimum).
  public let optimum: Double
  /// Budget levels for multi-fidelity variants (empty: single fidelity).
  public let budgets: [Double]
  /// Observed loss at a budget (nil = full fidelity), drawing noise from the generator.
  public let observe: (_ config: Config, _ budget: Double?, _ noise: Generator) -> Double
  /// Noise-free loss at full fidelity.
  public let trueLoss: (_ config: Config) -> Double

  public var maxBudget: Double? { budgets.last }
  public var minBudget: Double? { budgets.first }

  public init(name: String, space: SearchSpace, optimum: Double, budgets: [Double] = [],
              observe: @escaping (Config, Double?, Generator) -> Double, trueLoss: @escaping (Config) -> Double) {
    self.name = name
    self.space = space
    self.optimum = optimum
    self.budgets = budgets
    self.observe = observe
    self.trueLoss = trueLoss
  }

  static func float(_ key: String, _ lo: Double, _ hi: Double) -> Hyperparameter {
    try! Hyperparameter(key: key, type: .float, range: [.double(lo), .double(hi)])
  }

  static func number(_ c: Config, _ key: String) -> Double {
    guard let v = c[key]?.number else { preconditionFailure("\(key) missing from \(c)") }
    return v
  }
}

extension BenchmarkProblem {
  /// P1 Branin on x1 ∈ [−5, 10], x2 ∈ [0, 15]; f* = 5/(4π) at three points. No noise.
  public static let branin: BenchmarkProblem = {
    let space = try! SearchSpace(parameters: [float("x1", -5, 10), float("x2", 0, 15)])
    let f: (Config) -> Double = { c in braninValue(number(c, "x1"), number(c, "x2")) }
    return BenchmarkProblem(name: "branin", space: space, optimum: 5 / (4 * Double.pi), observe: { c, _, _ in f(c) }, trueLoss: f)
  }()

  public static func braninValue(_ x1: Double, _ x2: Double) -> Double {
    let a = 1.0, b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, r = 6.0, s = 10.0, t = 1 / (8 * Double.pi)
    let q = x2 - b * x1 * x1 + c * x1 - r
    return a * q * q + s * (1 - t) * cos(x1) + s
  }

  static let hartmannAlpha = [1.0, 1.2, 3.0, 3.2]
  static let hartmannA: [[Double]] = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
  static let hartmannP: [[Double]] = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                                      [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]].map { $0.map { $0 * 1e-4 } }
  public static let hartmannOptimum = -3.3223680114155147

  /// Hartmann-6 at fidelity z ∈ (0, 1]: α'_i = α_i − 0.1·(1 − z) (Kandasamy et al. 2017);
  /// z = 1 is the plain function.
  public static func hartmannValue(_ x: [Double], z: Double = 1) -> Double {
    var f = 0.0
    for i in 0..<4 {
      var e = 0.0
      for j in 0..<6 { let d = x[j] - hartmannP[i][j]; e += hartmannA[i][j] * d * d }
      f -= (hartmannAlpha[i] - 0.1 * (1 - z)) * exp(-e)
    }
    return f
  }

  static let hartmannSpace = try! SearchSpace(parameters: (0..<6).map { float("x\($0)", 0, 1) })
  static func hartmannX(_ c: Config) -> [Double] { (0..<6).map { number(c, "x\($0)") } }

  /// P2 Hartmann-6 on [0,1]^6, f* = −3.32236801141551. No noise.
  public static let hartmann6: BenchmarkProblem = {
    let f: (Config) -> Double = { hartmannValue(hartmannX($0)) }
    return BenchmarkProblem(name: "hartmann6", space: hartmannSpace, optimum: hartmannOptimum, observe: { c, _, _ in f(c) }, trueLoss: f)
  }()

  /// P6 MF-Hartmann-6: budgets 1, 3, 9, 27, 81 (z = b/81); observed f_z(x) + N(0, 0.05)
  /// (variance 0.05) at every evaluation, including z = 1.
  public static let mfHartmann6: BenchmarkProblem = {
    BenchmarkProblem(name: "mf_hartmann6", space: hartmannSpace, optimum: hartmannOptimum, budgets: [1, 3, 9, 27, 81],
                     observe: { c, b, g in hartmannValue(hartmannX(c), z: (b ?? 81) / 81) + 0.05.squareRoot() * g.normal() },
                     trueLoss: { hartmannValue(hartmannX($0)) })
  }()

  static let countingOnesSpace = try! SearchSpace(parameters:
    (0..<8).map { try! Hyperparameter(key: "c\($0)", type: .category, range: [.int(0), .int(1)]) } + (0..<8).map { float("x\($0)", 0, 1) })

  /// −(Σ c_i + Σ B_j/b) with B_j ~ Binomial(b, x_j), drawn in order j = 0…7.
  static func countingOnesObserved(_ c: Config, _ b: Int, _ g: Generator) -> Double {
    var s = 0.0
    for i in 0..<8 { s += number(c, "c\(i)") }
    for j in 0..<8 {
      let p = number(c, "x\(j)")
      var k = 0
      for _ in 0..<b where g.nextDouble() < p { k += 1 }
      s += Double(k) / Double(b)
    }
    return -s
  }

  static func countingOnesTrue(_ c: Config) -> Double { -(0..<8).reduce(0.0) { $0 + number(c, "c\($1)") + number(c, "x\($1)") } }

  /// P3 counting ones 8+8 (Falkner et al. 2018) at full fidelity b = 729; f* = −16.
  public static let countingOnes: BenchmarkProblem = {
    BenchmarkProblem(name: "counting_ones", space: countingOnesSpace, optimum: -16,
                     observe: { c, _, g in countingOnesObserved(c, 729, g) }, trueLoss: countingOnesTrue)
  }()

  /// P7 MF counting ones: observed at b ∈ {9, 27, 81, 243, 729}.
  public static let mfCountingOnes: BenchmarkProblem = {
    BenchmarkProblem(name: "mf_counting_ones", space: countingOnesSpace, optimum: -16, budgets: [9, 27, 81, 243, 729],
                     observe: { c, b, g in countingOnesObserved(c, Int((b ?? 729).rounded()), g) }, trueLoss: countingOnesTrue)
  }()
}
