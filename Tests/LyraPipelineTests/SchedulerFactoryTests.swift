import XCTest
import LyraBase
import LyraNN
import LyraTensor
import Foundation
@testable import LyraPipeline

/// `trainer.lr_scheduler` by name: every listed name builds with its defaults (PyTorch's),
/// a warm-up nests another section, and unknown names suggest a listed one, nested or not.
final class SchedulerFactoryTests: XCTestCase {
  func make(_ type: String, _ params: [String: JSON] = [:]) throws -> LRScheduler {
    try SchedulerFactory.make(ComponentSpec(type: type, params: params))
  }

  func testEveryNameBuildsWithItsDefaults() throws {
    XCTAssertEqual(SchedulerFactory.names, ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "WarmupScheduler", "WarmupLR", "ConstantLR",
                                            "CosineAnnealingWarmRestarts", "TimmScheduler"])
    for name in SchedulerFactory.names { XCTAssertNoThrow(try make(name), name) }
    // PyTorch's closed forms at the defaults: StepLR(step_size 1, gamma 0.1), ExponentialLR(gamma 0.1).
    XCTAssertEqual(try make("StepLR").rate(at: 2, base: 1), 0.01, accuracy: 1e-12)
    XCTAssertEqual(try make("ExponentialLR").rate(at: 3, base: 2), 0.002, accuracy: 1e-12)
    XCTAssertEqual(try make("StepLR", ["step_size": JSON(2), "gamma": .number(0.5)]).rate(at: 5, base: 1), 0.25, accuracy: 1e-12)
    XCTAssertEqual(try make("ConstantLR").rate(at: 100, base: 0.3), 0.3)
    XCTAssertTrue(try make("WarmupScheduler", ["after_scheduler_config": .object(["type": .string("StepLR")])]) is WarmupLR)
  }

  func testUnknownNamesSuggestNestedOrNot() {
    XCTAssertThrowsError(try make("CosineAnealingLR")) { e in
      XCTAssertTrue("\(e)".contains("trainer.lr_scheduler: unknown lr_scheduler 'CosineAnealingLR' (did you mean 'CosineAnnealingLR'?)"), "\(e)")
    }
    XCTAssertThrowsError(try make("WarmupLR", ["after_scheduler_config": .object(["type": .string("StepRL")])])) { e in
      // (The nested section's errors name the outer section, as before this registry.)
      XCTAssertTrue("\(e)".contains("unknown lr_scheduler 'StepRL' (did you mean 'StepLR'?)"), "\(e)")
    }
    XCTAssertThrowsError(try make("WarmupLR", ["warmup_type": .string("cosine")])) { e in
      XCTAssertTrue("\(e)".contains("trainer.lr_scheduler.params.warmup_type: only 'linear' is supported, got 'cosine'"), "\(e)")
    }
    XCTAssertThrowsError(try make("StepLR", ["step_sise": JSON(2)])) { e in XCTAssertTrue("\(e)".contains("step_sise"), "\(e)") }
  }

  /// SGDR's closed form through the config names: T_0 2, T_mult 2 restarts at steps 2 and 6.
  func testCosineAnnealingWarmRestartsFromConfig() throws {
    let s = try make("CosineAnnealingWarmRestarts", ["T_0": JSON(2), "T_mult": JSON(2), "eta_min": .number(0.1)])
    XCTAssertEqual(s.rate(at: 0, base: 1), 1, accuracy: 1e-12)
    XCTAssertEqual(s.rate(at: 1, base: 1), 0.55, accuracy: 1e-12)   // halfway through the first period
    XCTAssertEqual(s.rate(at: 2, base: 1), 1, accuracy: 1e-12)      // restart
    XCTAssertEqual(s.rate(at: 4, base: 1), 0.55, accuracy: 1e-12)   // halfway through the 4-step period
    XCTAssertEqual(s.rate(at: 6, base: 1), 1, accuracy: 1e-12)
    XCTAssertThrowsError(try make("CosineAnnealingWarmRestarts", ["T_0": JSON(0)])) { e in XCTAssertTrue("\(e)".contains("T_0"), "\(e)") }
  }
}

/// `trainer.loss` by name: the losses added with LyraNN's `Loss` compute what LyraNN computes,
/// with the pipeline's 0-based integer labels, and refuse bad parameters by key.
final class LossRegistryTests: XCTestCase {
  func make(_ type: String, _ params: [String: JSON] = [:]) throws -> LyraPipeline.Loss {
    try LossRegistry.make(ComponentSpec(type: type, params: params))
  }

  func testNewLossesMatchLyraNN() throws {
    let logits = Tensor([0.2, -1, 0.5, 2, 0.1, -0.3], shape: [2, 3])
    let logp = logits.logSoftmax(1)
    let labels = Tensor(indices: [2, 0])
    XCTAssertEqual(try make("NLLLoss")(logp, labels).item(), try LyraNN.Loss.nll(logp, labels).item(), accuracy: 1e-6)
    // NLL of log-softmax is the cross-entropy.
    XCTAssertEqual(try make("NLLLoss")(logp, labels).item(), try make("CrossEntropyLoss")(logits, labels).item(), accuracy: 1e-5)
    let p = Tensor([0.9, 0.2, 0.6], shape: [3]), y = Tensor(indices: [1, 0, 1])
    let bce = -(log(0.9) + log(0.8) + log(0.6)) / 3
    XCTAssertEqual(Double(try make("BCELoss")(p, y).item()), bce, accuracy: 1e-5)
    let x = Tensor([0, 3], shape: [2]), t = Tensor([0.5, 0], shape: [2])
    // Huber δ 1: ½·0.25 and 1·(3 − ½) → mean 1.3125; SmoothL1 β 2: ½·0.25/2 and 3 − 1 → mean 1.03125.
    XCTAssertEqual(try make("HuberLoss")(x, t).item(), 1.3125, accuracy: 1e-6)
    XCTAssertEqual(try make("SmoothL1Loss", ["beta": .number(2)])(x, t).item(), 1.03125, accuracy: 1e-6)
    let q = Tensor([0.25, 0.75, 0.5, 0.5], shape: [2, 2])
    XCTAssertEqual(try make("KLDivLoss")(logp.narrow(1, 0, 2), q).item(),
                   try LyraNN.Loss.klDiv(logp.narrow(1, 0, 2), q, reduction: .batchmean).item(), accuracy: 1e-6)
  }

  /// timm's and VEGA's label-smoothing losses against the formula written out:
  /// (1 − s)·(−log p_y) + s·mean_c(−log p_c), averaged over the batch.
  func testLabelSmoothingNamesMatchTheFormula() throws {
    let v: [Float] = [0.2, -1, 0.5, 2, 0.1, -0.3]
    let logits = Tensor(v, shape: [2, 3]), labels = Tensor(indices: [2, 0])
    func expected(_ s: Double) -> Double {
      var total = 0.0
      for (row, y) in [(0, 2), (1, 0)] {
        let z = (0..<3).map { Double(v[row * 3 + $0]) }
        let lse = log(z.map(exp).reduce(0, +))
        let nll = z.map { lse - $0 }
        total += (1 - s) * nll[y] + s * nll.reduce(0, +) / 3
      }
      return total / 2
    }
    XCTAssertEqual(Double(try make("LabelSmoothingCrossEntropy", ["smoothing": .number(0.2)])(logits, labels).item()), expected(0.2), accuracy: 1e-5)
    XCTAssertEqual(Double(try make("LabelSmoothingCrossEntropy")(logits, labels).item()), expected(0.1), accuracy: 1e-5)
    XCTAssertEqual(Double(try make("CrossEntropyLabelSmooth", ["num_classes": JSON(3), "epsilon": .number(0.3)])(logits, labels).item()),
                   expected(0.3), accuracy: 1e-5)
    XCTAssertNotEqual(expected(0.3), expected(0), accuracy: 1e-3, "the smoothing changes the value")
    XCTAssertThrowsError(try make("LabelSmoothingCrossEntropy", ["smoothing": .number(2)])) { e in
      XCTAssertTrue("\(e)".contains("smoothing: must be in [0, 1]"), "\(e)")
    }
  }

  func testBadParametersNameTheKey() {
    XCTAssertThrowsError(try make("HuberLoss", ["delta": .number(0)])) { e in XCTAssertTrue("\(e)".contains("delta: must be positive"), "\(e)") }
    XCTAssertThrowsError(try make("SmoothL1Loss", ["beta": .number(-1)])) { e in XCTAssertTrue("\(e)".contains("beta: must be >= 0"), "\(e)") }
    XCTAssertThrowsError(try make("NLLLoss", ["weight": .number(1)])) { e in XCTAssertTrue("\(e)".contains("weight"), "\(e)") }
    XCTAssertThrowsError(try make("NLLLos")) { e in XCTAssertTrue("\(e)".contains("did you mean 'NLLLoss'"), "\(e)") }
  }
}
