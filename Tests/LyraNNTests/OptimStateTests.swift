import Foundation
import XCTest
import LyraTensor
@testable import LyraNN

final class OptimStateTests: XCTestCase {
  static let makers: [(String, ([Tensor]) -> Optimizer)] = [
    ("SGD", { SGD($0, lr: 0.05, momentum: 0.9, weightDecay: 1e-3, nesterov: true) }),
    ("Adam", { Adam($0, lr: 0.05, weightDecay: 0.01, amsgrad: true) }),
    ("AdamW", { AdamW($0, lr: 0.05, betas: (0.8, 0.95)) }),
    ("RMSprop", { RMSprop($0, lr: 0.01, alpha: 0.9, weightDecay: 1e-3, momentum: 0.5, centered: true) }),
    ("Adagrad", { Adagrad($0, lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1) }),
    ("Adadelta", { Adadelta($0, lr: 0.5, rho: 0.8, weightDecay: 1e-3) }),
  ]

  static func bits(_ ps: [Tensor]) -> [UInt32] { ps.flatMap { $0.toArray().map(\.bitPattern) } }
  static func clone(_ ps: [Tensor]) -> [Tensor] { ps.map { Tensor($0.toArray(), shape: $0.shape).requiresGrad_() } }

  /// Run 5 steps, checkpoint (optionally through safetensors bytes), restore into a fresh
  /// optimiser over copies of the weights, and compare the next steps bit for bit.
  func checkResume(viaSafeTensors: Bool) throws {
    for (name, make) in Self.makers {
      let p = OptimProblem.makeParams(), opt = make(p)
      for t in 0..<5 { OptimProblem.setGrads(p, step: t); opt.step() }
      var state = opt.stateDict()
      if viaSafeTensors {
        state = try OptimizerState(safeTensors: try SafeTensors.parse(state.safeTensors.serialized()))
        XCTAssertEqual(state, opt.stateDict(), name)
      }
      let q = Self.clone(p)
      // The fresh optimiser has other hyper-parameters; loading restores them as PyTorch does.
      let resumed = try Optimizers.make(name: name, params: q, options: ["lr": 1])
      try resumed.loadStateDict(state)
      XCTAssertEqual(resumed.hyperparameters, opt.hyperparameters, name)
      let fresh = make(Self.clone(p))
      for t in 5..<8 {
        OptimProblem.setGrads(p, step: t); OptimProblem.setGrads(q, step: t); OptimProblem.setGrads(fresh.params, step: t)
        opt.step(); resumed.step(); fresh.step()
        XCTAssertEqual(Self.bits(p), Self.bits(q), "\(name) step \(t)")
      }
      // Without the state the steps differ, so the comparison above can fail.
      XCTAssertNotEqual(Self.bits(p), Self.bits(fresh.params), name)
      XCTAssertEqual(resumed.stateDict(), opt.stateDict(), name)
    }
  }

  func testResumeIsBitIdentical() throws { try checkResume(viaSafeTensors: false) }
  func testResumeThroughSafeTensorsIsBitIdentical() throws { try checkResume(viaSafeTensors: true) }

  func testStateNames() {
    let p = [Tensor([1, 2]).requiresGrad_()]
    let a = Adam(p, amsgrad: true)
    p[0].grad = Tensor([1, 1]); a.step()
    let s = a.stateDict()
    XCTAssertEqual(Set(s.buffers.keys), ["0.exp_avg", "0.exp_avg_sq", "0.max_exp_avg_sq"])
    XCTAssertEqual(s.steps, [0: 1])
    XCTAssertEqual(s.optimizer, "Adam")
  }

  func testMismatchedStateIsRejected() {
    let p = [Tensor([1, 2]).requiresGrad_()]
    let sgd = SGD(p, lr: 0.1, momentum: 0.9)
    p[0].grad = Tensor([1, 1]); sgd.step()
    let good = sgd.stateDict()

    XCTAssertThrowsError(try Adam(p).loadStateDict(good)) { XCTAssertTrue("\($0)".contains("SGD")) }
    var wrongSize = good; wrongSize.buffers["0.momentum_buffer"] = [1, 2, 3]
    XCTAssertThrowsError(try SGD(p, lr: 0.1, momentum: 0.9).loadStateDict(wrongSize)) { XCTAssertTrue("\($0)".contains("3 values")) }
    var badKey = good; badKey.buffers["1.momentum_buffer"] = [1, 2]
    XCTAssertThrowsError(try SGD(p, lr: 0.1, momentum: 0.9).loadStateDict(badKey))
    var badHyper = good; badHyper.hyperparameters["beta1"] = 0.9
    XCTAssertThrowsError(try SGD(p, lr: 0.1, momentum: 0.9).loadStateDict(badHyper)) { XCTAssertTrue("\($0)".contains("momentum")) }
    // A failed load leaves the optimiser as it was.
    let target = SGD(p, lr: 0.3)
    XCTAssertThrowsError(try target.loadStateDict(wrongSize))
    XCTAssertEqual(target.lr, 0.3)
    XCTAssertTrue(target.stateDict().buffers.isEmpty)
  }
}
