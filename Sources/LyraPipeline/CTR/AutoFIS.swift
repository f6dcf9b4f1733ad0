import LyraBase
import LyraData
import LyraNets

/// AutoFIS (Liu et al., "AutoFIS: Automatic Feature Interaction Selection in Factorization
/// Models for Click-Through Rate Prediction", KDD 2020) as VEGA runs it in two stages:
///
/// 1. search (VEGA's AutoGateGrdaS1TrainerCallback): an AutoGate network with a gate on
///    every second-order interaction; GRDA (`struct_lr`, `c`, `mu`) trains the gates, Adam
///    (`net_lr`) the rest; gates GRDA left at exactly 0 are pruned (and, with `fis_ratio`,
///    only that fraction of the pairs with the largest |gate| is kept);
/// 2. retrain (AutoGateGrdaS2TrainerCallback): a fresh AutoGate network over the kept pairs only.
public struct AutoFIS {
  public var embedDim = 4
  public var hiddenDims: [Int] = []
  public var batchSize = 256
  public var searchEpochs = 2
  public var retrainEpochs = 3
  /// VEGA's `net_optim.net_lr`.
  public var netLR = 1e-2
  /// VEGA's `struc_optim.struct_lr`, `c`, `mu`.
  public var structLR = 0.1
  public var c = 0.1
  public var mu = 0.75
  /// Keep at most this fraction of all pairs (largest |gate| first); nil: every non-zero gate.
  public var fisRatio: Double?
  /// Epochs before the gate search in which every gate is open (α = 1, trained by Adam):
  /// Lyra's addition. Why: with random embeddings the normalised pair products are noise,
  /// and GRDA's threshold (∝ n^mu) is harshest relative to the gates' linear growth at the
  /// start, so a planted pair could be pruned before its embeddings carried it; after one
  /// open epoch the products are informative from GRDA's first step (measured on the
  /// planted data: without it precision fell to 0.2–0.7 at any c that pruned).
  public var warmupEpochs = 1
  /// VEGA's `alpha_init_mean` for the search's gates.
  public var alphaInitMean = 0.0
  public var seed: UInt64 = 0
  public init() {}

  /// Stage 1: the kept pairs and their gates, pair order.
  public func search(_ train: CTRDataset) throws -> [(pair: (Int, Int), alpha: Float)] {
    var o = CTRNetwork.Options()
    o.hiddenDims = hiddenDims
    o.alphaInitMean = alphaInitMean
    let net = try CTRNetwork(.autoGate, inputDim: train.inputDim, fields: train.fieldCount, embedDim: embedDim, options: o,
                             generator: Generator(seed: seed).split(stream: 10))
    if warmupEpochs > 0, let a = net.alpha {
      a.storage.floats.update(repeating: 1, count: a.count)
      try CTRFit.train(net, ids: train.ids, labels: train.labels, epochs: warmupEpochs, batchSize: batchSize, lr: netLR, seed: seed &+ 7)
      a.storage.floats.update(repeating: Float(alphaInitMean), count: a.count)
    }
    try CTRFit.train(net, ids: train.ids, labels: train.labels, epochs: searchEpochs, batchSize: batchSize, lr: netLR,
                     grda: (structLR, c, mu), seed: seed)
    var kept = net.keptPairs()
    if let r = fisRatio {
      let k = Int(Double(net.pairs.count) * min(1, max(0, r)))
      kept = Array(kept.sorted { abs($0.alpha) > abs($1.alpha) }.prefix(k)).sorted { ($0.pair.0, $0.pair.1) < ($1.pair.0, $1.pair.1) }
    }
    return kept
  }

  /// Stage 2: an AutoGate network over `pairs`, trained afresh.
  public func retrain(_ train: CTRDataset, pairs: [(Int, Int)]) throws -> CTRNetwork {
    var o = CTRNetwork.Options()
    o.hiddenDims = hiddenDims
    o.selectedPairs = pairs
    o.emptyMeansNone = true
    o.alphaInitMean = 1
    let net = try CTRNetwork(.autoGate, inputDim: train.inputDim, fields: train.fieldCount, embedDim: embedDim, options: o,
                             generator: Generator(seed: seed).split(stream: 11))
    try CTRFit.train(net, ids: train.ids, labels: train.labels, epochs: retrainEpochs, batchSize: batchSize, lr: netLR, seed: seed &+ 1)
    return net
  }
}
