import XCTest
import LyraBase
import LyraNN
@testable import LyraPipeline

/// `trainer.lr_scheduler` by name: every listed name builds with its defaults (PyTorch's),
/// a warm-up nests another section, and unknown names suggest a listed one, nested or not.
final class SchedulerFactoryTests: XCTestCase {
  func make(_ type: String, _ params: [String: JSON] = [:]) throws -> LRScheduler {
    try SchedulerFactory.make(ComponentSpec(type: type, params: params))
  }

  func testEveryNameBuildsWithItsDefaults() throws {
    XCTAssertEqual(SchedulerFactory.names, ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "WarmupScheduler", "WarmupLR", "ConstantLR"])
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
}
