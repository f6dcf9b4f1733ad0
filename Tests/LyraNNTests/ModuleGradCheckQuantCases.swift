import LyraKernels
import LyraTensor
import XCTest
@testable import LyraNN

/// Gradient checks of the quantised layers. Rounding has no derivative, so the layers
/// define one: the straight-through estimator (the weight's gradient is the float
/// layer's gradient at the quantised weight) and, for quantised inputs, the clipped one
/// (the float layer's input gradient at the quantised input, zero outside the range).
/// Both are checked against finite differences of the float twin that computes with the
/// quantised values; the bias, and the input without activation quantisation, are also
/// checked against differences of the quantised layer itself.
extension ModuleGradCases {
  static let quantised: [String: () throws -> Void] = [
    "QuantConv2d": {
      try checkQuantised(QuantConv2d(Conv2d(3, 4, 3, stride: 2, padding: 1, generator: Generator(seed: 1)), bits: 4),
                         GradData.tensor([2, 3, 7, 5], seed: 2)) { ($0 as! QuantConv2d).float() }
      try checkQuantised(QuantConv2d(Conv2d(5, 5, 3, padding: 1, groups: 5, generator: Generator(seed: 3)), bits: 3,
                                     activationBits: 4), GradData.tensor([1, 5, 5, 7], seed: 4)) { ($0 as! QuantConv2d).float() }
      try checkQuantised(QuantConv2d(Conv2d(7, 3, 1, bias: false, generator: Generator(seed: 5)), bits: 8, activationBits: 6),
                         GradData.tensor([2, 7, 3, 5], seed: 6)) { ($0 as! QuantConv2d).float() }
    },
    "QuantLinear": {
      try checkQuantised(QuantLinear(Linear(5, 3, generator: Generator(seed: 1)), bits: 4), GradData.tensor([2, 5], seed: 2)) {
        ($0 as! QuantLinear).float()
      }
      try checkQuantised(QuantLinear(Linear(7, 4, bias: false, generator: Generator(seed: 3)), bits: 2, activationBits: 5),
                         GradData.tensor([1, 7], seed: 4)) { ($0 as! QuantLinear).float() }
    },
  ]

  /// `float` gives the float layer with the same (unquantised) weights.
  static func checkQuantised(_ q: some QuantizedLayer, _ x: Tensor, float: (Module) -> Module) throws {
    let c = ModuleGradCheck()
    q.eval()
    // The float twin computing with the quantised weight.
    let twin = float(q)
    let effective = q.effectiveWeight()
    for (name, t) in twin.namedParameters() where name == "weight" {
      for i in 0..<t.count { t.data[i] = effective.data[i] }
    }
    guard let bits = q.activationBits else {
      try c.check(q, x, skip: ["weight"]) // input and bias: exact derivatives
      try c.check(q, x, reference: twin) // weight: the straight-through estimator
      return
    }
    // A calibrated input range narrower than the data, so some inputs are clipped; in
    // training the range first moves towards the batch's (Jacob et al.'s moving average).
    let range = q.namedBuffers().first { $0.name == "activation_range" }!.tensor
    for training in [false, true] {
      q.train(training)
      range.data[0] = -0.6
      range.data[1] = 0.7
      let used = range.clone() // the range the forward pass quantises with, once it is updated
      let xq = Tensor.noGrad { FakeQuant.activation(x, range: used, bits: bits, training: training) }
      let (s, z) = QuantScheme.affineParameters(lo: used.data[0], hi: used.data[1], bits: bits)
      let lo = -z * s, hi = (Float((1 << bits) - 1) - z) * s
      let xs = x.toArray()
      let mask = xs.map { $0 >= lo && $0 <= hi ? Float(1) : 0 }
      XCTAssertTrue(mask.contains(0) && mask.contains(1), "some inputs clipped, some not")
      XCTAssertNotEqual(xq.toArray(), xs, "the input is quantised")
      if q.bias != nil { try c.check(q, x, skip: ["weight", "input"]) } // bias: exact
      try c.check(q, x, reference: twin, referenceInput: xq, inputMask: mask)
    }
  }
}
