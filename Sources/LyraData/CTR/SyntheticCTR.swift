import Foundation
import LyraBase

/// A CTR data set with *planted* pairwise interactions, the ground truth AutoFIS must
/// recover: logit = bias + Σ_f w_f[x_f] + strength · Σ_{(i,j) planted} ⟨u_i[x_i], u_j[x_j]⟩,
/// click ~ Bernoulli(sigmoid(logit)). Values are uniform per field; first-order weights
/// ~ N(0, firstOrder²); latent vectors u ~ N(0, 1/latentDim) so each planted term has
/// unit variance before `strength`.
///
/// Why latent dot products: an FM-style interaction ⟨e_i, e_j⟩ can represent them exactly,
/// so a gate's only job is to say *whether* a pair matters, which is what is tested.
/// Deterministic from `seed` (Lyra's counter-based generator).
public struct SyntheticCTR {
  public var fields = 8
  /// Distinct values per field (each field also gets an OOV id, never drawn).
  public var cardinality = 10
  public var samples = 20000
  /// How many distinct pairs to plant (drawn from the seed) unless `pairs` names them.
  public var plantedCount = 3
  public var pairs: [(Int, Int)]?
  public var latentDim = 2
  public var strength = 1.5
  public var firstOrder = 0.3
  public var bias = -0.5
  public var seed: UInt64 = 0
  /// The generator stream the samples come from (the model's weights come from another):
  /// a test split is another stream over the same planted model.
  public var sampleStream: UInt64 = 3

  public init() {}

  /// The planted pairs (i < j), sorted.
  public func plantedPairs() throws -> [(Int, Int)] {
    guard fields >= 2 else { throw DataError(file: "synthetic", "fields: need at least 2, got \(fields)") }
    if let pairs {
      for (i, j) in pairs where !(0 <= i && i < j && j < fields) {
        throw DataError(file: "synthetic", "planted pair (\(i), \(j)): need 0 ≤ i < j < fields (\(fields))")
      }
      return pairs.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }
    let all = fields * (fields - 1) / 2
    guard plantedCount >= 0, plantedCount <= all else {
      throw DataError(file: "synthetic", "planted: \(plantedCount) pairs asked, \(all) exist for \(fields) fields")
    }
    let g = Generator(seed: seed).split(stream: 1)
    var chosen = Set<[Int]>()
    while chosen.count < plantedCount {
      let a = g.int(below: fields), b = g.int(below: fields)
      if a != b { chosen.insert([min(a, b), max(a, b)]) }
    }
    return chosen.map { ($0[0], $0[1]) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
  }

  /// Draws the data set.
  public func make() throws -> CTRDataset {
    guard cardinality >= 1, samples >= 1, latentDim >= 1 else {
      throw DataError(file: "synthetic", "cardinality, samples and latent_dim must be positive")
    }
    let planted = try plantedPairs()
    let g = Generator(seed: seed).split(stream: 2)
    let w = (0..<fields).map { _ in (0..<cardinality).map { _ in firstOrder * g.normal() } }
    let scale = 1 / Double(latentDim).squareRoot()
    let u = (0..<fields).map { _ in (0..<cardinality).map { _ in (0..<latentDim).map { _ in scale * g.normal() } } }
    let d = Generator(seed: seed).split(stream: sampleStream)
    var ids = [Int32](), labels = [Int32]()
    ids.reserveCapacity(samples * fields)
    var x = [Int](repeating: 0, count: fields)
    for _ in 0..<samples {
      var logit = bias
      for f in 0..<fields {
        x[f] = d.int(below: cardinality)
        logit += w[f][x[f]]
        ids.append(Int32(f * (cardinality + 1) + 1 + x[f]))  // id 0 of each field: OOV
      }
      for (i, j) in planted {
        var dot = 0.0
        for k in 0..<latentDim { dot += u[i][x[i]][k] * u[j][x[j]][k] }
        logit += strength * dot
      }
      labels.append(d.nextDouble() < 1 / (1 + Foundation.exp(-logit)) ? 1 : 0)
    }
    return try CTRDataset(fieldNames: (0..<fields).map { "f\($0)" }, fieldSizes: Array(repeating: cardinality + 1, count: fields), ids: ids, labels: labels)
  }
}
