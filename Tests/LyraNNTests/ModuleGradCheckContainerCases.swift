import LyraKernels
import LyraTensor
import XCTest
@testable import LyraNN

/// Gradient checks of the containers and of the fused paths `Sequential` runs: BN → ReLU
/// (one op, its own backward), Add → ReLU (`Tensor.addRelu`), and eval-mode
/// conv → BN (→ ReLU) folded into one kernel. The finite differences run without
/// gradients, so for the folded path they differentiate the fused kernel while the tape
/// differentiates the unfused ops it falls back to: each checks the other.
extension ModuleGradCases {
  static let containers: [String: () throws -> Void] = [
    "Sequential": {
      // ReLU and max pooling after BN: inputs near a kink cannot be steered, so kinks are allowed.
      let c = ModuleGradCheck(kinkFraction: 0.05)
      for fusion in [false, true] {
        try withFusion(fusion) {
          let net = Sequential([Conv2d(3, 5, 3, padding: 1, generator: Generator(seed: 1)), BatchNorm2d(5), ReLU(),
                                MaxPool2d(2), Flatten(), Linear(5 * 2 * 3, 4, generator: Generator(seed: 2))])
          GradData.randomize(net[1], seed: 3)
          try c.check(net, GradData.tensor([2, 3, 5, 7], seed: 4))
          try c.check(net.eval(), GradData.tensor([1, 3, 5, 7], seed: 5))
        }
      }
      // Named children and a nested Sequential.
      let named = Sequential().add("fc", Linear(5, 3, generator: Generator(seed: 6)))
        .add("body", Sequential([Tanh(), Linear(3, 2, generator: Generator(seed: 7))]))
      try c.check(named, GradData.tensor([2, 5], seed: 8))
    },
    "Add": {
      let c = ModuleGradCheck()
      try c.check(Add([Linear(5, 4, generator: Generator(seed: 1)), Linear(5, 4, bias: false, generator: Generator(seed: 2))]),
                  GradData.tensor([2, 5], seed: 3))
      try c.check(Add([Conv2d(3, 3, 3, padding: 1, generator: Generator(seed: 4)), Identity(), Zero()]),
                  GradData.tensor([1, 3, 5, 7], seed: 5))
      try c.check(Add([Identity()]), GradData.tensor([2, 3], seed: 6)) // one branch
    },
    "Concat": {
      let c = ModuleGradCheck()
      try c.check(Concat([Conv2d(3, 2, 1, generator: Generator(seed: 1)), Conv2d(3, 5, 3, padding: 1, generator: Generator(seed: 2)),
                          Identity()]), GradData.tensor([2, 3, 5, 5], seed: 3))
      try c.check(Concat([Linear(3, 2, generator: Generator(seed: 4)), Sigmoid()], dim: -1), GradData.tensor([1, 3], seed: 5))
    },
    "fused BN → ReLU (training)": {
      let c = ModuleGradCheck(kinkFraction: 0.05)
      for (bn, shape) in [(BatchNorm2d(5) as BatchNorm, [2, 5, 3, 5]), (BatchNorm1d(7), [3, 7])] {
        GradData.randomize(bn, seed: 1)
        try checkFused(Sequential([bn, ReLU()]), GradData.tensor(shape, seed: 2), c)
      }
    },
    "fused BN → ReLU (evaluation, with gradients)": {
      let c = ModuleGradCheck(kinkFraction: 0.05)
      let bn = BatchNorm1d(7)
      GradData.randomize(bn, seed: 1)
      try checkFused(Sequential([Linear(5, 7, generator: Generator(seed: 2)), bn, ReLU()]).eval(), GradData.tensor([2, 5], seed: 3), c)
    },
    "fused Add → ReLU": {
      let c = ModuleGradCheck(kinkFraction: 0.05)
      let block = Sequential([Add([Conv2d(3, 3, 3, padding: 1, generator: Generator(seed: 1)), Identity()]), ReLU()])
      try checkFused(block, GradData.tensor([2, 3, 5, 7], seed: 2), c)
      try checkFused(Sequential([Add([Identity()]), ReLU()]), GradData.tensor([1, 3, 5], seed: 3, gap: 0.01), c)
    },
    "fused conv → BN (→ ReLU) folded in evaluation": {
      // A weight or β moves a whole output plane through the ReLU: more kinks per coordinate.
      let c = ModuleGradCheck(kinkFraction: 0.1)
      for relu in [false, true] {
        for (conv, shape) in [(Conv2d(3, 5, 3, stride: 2, padding: 1, generator: Generator(seed: 1)), [2, 3, 7, 5]),
                              (Conv2d(5, 5, 3, padding: 1, groups: 5, bias: false, generator: Generator(seed: 2)), [1, 5, 5, 7]),
                              (Conv2d(7, 3, 1, generator: Generator(seed: 3)), [2, 7, 3, 5])] {
          let bn = BatchNorm2d(conv.outChannels)
          GradData.randomize(bn, seed: 4)
          let net = Sequential(relu ? [conv, bn, ReLU()] : [conv, bn]).eval()
          try checkFused(net, GradData.tensor(shape, seed: 5), c)
          let bnPlain = BatchNorm2d(conv.outChannels, affine: false)
          GradData.randomize(bnPlain, seed: 6)
          try checkFused(Sequential(relu ? [conv, bnPlain, ReLU()] : [conv, bnPlain]).eval(), GradData.tensor(shape, seed: 7), c)
        }
      }
    },
  ]

  /// Runs `body` with `Sequential.fusion` set, restoring it after.
  static func withFusion<T>(_ on: Bool, _ body: () throws -> T) rethrows -> T {
    let saved = Sequential.fusion
    Sequential.fusion = on
    defer { Sequential.fusion = saved }
    return try body()
  }

  /// Checks a fused pattern's gradients, and that its fused forward (no gradients)
  /// matches the same modules run one by one.
  static func checkFused(_ net: Sequential, _ x: Tensor, _ c: ModuleGradCheck,
                         file: StaticString = #filePath, line: UInt = #line) throws {
    try withFusion(true) { try c.check(net, x, file: file, line: line) }
    let buffers = net.namedBuffers().map { ($0.tensor, $0.tensor.toArray()) }
    func run(_ fusion: Bool) throws -> [Float] {
      for (t, v) in buffers { for i in v.indices { t.data[i] = v[i] } }
      return try withFusion(fusion) { try Tensor.noGrad { try net(x) } }.toArray()
    }
    let fused = try run(true), plain = try run(false)
    XCTAssertEqual(fused.count, plain.count, file: file, line: line)
    for (i, (a, b)) in zip(fused, plain).enumerated() where Swift.abs(a - b) > 1e-5 * Swift.max(1, Swift.abs(b)) {
      XCTFail("fused forward \(a) vs unfused \(b) at \(i)", file: file, line: line)
      return
    }
  }
}
