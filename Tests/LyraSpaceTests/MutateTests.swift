import XCTest
import LyraBase
@testable import LyraSpace

final class MutateTests: XCTestCase {
  func testChangesExactlyOneValue() throws {
    let s = try allTypesSpace()
    let g = Generator(seed: 13)
    var changedKeys = Set<String>()
    for _ in 0..<2000 {
      let c = s.sample(g)
      let m = s.mutate(c, g)
      XCTAssertNoThrow(try s.validate(m))
      XCTAssertEqual(Set(m.keys), Set(c.keys))
      let diff = c.keys.filter { c[$0]! != m[$0]! }
      XCTAssertEqual(diff.count, 1, "changed \(diff)")
      changedKeys.formUnion(diff)
    }
    XCTAssertEqual(changedKeys, Set(s.keys.filter { $0 != "one" }), "every changeable key gets mutated; a single choice never")
  }

  func testConditionalMutationKeepsOtherValues() throws {
    let s = try SearchSpace(jsonText: jointHPOAugmentJSON)
    let g = Generator(seed: 14)
    for _ in 0..<2000 {
      let c = s.sample(g)
      let m = s.mutate(c, g)
      XCTAssertNoThrow(try s.validate(m))
      let both = Set(c.keys).intersection(m.keys)
      XCTAssertEqual(both.filter { c[$0]! != m[$0]! }.count, 1)
      // Keys that appeared or vanished are children of the changed key.
      let changed = both.first { c[$0]! != m[$0]! }!
      for k in Set(c.keys).symmetricDifference(m.keys) {
        XCTAssertTrue(s.conditions.contains { $0.child == k && ($0.parent == changed || c[$0.parent] != m[$0.parent] || c[$0.parent] == nil || m[$0.parent] == nil) }, "\(k) switched without its parent changing")
      }
    }
  }
}
