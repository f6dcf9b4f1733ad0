import Foundation
import XCTest
import LyraTensor
@testable import LyraNN

final class OptimFactoryTests: XCTestCase {
  let params = [Tensor([1, 2, 3]).requiresGrad_()]

  func testVegaSGDConfig() throws {
    let o = try Optimizers.make(name: "SGD", params: params, options: ["lr": 0.1, "momentum": 0.9, "weight_decay": 1e-4])
    let sgd = try XCTUnwrap(o as? SGD)
    XCTAssertEqual(sgd.lr, 0.1); XCTAssertEqual(sgd.momentum, 0.9); XCTAssertEqual(sgd.weightDecay, 1e-4)
    XCTAssertFalse(sgd.nesterov); XCTAssertEqual(sgd.dampening, 0)
    XCTAssertTrue(try Optimizers.make(name: "sgd", params: params, options: ["nesterov": true, "momentum": 0.5]) is SGD)
  }

  func testAdamOptions() throws {
    let a = try XCTUnwrap(try Optimizers.make(name: "Adam", params: params,
                                              options: ["lr": 3e-4, "betas": [0.8, 0.99], "eps": 1e-6, "amsgrad": true]) as? Adam)
    XCTAssertEqual(a.lr, 3e-4); XCTAssertEqual(a.betas.0, 0.8); XCTAssertEqual(a.betas.1, 0.99)
    XCTAssertEqual(a.eps, 1e-6); XCTAssertTrue(a.amsgrad); XCTAssertEqual(a.weightDecay, 0)
    let w = try XCTUnwrap(try Optimizers.make(name: "ADAMW", params: params, options: ["weightDecay": 0.05, "amsgrad": 1]) as? AdamW)
    XCTAssertEqual(w.weightDecay, 0.05); XCTAssertTrue(w.amsgrad); XCTAssertEqual(w.lr, 1e-3)
    XCTAssertEqual(try XCTUnwrap(try Optimizers.make(name: "AdamW", params: params) as? AdamW).weightDecay, 0.01)
  }

  func testUnknownNameListsValidNames() {
    XCTAssertThrowsError(try Optimizers.make(name: "Lamb", params: params)) { e in
      let text = "\(e)"
      for n in ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta"] { XCTAssertTrue(text.contains(n), text) }
    }
  }

  func testUnknownOptionListsValidKeys() {
    XCTAssertThrowsError(try Optimizers.make(name: "SGD", params: params, options: ["lr": 0.1, "betas": [0.9, 0.99]])) { e in
      let text = "\(e)"
      for k in ["betas", "lr", "momentum", "dampening", "weight_decay", "nesterov"] { XCTAssertTrue(text.contains(k), text) }
    }
    XCTAssertThrowsError(try Optimizers.make(name: "Adam", params: params, options: ["momentum": 0.9])) { e in
      for k in ["momentum", "betas", "eps", "amsgrad", "weight_decay"] { XCTAssertTrue("\(e)".contains(k), "\(e)") }
    }
  }

  func testBadValuesThrowInsteadOfCrashing() {
    let bad: [(String, [String: OptimizerOption], String)] = [
      ("SGD", ["lr": -1], "learning rate"),
      ("SGD", ["lr": 0.1, "nesterov": true], "nesterov"),
      ("SGD", ["lr": 0.1, "momentum": true], "number"),
      ("SGD", ["nesterov": 0.5], "true or false"),
      ("Adam", ["betas": [0.9]], "two numbers"),
      ("Adam", ["betas": [0.9, 1.0]], "beta"),
      ("AdamW", ["eps": -1e-8], "eps"),
      ("SGD", ["weight_decay": 0.1, "weightDecay": 0.2], "twice"),
    ]
    for (name, options, expected) in bad {
      XCTAssertThrowsError(try Optimizers.make(name: name, params: params, options: options)) { e in
        XCTAssertTrue("\(e)".contains(expected), "\(name) \(options): \(e)")
      }
    }
  }

  func testOptionFromAny() {
    XCTAssertEqual(OptimizerOption(any: 0.1), .number(0.1))
    XCTAssertEqual(OptimizerOption(any: 3), .number(3))
    XCTAssertEqual(OptimizerOption(any: true), .flag(true))
    XCTAssertEqual(OptimizerOption(any: [0.9, 0.99] as [Any]), .numbers([0.9, 0.99]))
    XCTAssertNil(OptimizerOption(any: "fast"))
  }
}
