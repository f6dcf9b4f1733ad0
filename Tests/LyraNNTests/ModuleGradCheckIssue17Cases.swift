import LyraKernels
import LyraTensor
import XCTest
@testable import LyraNN

/// Gradient checks of the softmaxes, activations, per-sample normalisations and reshapes
/// added for issue 17, run as whole modules, and of the new losses (wrapped as modules
/// with a fixed target, so the same checker differentiates them).
extension ModuleGradCases {
  static let issue17: [String: () throws -> Void] = [
    "Softmax": {
      let c = ModuleGradCheck()
      try c.check(Softmax(dim: 1), GradData.tensor([2, 3, 5], seed: 1, scale: 3))
      try c.check(Softmax(dim: -1), GradData.tensor([2, 3, 5], seed: 2, scale: 3))
      try c.check(Softmax(dim: 0), GradData.tensor([3, 4], seed: 3, scale: 3))
    },
    "LogSoftmax": {
      let c = ModuleGradCheck()
      try c.check(LogSoftmax(dim: 1), GradData.tensor([2, 3, 5], seed: 1, scale: 3))
      try c.check(LogSoftmax(), GradData.tensor([4, 7], seed: 2, scale: 3))
    },
    "ELU": {
      try activation(ELU(alpha: 0.7), scale: 3, gap: 0.01)
      try activation(ELU(alpha: 1.5), scale: 2, gap: 0.01)
    },
    "Softplus": {
      try activation(Softplus(), scale: 4)
      try activation(Softplus(beta: 0.5, threshold: 20), scale: 4)
      // beta x crosses the threshold (x = 1.5): the linear branch and its jump of 0.024.
      let c = ModuleGradCheck(kinkFraction: 0.05)
      try c.check(Softplus(beta: 2, threshold: 3), GradData.tensor([2, 3, 5], seed: 3, scale: 3))
    },
    "Hardtanh": {
      try activation(Hardtanh(min: -0.5, max: 0.8), scale: 2, kinks: true)
      try activation(Hardtanh(), scale: 2, kinks: true)
    },
    "PReLU": {
      let c = ModuleGradCheck()
      let shared = PReLU()
      GradData.randomize(shared, seed: 1)
      try c.check(shared, GradData.tensor([2, 3, 4], seed: 2, gap: 0.01))
      let perChannel = PReLU(count: 3)
      GradData.randomize(perChannel, seed: 3)
      try c.check(perChannel, GradData.tensor([2, 3, 4, 3], seed: 4, gap: 0.01))
      try c.check(perChannel, GradData.tensor([5, 3], seed: 5, gap: 0.01)) // [N, C]
    },
    "LayerNorm": {
      let c = ModuleGradCheck()
      let last = LayerNorm([5])
      GradData.randomize(last, seed: 1)
      try c.check(last, GradData.tensor([2, 3, 5], seed: 2))
      let two = LayerNorm([3, 4])
      GradData.randomize(two, seed: 3)
      try c.check(two, GradData.tensor([2, 3, 4], seed: 4))
      try c.check(LayerNorm([7], affine: false), GradData.tensor([3, 7], seed: 5))
    },
    "GroupNorm": {
      let c = ModuleGradCheck()
      let g = GroupNorm(groups: 2, channels: 6)
      GradData.randomize(g, seed: 1)
      try c.check(g, GradData.tensor([2, 6, 3, 3], seed: 2))
      let perChannel = GroupNorm(groups: 3, channels: 3)
      GradData.randomize(perChannel, seed: 3)
      try c.check(perChannel, GradData.tensor([2, 3, 5], seed: 4)) // rank 3
      try c.check(GroupNorm(groups: 1, channels: 4, affine: false), GradData.tensor([1, 4, 3, 2], seed: 5))
    },
    "InstanceNorm2d": {
      let c = ModuleGradCheck()
      try c.check(InstanceNorm2d(3), GradData.tensor([2, 3, 4, 5], seed: 1))
      let affine = InstanceNorm2d(2, affine: true)
      GradData.randomize(affine, seed: 2)
      try c.check(affine, GradData.tensor([1, 2, 3, 5], seed: 3))
      try c.check(affine, GradData.tensor([2, 3, 3], seed: 4)) // unbatched [C, H, W]
    },
    "View": {
      let c = ModuleGradCheck()
      try c.check(View([-1]), GradData.tensor([2, 3, 4], seed: 1))
      try c.check(View([4, 3]), GradData.tensor([2, 3, 4], seed: 2))
      // A non-contiguous input (a transpose) goes through reshape's copy.
      try c.check(Sequential([Lambda { $0.transpose(1, 2) }, View([12])]), GradData.tensor([2, 3, 4], seed: 3))
    },
    "Unflatten": {
      let c = ModuleGradCheck()
      try c.check(Unflatten(dim: 1, sizes: [3, -1]), GradData.tensor([2, 6, 2], seed: 1))
      try c.check(Unflatten(dim: -1, sizes: [2, 2]), GradData.tensor([3, 4], seed: 2))
    },
    "ModuleList": {
      // The list has no forward; a model that calls its entries must get gradients for the
      // parameters the list registered (named layers.0.weight ...).
      let chain = ListChain(ModuleList([Linear(4, 5, generator: Generator(seed: 1)), Tanh(), Linear(5, 3, generator: Generator(seed: 2))]))
      XCTAssertEqual(chain.namedParameters().map(\.name), ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"])
      try ModuleGradCheck().check(chain, GradData.tensor([2, 4], seed: 3))
    },
    "Conv1d": {
      let c = ModuleGradCheck()
      try c.check(Conv1d(3, 4, 3, stride: 2, padding: 1, dilation: 2, generator: Generator(seed: 1)), GradData.tensor([2, 3, 9], seed: 2))
      try c.check(Conv1d(4, 6, 3, padding: 1, groups: 2, bias: false, generator: Generator(seed: 3)), GradData.tensor([1, 4, 7], seed: 4))
      try c.check(Conv1d(2, 3, 1, generator: Generator(seed: 5)), GradData.tensor([2, 2, 5], seed: 6))
    },
    "ConvTranspose2d": {
      let c = ModuleGradCheck()
      // Stride with output padding, rectangular kernel, padding that crops.
      try c.check(ConvTranspose2d(3, 4, kernel: Window2d(3, 2), stride: Window2d(2, 3), padding: Window2d(1, 0),
                                  outputPadding: Window2d(1, 2), generator: Generator(seed: 1)), GradData.tensor([2, 3, 3, 4], seed: 2))
      // Grouped and dilated, no bias.
      try c.check(ConvTranspose2d(4, 6, kernel: Window2d(3), stride: Window2d(1), padding: Window2d(2), dilation: Window2d(2),
                                  groups: 2, bias: false, generator: Generator(seed: 3)), GradData.tensor([1, 4, 4, 3], seed: 4))
    },
    "MaxPool1d": {
      let c = ModuleGradCheck(kinkFraction: 0.05)
      try c.check(MaxPool1d(3, stride: 2, padding: 1), GradData.tensor([2, 3, 9], seed: 1))
      try c.check(MaxPool1d(2, ceilMode: true), GradData.tensor([1, 2, 7], seed: 2))
    },
    "AdaptiveMaxPool2d": {
      let c = ModuleGradCheck(kinkFraction: 0.05)
      try c.check(AdaptiveMaxPool2d(3, 2), GradData.tensor([2, 2, 7, 5], seed: 1)) // uneven, overlapping windows
      try c.check(AdaptiveMaxPool2d(2), GradData.tensor([1, 3, 4, 6], seed: 2)) // even: the max-pool path
      try c.check(AdaptiveMaxPool2d(1), GradData.tensor([2, 2, 3, 5], seed: 3)) // global
    },
    "Dropout2d": {
      let c = ModuleGradCheck()
      try c.check(Dropout2d(0.5).eval(), GradData.tensor([2, 3, 4, 4], seed: 1))
      let g = Generator(seed: 2)
      let d = Dropout2d(0.4, generator: g)
      try c.check(d, GradData.tensor([3, 4, 3, 2], seed: 3), reset: { g.manualSeed(2) })
      try c.check(d, GradData.tensor([3, 4, 5], seed: 4), reset: { g.manualSeed(2) })
    },
    "Upsample": {
      let c = ModuleGradCheck()
      try c.check(Upsample(scale: (2, 3)), GradData.tensor([2, 2, 3, 2], seed: 1))
      try c.check(Upsample(size: (5, 7), mode: .bilinear), GradData.tensor([1, 2, 3, 4], seed: 2))
      try c.check(Upsample(scale: (1.5, 2), mode: .bilinear, alignCorners: true), GradData.tensor([2, 1, 4, 3], seed: 3))
    },
    "PixelShuffle": {
      let c = ModuleGradCheck()
      try c.check(PixelShuffle(2), GradData.tensor([2, 8, 3, 2], seed: 1))
      try c.check(PixelShuffle(3), GradData.tensor([1, 9, 2, 3], seed: 2))
      try c.check(PixelShuffle(1), GradData.tensor([1, 3, 2, 2], seed: 3))
    },
    "NLLLoss": {
      let targets = Tensor(indices: [2, 0, 1, 2])
      for r in Reduction.allCases where r != .batchmean {
        try ModuleGradCheck().check(LossModule { try Loss.nll($0, targets, reduction: r) }, GradData.tensor([4, 3], seed: 1, scale: 3))
      }
      let w = Tensor([0.5, 2, 1.5], shape: [3])
      try ModuleGradCheck().check(LossModule { try Loss.nll($0, Tensor(indices: [2, -1, 1, 2]), weight: w, ignoreIndex: -1) },
                                  GradData.tensor([4, 3], seed: 2, scale: 3))
    },
    "BCELoss": {
      // Probabilities kept inside (0.05, 0.95): the log's derivative is steep near 0 and 1.
      let x = GradData.tensor([3, 4], seed: 1, scale: 0.45).add(0.5)
      let y = GradData.tensor([3, 4], seed: 2, scale: 0.5).add(0.5)
      try ModuleGradCheck().check(LossModule { try Loss.bce($0, y) }, x)
      try ModuleGradCheck().check(LossModule { try Loss.bce($0, y, reduction: .sum) }, x)
    },
    "HuberLoss": {
      // Differences within ±2 around δ = 0.8 and 1: both branches, the joint is C¹.
      let y = GradData.tensor([2, 3, 5], seed: 1)
      try ModuleGradCheck().check(LossModule { try Loss.huber($0, y, delta: 0.8) }, GradData.tensor([2, 3, 5], seed: 2, scale: 2))
      try ModuleGradCheck().check(LossModule { try Loss.huber($0, y, reduction: .sum) }, GradData.tensor([2, 3, 5], seed: 3, scale: 2))
    },
    "SmoothL1Loss": {
      let y = GradData.tensor([3, 5], seed: 1)
      try ModuleGradCheck().check(LossModule { try Loss.smoothL1($0, y, beta: 0.5) }, GradData.tensor([3, 5], seed: 2, scale: 2))
      // beta 0 is L1: |d| has a kink at d = 0, kept away from by the seeded values (no tie).
      try ModuleGradCheck(kinkFraction: 0.1).check(LossModule { try Loss.smoothL1($0, y, beta: 0) }, GradData.tensor([3, 5], seed: 3, scale: 2))
    },
    "KLDivLoss": {
      // Target: probabilities with a zero (0 · log 0 = 0 and no gradient there).
      let p = GradData.tensor([3, 4], seed: 1, scale: 0.5).add(0.5).softmax(1)
      let withZero = Tensor(p.toArray().enumerated().map { $0.offset == 5 ? 0 : $0.element }, shape: [3, 4])
      for r in Reduction.allCases {
        try ModuleGradCheck().check(LossModule { try Loss.klDiv($0, withZero, reduction: r) }, GradData.tensor([3, 4], seed: 2).logSoftmax(1))
      }
      let logP = p.log()
      try ModuleGradCheck().check(LossModule { try Loss.klDiv($0, logP, reduction: .batchmean, logTarget: true) },
                                  GradData.tensor([3, 4], seed: 3).logSoftmax(1))
    },
  ]
}

/// A loss with its target fixed, as a module (its output is the loss), so the
/// module-level checker differentiates it.
final class LossModule: Module {
  let loss: (Tensor) throws -> Tensor
  init(_ loss: @escaping (Tensor) throws -> Tensor) {
    self.loss = loss
    super.init()
  }
  override func forward(_ x: Tensor) throws -> Tensor { try loss(x) }
}

/// Calls the entries of a ModuleList in order (what a Lua forward over one would do).
final class ListChain: Module {
  init(_ list: ModuleList) {
    super.init()
    register(child: "layers", list)
  }
  override func forward(_ x: Tensor) throws -> Tensor {
    try children[0].module.children.reduce(x) { try $1.module($0) }
  }
}

/// A function as a module (to feed a non-contiguous tensor to the module under test).
final class Lambda: Module {
  let body: (Tensor) -> Tensor
  init(_ body: @escaping (Tensor) -> Tensor) {
    self.body = body
    super.init()
  }
  override func forward(_ x: Tensor) throws -> Tensor { body(x) }
}

final class ModuleGradCheckIssue17Tests: XCTestCase {
  func testSoftmax() throws { try ModuleGradCases.run("Softmax") }
  func testLogSoftmax() throws { try ModuleGradCases.run("LogSoftmax") }
  func testELU() throws { try ModuleGradCases.run("ELU") }
  func testSoftplus() throws { try ModuleGradCases.run("Softplus") }
  func testHardtanh() throws { try ModuleGradCases.run("Hardtanh") }
  func testPReLU() throws { try ModuleGradCases.run("PReLU") }
  func testLayerNorm() throws { try ModuleGradCases.run("LayerNorm") }
  func testGroupNorm() throws { try ModuleGradCases.run("GroupNorm") }
  func testInstanceNorm2d() throws { try ModuleGradCases.run("InstanceNorm2d") }
  func testView() throws { try ModuleGradCases.run("View") }
  func testUnflatten() throws { try ModuleGradCases.run("Unflatten") }
  func testNLLLoss() throws { try ModuleGradCases.run("NLLLoss") }
  func testBCELoss() throws { try ModuleGradCases.run("BCELoss") }
  func testHuberLoss() throws { try ModuleGradCases.run("HuberLoss") }
  func testSmoothL1Loss() throws { try ModuleGradCases.run("SmoothL1Loss") }
  func testKLDivLoss() throws { try ModuleGradCases.run("KLDivLoss") }
  func testModuleList() throws { try ModuleGradCases.run("ModuleList") }
  func testConv1d() throws { try ModuleGradCases.run("Conv1d") }
  func testMaxPool1d() throws { try ModuleGradCases.run("MaxPool1d") }
  func testAdaptiveMaxPool2d() throws { try ModuleGradCases.run("AdaptiveMaxPool2d") }
  func testDropout2d() throws { try ModuleGradCases.run("Dropout2d") }
  func testUpsample() throws { try ModuleGradCases.run("Upsample") }
  func testPixelShuffle() throws { try ModuleGradCases.run("PixelShuffle") }
  func testConvTranspose2d() throws { try ModuleGradCases.run("ConvTranspose2d") }
}
