import LyraKernels
import LyraTensor
import XCTest
@testable import LyraNN

/// Gradient checks of the single layers: small odd shapes (batch 1 and 2, channels that
/// are no multiple of 8, odd spatial sizes) and every geometry option the layer has.
extension ModuleGradCases {
  static let layers: [String: () throws -> Void] = [
    "Linear": {
      let c = ModuleGradCheck()
      try c.check(Linear(5, 3, generator: Generator(seed: 1)), GradData.tensor([2, 5], seed: 2))
      try c.check(Linear(7, 4, bias: false, generator: Generator(seed: 3)), GradData.tensor([1, 7], seed: 4))
      try c.check(Linear(5, 3, generator: Generator(seed: 5)), GradData.tensor([2, 3, 5], seed: 6)) // rank 3
    },
    "Conv2d": {
      let c = ModuleGradCheck()
      // im2col/GEMM: rectangular kernel, per-axis stride, padding and dilation, batch 2.
      try c.check(Conv2d(3, 5, kernel: Window2d(3, 2), stride: Window2d(2, 1), padding: Window2d(1, 0),
                         dilation: Window2d(1, 2), generator: Generator(seed: 1)), GradData.tensor([2, 3, 7, 9], seed: 2))
      // Grouped, strided, dilated, batch 1.
      try c.check(Conv2d(6, 9, 3, stride: 2, padding: 1, dilation: 2, groups: 3, generator: Generator(seed: 3)),
                  GradData.tensor([1, 6, 9, 7], seed: 4))
      // Stride 1 without groups: the backward input pass runs as a forward convolution.
      try c.check(Conv2d(3, 4, 3, padding: 1, generator: Generator(seed: 5)), GradData.tensor([2, 3, 5, 5], seed: 6))
      // Depthwise (direct kernel), with and without a channel multiplier.
      try c.check(Conv2d(5, 5, 3, padding: 1, groups: 5, generator: Generator(seed: 7)), GradData.tensor([2, 5, 7, 5], seed: 8))
      try c.check(Conv2d(3, 6, 3, stride: 2, groups: 3, bias: false, generator: Generator(seed: 9)),
                  GradData.tensor([1, 3, 7, 7], seed: 10))
      // 1×1: pointwise (no im2col) and strided 1×1 (im2col).
      try c.check(Conv2d(7, 3, 1, bias: false, generator: Generator(seed: 11)), GradData.tensor([2, 7, 5, 3], seed: 12))
      try c.check(Conv2d(3, 5, 1, stride: 2, generator: Generator(seed: 13)), GradData.tensor([1, 3, 5, 7], seed: 14))
    },
    "BatchNorm2d": {
      let c = ModuleGradCheck()
      for (shape, affine, seed) in [([2, 5, 3, 3], true, UInt64(1)), ([1, 3, 5, 3], true, 2), ([2, 3, 3, 5], false, 3)] {
        let bn = BatchNorm2d(shape[1], affine: affine)
        GradData.randomize(bn, seed: seed)
        try c.check(bn.train(), GradData.tensor(shape, seed: seed + 10))
        try c.check(bn.eval(), GradData.tensor(shape, seed: seed + 20))
      }
    },
    "BatchNorm1d": {
      let c = ModuleGradCheck()
      for (shape, affine, seed) in [([3, 5], true, UInt64(1)), ([2, 7], true, 2), ([4, 3], false, 3)] {
        let bn = BatchNorm1d(shape[1], affine: affine)
        GradData.randomize(bn, seed: seed)
        try c.check(bn.train(), GradData.tensor(shape, seed: seed + 10))
        try c.check(bn.eval(), GradData.tensor(shape, seed: seed + 20))
      }
      // Evaluation mode takes a batch of one.
      try c.check(BatchNorm1d(5).eval(), GradData.tensor([1, 5], seed: 30))
    },
    "ReLU": { try activation(ReLU(), scale: 1, gap: 0.01) },
    "ReLU6": { try activation(ReLU6(), scale: 7, kinks: true) },
    "LeakyReLU": { try activation(LeakyReLU(0.1), scale: 1, gap: 0.01) },
    "GELU": { try activation(GELU(), scale: 3) },
    "Sigmoid": { try activation(Sigmoid(), scale: 4) },
    "Tanh": { try activation(Tanh(), scale: 2) },
    "SiLU": { try activation(SiLU(), scale: 3) },
    "Hardswish": { try activation(Hardswish(), scale: 4, kinks: true) },
    "MaxPool2d": {
      // Ties within a step are possible for random inputs: kinks allowed.
      let c = ModuleGradCheck(kinkFraction: 0.05)
      try c.check(MaxPool2d(3, stride: 2, padding: 1), GradData.tensor([2, 3, 7, 5], seed: 1)) // overlapping windows
      try c.check(MaxPool2d(2, ceilMode: true), GradData.tensor([1, 3, 5, 7], seed: 2))
      try c.check(MaxPool2d(3, stride: 1), GradData.tensor([1, 2, 5, 5], seed: 3))
    },
    "AvgPool2d": {
      let c = ModuleGradCheck()
      try c.check(AvgPool2d(3, stride: 2, padding: 1), GradData.tensor([2, 3, 7, 5], seed: 1))
      try c.check(AvgPool2d(3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false), GradData.tensor([1, 3, 6, 5], seed: 2))
      try c.check(AvgPool2d(2), GradData.tensor([1, 5, 5, 7], seed: 3))
    },
    "AdaptiveAvgPool2d": {
      let c = ModuleGradCheck()
      try c.check(AdaptiveAvgPool2d(1), GradData.tensor([2, 3, 5, 7], seed: 1)) // global
      try c.check(AdaptiveAvgPool2d(3, 2), GradData.tensor([1, 3, 7, 5], seed: 2)) // overlapping windows
      try c.check(AdaptiveAvgPool2d(4), GradData.tensor([1, 2, 3, 5], seed: 3)) // output larger than input
    },
    "Flatten": {
      let c = ModuleGradCheck()
      try c.check(Flatten(), GradData.tensor([2, 3, 5, 1], seed: 1))
      try c.check(Flatten(start: 0, end: 1), GradData.tensor([3, 5, 2], seed: 2))
    },
    "Identity": { try ModuleGradCheck().check(Identity(), GradData.tensor([2, 3], seed: 1)) },
    "Zero": {
      let c = ModuleGradCheck()
      try c.check(Zero(), GradData.tensor([2, 3], seed: 1))
      try c.check(Zero(stride: 2), GradData.tensor([1, 3, 5, 5], seed: 2))
    },
    "Dropout": {
      let c = ModuleGradCheck()
      try c.check(Dropout(0), GradData.tensor([2, 7], seed: 1))
      try c.check(Dropout(0.5).eval(), GradData.tensor([2, 7], seed: 2))
      // A fixed mask: the generator is re-seeded before every forward pass.
      let g = Generator(seed: 3)
      let d = Dropout(0.3, generator: g)
      let masked = try Tensor.noGrad { try d(Tensor.ones([2, 3, 5])) }.toArray()
      XCTAssertTrue(masked.contains(0) && masked.contains { $0 > 1 }, "the mask drops some elements and scales the rest")
      try c.check(d, GradData.tensor([2, 3, 5], seed: 4), reset: { g.manualSeed(3) })
    },
    "Embedding": {
      // Integer input: only the weight is differentiable; index 1 and 4 repeat (accumulation).
      let e = Embedding(7, 3, generator: Generator(seed: 1))
      try ModuleGradCheck().check(e, Tensor(indices: [1, 4, 1, 0, 4, 6], shape: [2, 3]))
    },
  ]

  /// An element-wise activation on batch 1 and 2; `gap` keeps inputs off the kink at 0,
  /// `kinks` allows one-sided matches for kinks away from 0 (ReLU6 at 6, Hardswish at ±3).
  static func activation(_ m: Module, scale: Double, gap: Double = 0, kinks: Bool = false) throws {
    let c = ModuleGradCheck(kinkFraction: kinks ? 0.05 : 0)
    try c.check(m, GradData.tensor([2, 3, 5], seed: 1, scale: scale, gap: gap))
    try c.check(m, GradData.tensor([1, 7], seed: 2, scale: scale, gap: gap))
  }
}
