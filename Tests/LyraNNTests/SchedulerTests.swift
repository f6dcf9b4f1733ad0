import Foundation
import XCTest
@testable import LyraNN

final class SchedulerTests: XCTestCase {
  func testStepMultiStepExponential() {
    let s = StepLR(stepSize: 3, gamma: 0.5)
    XCTAssertEqual((0..<7).map { s.rate(at: $0, base: 1) }, [1, 1, 1, 0.5, 0.5, 0.5, 0.25])
    let m = MultiStepLR(milestones: [4, 2], gamma: 0.1)
    XCTAssertEqual(m.rate(at: 1, base: 1), 1)
    XCTAssertEqual(m.rate(at: 2, base: 1), 0.1, accuracy: 1e-12)
    XCTAssertEqual(m.rate(at: 5, base: 1), 0.01, accuracy: 1e-12)
    XCTAssertEqual(ExponentialLR(gamma: 0.9).rate(at: 3, base: 2), 2 * 0.729, accuracy: 1e-12)
  }

  /// The anchor's schedule: lr_t = 0.025·(1 + cos(π t / T)) with base 0.05.
  func testCosineMatchesTheAnchorFormula() {
    let T = 3 * 469
    let c = CosineAnnealingLR(tMax: T)
    for t in [0, 1, 100, 703, 1000, T - 1, T, T + 5] {
      let expected = 0.025 * (1 + cos(Double.pi * Double(min(t, T)) / Double(T)))
      XCTAssertEqual(c.rate(at: t, base: 0.05), expected, accuracy: 1e-12)
    }
    XCTAssertEqual(CosineAnnealingLR(tMax: 10, etaMin: 0.01).rate(at: 10, base: 1), 0.01, accuracy: 1e-12)
  }

  func testWarmupThenInner() {
    let w = WarmupLR(warmupSteps: 4, startFactor: 0, after: StepLR(stepSize: 2, gamma: 0.1))
    XCTAssertEqual((0..<8).map { w.rate(at: $0, base: 1) }.map { ($0 * 1000).rounded() / 1000 },
                   [0, 0.25, 0.5, 0.75, 1, 1, 0.1, 0.1])
  }
}
