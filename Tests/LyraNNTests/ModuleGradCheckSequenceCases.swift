import LyraTensor
import XCTest
@testable import LyraNN

/// Gradient checks of the sequence modules. Besides `forward` (the output sequence),
/// each is checked through a wrapper that returns every result joined into one tensor
/// (output, final states, attention weights) and holds the extra inputs (initial states,
/// key, value) as its parameters, so their gradients are checked too.
extension ModuleGradCases {
  static let sequence: [String: () throws -> Void] = [
    "LSTM": {
      let c = ModuleGradCheck()
      try c.check(LSTM(3, 4, generator: Generator(seed: 1)), GradData.tensor([5, 2, 3], seed: 2))
      let deep = LSTM(3, 4, numLayers: 2, batchFirst: true, generator: Generator(seed: 3))
      try c.check(AllResults(deep, stateShape: [2, 2, 4], seed: 4), GradData.tensor([2, 4, 3], seed: 5))
      try c.check(AllResults(LSTM(2, 3, bias: false, generator: Generator(seed: 6)), stateShape: [1, 3], seed: 7),
                  GradData.tensor([4, 2], seed: 8)) // unbatched
      // Dropout between the layers, with a fixed mask: the generator is re-seeded before every forward.
      let g = Generator(seed: 9)
      try c.check(LSTM(3, 4, numLayers: 2, dropout: 0.4, generator: g), GradData.tensor([3, 2, 3], seed: 10), reset: { g.manualSeed(9) })
    },
    "GRU": {
      let c = ModuleGradCheck()
      try c.check(GRU(3, 4, generator: Generator(seed: 1)), GradData.tensor([5, 2, 3], seed: 2))
      try c.check(AllResults(GRU(3, 4, numLayers: 2, batchFirst: true, generator: Generator(seed: 3)), stateShape: [2, 2, 4], seed: 4),
                  GradData.tensor([2, 4, 3], seed: 5))
    },
    "RNN": {
      let c = ModuleGradCheck()
      try c.check(RNN(3, 4, generator: Generator(seed: 1)), GradData.tensor([5, 2, 3], seed: 2))
      try c.check(AllResults(RNN(3, 4, numLayers: 2, generator: Generator(seed: 3)), stateShape: [2, 2, 4], seed: 4),
                  GradData.tensor([3, 2, 3], seed: 5))
      // relu: inputs are kept off the kink by the seeded weights; a few one-sided matches allowed.
      try ModuleGradCheck(kinkFraction: 0.05).check(RNN(3, 4, nonlinearity: "relu", generator: Generator(seed: 6)),
                                                    GradData.tensor([4, 2, 3], seed: 7))
    },
    "MultiheadAttention": {
      let c = ModuleGradCheck()
      let a = MultiheadAttention(6, 2, generator: Generator(seed: 1))
      GradData.randomize(a, seed: 2) // non-zero biases
      try c.check(a, GradData.tensor([4, 2, 6], seed: 3)) // self-attention, [L, N, E]
      let b = MultiheadAttention(6, 3, batchFirst: true, generator: Generator(seed: 4))
      GradData.randomize(b, seed: 5)
      try c.check(CrossAttention(b, keyShape: [2, 5, 6], mask: GradData.tensor([3, 5], seed: 6), padding: GradData.tensor([2, 5], seed: 11), seed: 7),
                  GradData.tensor([2, 3, 6], seed: 8))
      try c.check(CrossAttention(b, keyShape: [2, 3, 6], mask: nil, causal: true, seed: 9), GradData.tensor([2, 3, 6], seed: 10))
    },
    "TransformerEncoderLayer": {
      let c = ModuleGradCheck()
      for normFirst in [false, true] {
        let e = TransformerEncoderLayer(6, 2, dimFeedforward: 5, dropout: 0, activation: normFirst ? "gelu" : "relu",
                                        batchFirst: normFirst, normFirst: normFirst, generator: Generator(seed: 1))
        GradData.randomize(e, seed: 2)
        // relu in the feed-forward network: a few one-sided matches allowed.
        try ModuleGradCheck(kinkFraction: normFirst ? 0 : 0.05).check(e, GradData.tensor([3, 2, 6], seed: 3))
      }
      // With dropout, in evaluation mode (the identity).
      try c.check(TransformerEncoderLayer(4, 1, dimFeedforward: 3, activation: "gelu", generator: Generator(seed: 4)).eval(),
                  GradData.tensor([3, 4], seed: 5))
    },
    "TransformerEncoder": {
      let layer = TransformerEncoderLayer(4, 2, dimFeedforward: 5, dropout: 0, activation: "gelu", batchFirst: true,
                                          generator: Generator(seed: 1))
      let e = try TransformerEncoder(layer, numLayers: 2, norm: true)
      GradData.randomize(e, seed: 2) // the copies differ from here on
      try ModuleGradCheck().check(e, GradData.tensor([2, 3, 4], seed: 3))
    },
  ]
}

/// A recurrent layer's every result, flattened and joined: output, h_n (and c_n); the
/// initial states are this module's parameters `h0` (and `c0`).
final class AllResults: Module {
  let layer: RecurrentLayer
  init(_ layer: RecurrentLayer, stateShape: [Int], seed: UInt64) {
    self.layer = layer
    super.init()
    register(child: "layer", layer)
    register(parameter: "h0", GradData.tensor(stateShape, seed: seed))
    if layer is LSTM { register(parameter: "c0", GradData.tensor(stateShape, seed: seed + 1)) }
  }
  override func forward(_ x: Tensor) throws -> Tensor {
    let r = try layer.run(x, h0: ownParameters[0].tensor, c0: ownParameters.count > 1 ? ownParameters[1].tensor : nil)
    return Tensor.cat([r.output.flatten(), r.h.flatten()] + (r.c.map { [$0.flatten()] } ?? []))
  }
}

/// Attention of the input over a key and value held as parameters, with a fixed mask:
/// output and averaged weights joined.
final class CrossAttention: Module {
  let attention: MultiheadAttention
  let mask: Tensor?
  let causal: Bool
  let padding: Tensor?
  init(_ attention: MultiheadAttention, keyShape: [Int], mask: Tensor?, padding: Tensor? = nil, causal: Bool = false, seed: UInt64) {
    self.attention = attention
    self.mask = mask
    self.padding = padding
    self.causal = causal
    super.init()
    register(child: "attention", attention)
    register(parameter: "key", GradData.tensor(keyShape, seed: seed))
    register(parameter: "value", GradData.tensor(keyShape, seed: seed + 1))
  }
  override func forward(_ x: Tensor) throws -> Tensor {
    let r = try attention.attend(x, ownParameters[0].tensor, ownParameters[1].tensor, mask: mask, keyPaddingMask: padding, isCausal: causal)
    return Tensor.cat([r.output.flatten(), r.weights.flatten()])
  }
}
