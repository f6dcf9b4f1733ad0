import XCTest
import LyraBase
@testable import LyraSpace

final class ConditionTests: XCTestCase {
  func testEqualSwitchesChild() throws {
    let space = try SearchSpace(jsonText: ashaJSON)
    let g = Generator(seed: 1)
    var on = 0, off = 0
    for _ in 0..<1000 {
      let c = space.sample(g)
      let sgd = c["trainer.optimizer.type"] == "SGD"
      XCTAssertEqual(c["trainer.optimizer.params.momentum"] != nil, sgd)
      if sgd { on += 1 } else { off += 1 }
      let u = space.encode(c)
      XCTAssertEqual(u[3].isNaN, !sgd, "inactive coordinates encode as NaN")
    }
    XCTAssertGreaterThan(on, 300)
    XCTAssertGreaterThan(off, 300)
  }

  func testDecodeDropsInactiveChildEvenWithCoordinates() throws {
    let space = try SearchSpace(jsonText: ashaJSON)
    let adam = space.decode([0, 0.5, 0.2, 0.3])
    XCTAssertEqual(adam["trainer.optimizer.type"], "Adam")
    XCTAssertNil(adam["trainer.optimizer.params.momentum"])
    let sgd = space.decode([0, 0.5, 0.9, Double.nan])
    XCTAssertEqual(sgd["trainer.optimizer.params.momentum"], .double(0.495))
    XCTAssertTrue(space.isActive("trainer.optimizer.params.momentum", in: sgd))
    XCTAssertFalse(space.isActive("trainer.optimizer.params.momentum", in: adam))
  }

  func testNotEqualInCategoricalAndNumericRange() throws {
    let space = try SearchSpace(
      parameters: [hp("p", .category, ["a", "b", "c"]), hp("n", .int, [0, 10]),
                   hp("ne", .float, [0, 1]), hp("inc", .float, [0, 1]), hp("inr", .float, [0, 1])],
      conditions: [Condition(child: "ne", parent: "p", rule: .notEqual("a")),
                   Condition(child: "inc", parent: "p", rule: .oneOf(["a", "c"])),
                   Condition(child: "inr", parent: "n", rule: .range(3, 5))])
    let g = Generator(seed: 2)
    var seen = Set<String>()
    for _ in 0..<2000 {
      let c = space.sample(g)
      let p = c["p"]!.description, n = c["n"]!.wholeNumber!
      XCTAssertEqual(c["ne"] != nil, p != "a")
      XCTAssertEqual(c["inc"] != nil, p == "a" || p == "c")
      XCTAssertEqual(c["inr"] != nil, (3...5).contains(n))
      seen.insert("\(c["ne"] != nil)\(c["inc"] != nil)\(c["inr"] != nil)")
    }
    XCTAssertEqual(seen.count, 6, "every reachable on/off pattern occurs")
  }

  func testChainOfConditions() throws {
    let space = try SearchSpace(
      parameters: [hp("c", .float, [0, 1]), hp("b", .category, ["p", "q"]), hp("a", .category, ["x", "y"])],
      conditions: [Condition(child: "b", parent: "a", rule: .equal("x")), Condition(child: "c", parent: "b", rule: .equal("p"))])
    XCTAssertEqual(space.order.map { space.parameters[$0].key }, ["a", "b", "c"], "parents come first")
    let g = Generator(seed: 3)
    var states = Set<Int>()
    for _ in 0..<1000 {
      let c = space.sample(g)
      XCTAssertEqual(c["b"] != nil, c["a"] == "x")
      XCTAssertEqual(c["c"] != nil, c["a"] == "x" && c["b"] == "p")
      states.insert(c.count)
      XCTAssertNoThrow(try space.validate(c))
    }
    XCTAssertEqual(states, [1, 2, 3])
    // The grandchild goes away when the grandparent switches, even if b is still set.
    XCTAssertFalse(space.isActive("c", in: ["a": "y", "b": "p"]))
    let d = space.decode([0.5, 0, 1])  // a = y
    XCTAssertEqual(d, ["a": "y"])
  }

  func testValidateConditions() throws {
    let space = try SearchSpace(jsonText: ashaJSON)
    let base: Config = ["dataset.batch_size": 64, "trainer.optimizer.params.lr": 0.01, "trainer.optimizer.type": "SGD"]
    assertSpaceError(["trainer.optimizer.params.momentum", "missing"]) { try space.validate(base) }
    var ok = base
    ok["trainer.optimizer.params.momentum"] = 0.9
    XCTAssertNoThrow(try space.validate(ok))
    var adam = ok
    adam["trainer.optimizer.type"] = "Adam"
    assertSpaceError(["trainer.optimizer.params.momentum", "inactive"]) { try space.validate(adam) }
  }
}
