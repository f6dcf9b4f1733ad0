import Foundation
import XCTest
import LyraTensor
@testable import LyraNN

/// OneCycleLR, CosineAnnealingWarmRestarts, LambdaLR and ReduceLROnPlateau against
/// values worked out by hand from PyTorch's definitions.
final class SchedulerMoreTests: XCTestCase {
  func testOneCycleTwoPhases() {
    // max 1, div 10, final_div 100: starts at 0.1, peaks at step pct·total − 1 = 2, ends at 0.001.
    let s = OneCycleLR(maxLR: 1, totalSteps: 10, pctStart: 0.3, divFactor: 10, finalDivFactor: 100)
    XCTAssertEqual(s.rate(at: 0, base: 123), 0.1, accuracy: 1e-12, "the optimiser's base rate is ignored")
    XCTAssertEqual(s.rate(at: 1, base: 0), 0.1 + 0.9 * 0.5, accuracy: 1e-12) // cos at half the rise
    XCTAssertEqual(s.rate(at: 2, base: 0), 1, accuracy: 1e-12)
    // Fall over steps 2...9 (7 steps): at step 2 + 3.5 it would be the mean; step 9 is the minimum.
    let minLR = 0.001
    for t in 3...9 {
      let pct = Double(t - 2) / 7
      XCTAssertEqual(s.rate(at: t, base: 0), minLR + (1 - minLR) / 2 * (cos(Double.pi * pct) + 1), accuracy: 1e-12, "step \(t)")
    }
    XCTAssertEqual(s.rate(at: 9, base: 0), minLR, accuracy: 1e-12)
    XCTAssertEqual(s.rate(at: 50, base: 0), minLR, accuracy: 1e-12, "held after total_steps")
    let linear = OneCycleLR(maxLR: 1, totalSteps: 10, pctStart: 0.3, annealStrategy: "linear", divFactor: 10, finalDivFactor: 100)
    XCTAssertEqual(linear.rate(at: 1, base: 0), 0.55, accuracy: 1e-12)
    XCTAssertEqual(linear.rate(at: 4, base: 0), 1 + (minLR - 1) * 2 / 7, accuracy: 1e-12)
  }

  func testOneCycleThreePhases() {
    // total 20, pct 0.25: up to step 4, back to the initial rate at step 8, down to min at step 19.
    let s = OneCycleLR(maxLR: 2, totalSteps: 20, pctStart: 0.25, annealStrategy: "linear", divFactor: 4, finalDivFactor: 5, threePhase: true)
    XCTAssertEqual(s.rate(at: 0, base: 0), 0.5, accuracy: 1e-12)
    XCTAssertEqual(s.rate(at: 4, base: 0), 2, accuracy: 1e-12)
    XCTAssertEqual(s.rate(at: 6, base: 0), 1.25, accuracy: 1e-12)
    XCTAssertEqual(s.rate(at: 8, base: 0), 0.5, accuracy: 1e-12)
    XCTAssertEqual(s.rate(at: 19, base: 0), 0.1, accuracy: 1e-12)
    XCTAssertEqual(s.rate(at: 12, base: 0), 0.5 + (0.1 - 0.5) * 4 / 11, accuracy: 1e-12)
  }

  func testCosineWarmRestarts() {
    func cosine(_ tCur: Int, _ tI: Int, base: Double = 1, etaMin: Double = 0.1) -> Double {
      etaMin + (base - etaMin) * (1 + cos(Double.pi * Double(tCur) / Double(tI))) / 2
    }
    let fixed = CosineAnnealingWarmRestarts(t0: 4, etaMin: 0.1)
    for t in 0..<12 { XCTAssertEqual(fixed.rate(at: t, base: 1), cosine(t % 4, 4), accuracy: 1e-12, "step \(t)") }
    // T_mult 2: periods 3, 6, 12 start at steps 0, 3, 9, 21.
    let growing = CosineAnnealingWarmRestarts(t0: 3, tMult: 2, etaMin: 0.1)
    let expected: [(Int, Int, Int)] = [(0, 0, 3), (2, 2, 3), (3, 0, 6), (8, 5, 6), (9, 0, 12), (20, 11, 12), (21, 0, 24)]
    for (step, tCur, tI) in expected {
      XCTAssertEqual(growing.rate(at: step, base: 1), cosine(tCur, tI), accuracy: 1e-12, "step \(step)")
    }
  }

  func testLambdaAndTheScheduleObject() {
    let w = Tensor.zeros([1]).requiresGrad_()
    let opt = SGD([w], lr: 0.5)
    let s = LRSchedule(optimizer: opt, scheduler: LambdaLR { 1 / Double($0 + 1) })
    XCTAssertEqual(opt.lr, 0.5)
    s.step(); s.step()
    XCTAssertEqual(opt.lr, 0.5 / 3, accuracy: 1e-15)
  }

  func testReduceOnPlateau() throws {
    let w = Tensor.zeros([1]).requiresGrad_()
    let opt = SGD([w], lr: 1)
    let p = try ReduceLROnPlateau(optimizer: opt, factor: 0.5, patience: 1, threshold: 0.1, cooldown: 1, minLR: 0.2)
    // rel threshold 0.1: improving means < 0.9·best.
    let metrics: [Double] = [10, 9.5, 9.5, 8, 8, 8, 8, 8, 8, 8, 8]
    // step 1 best 10; 2: 9.5 not < 9 (bad 1); 3: bad 2 > 1 → lr 0.5, cooldown 1; 4: 8 < 9 best, cooldown → 0;
    // 5: bad 1; 6: bad 2 → 0.25, cooldown 1; 7: bad 1 but cooldown resets → 0; 8: bad 1; 9: bad 2 → max(0.125, 0.2) = 0.2;
    // 10, 11: at min_lr, nothing changes.
    let expected: [Double] = [1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2]
    for (m, lr) in zip(metrics, expected) {
      p.step(m)
      XCTAssertEqual(opt.lr, lr, accuracy: 1e-15, "after metric \(m), step \(p.stepCount)")
    }
    // max mode, abs threshold; a NaN is no improvement.
    let opt2 = SGD([Tensor.zeros([1]).requiresGrad_()], lr: 1)
    let q = try ReduceLROnPlateau(optimizer: opt2, mode: "max", factor: 0.1, patience: 0, threshold: 0.5, thresholdMode: "abs")
    q.step(1); XCTAssertEqual(opt2.lr, 1)
    q.step(1.4); XCTAssertEqual(opt2.lr, 0.1, accuracy: 1e-15)
    q.step(2); XCTAssertEqual(opt2.lr, 0.1, accuracy: 1e-15)
    q.step(.nan); XCTAssertEqual(opt2.lr, 0.01, accuracy: 1e-15)
    // State round trip.
    let r = try ReduceLROnPlateau(optimizer: opt, factor: 0.5, patience: 1, threshold: 0.1, cooldown: 1, minLR: 0.2)
    try r.restore(p.state)
    XCTAssertEqual(r.state, p.state)
    XCTAssertThrowsError(try r.restore(["best": 1]))
    XCTAssertThrowsError(try ReduceLROnPlateau(optimizer: opt, mode: "lowest")) { XCTAssertTrue("\($0)".contains("mode"), "\($0)") }
    XCTAssertThrowsError(try ReduceLROnPlateau(optimizer: opt, factor: 1))
  }
}
