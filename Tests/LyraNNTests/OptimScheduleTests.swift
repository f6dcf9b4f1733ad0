import Foundation
import XCTest
import LyraTensor
@testable import LyraNN

final class OptimScheduleTests: XCTestCase {
  /// The anchor's schedule driven through the glue: lr_t = 0.025·(1 + cos(π t / T)).
  func testCosineDrivesOptimizer() {
    let w = Tensor([0]).requiresGrad_()
    let opt = SGD([w], lr: 0.05, momentum: 0.9)
    let T = 10
    let sched = LRSchedule(optimizer: opt, scheduler: CosineAnnealingLR(tMax: T))
    XCTAssertEqual(opt.lr, 0.05, accuracy: 1e-15)
    for t in 1...T {
      sched.step()
      XCTAssertEqual(sched.stepCount, t)
      XCTAssertEqual(opt.lr, 0.025 * (1 + cos(Double.pi * Double(t) / Double(T))), accuracy: 1e-12)
    }
    XCTAssertEqual(sched.lastLR, 0, accuracy: 1e-12)
    sched.resume(at: 5)
    XCTAssertEqual(opt.lr, 0.025, accuracy: 1e-12)
  }

  /// The rate set by the schedule is the one the next step uses.
  func testStepUsesScheduledRate() {
    let w = Tensor([1]).requiresGrad_()
    let opt = SGD([w], lr: 1)
    let sched = LRSchedule(optimizer: opt, scheduler: WarmupLR(warmupSteps: 2, startFactor: 0), baseLR: 0.4)
    XCTAssertEqual(opt.lr, 0)
    w.grad = Tensor([1]); opt.step(); sched.step()     // lr 0: no move; next lr 0.2
    XCTAssertEqual(w.toArray(), [1])
    opt.step(); sched.step()                           // w = 1 − 0.2; next lr 0.4
    XCTAssertEqual(w.toArray()[0], 0.8, accuracy: 1e-7)
    opt.step()
    XCTAssertEqual(w.toArray()[0], 0.4, accuracy: 1e-7)
    XCTAssertEqual(sched.baseLR, 0.4)
  }
}
