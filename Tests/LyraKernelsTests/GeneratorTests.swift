import XCTest
@testable import LyraKernels

final class GeneratorTests: XCTestCase {
  /// Known-answer test from the Random123 distribution (kat_vectors: philox4x32_10,
  /// counter 0, key 0 → 6627e8d5 e169c58d bc57ac4c 9b00dbd8).
  func testPhiloxKnownAnswer() {
    let b = Generator.block(counter: 0, key: 0)
    XCTAssertEqual([b.0, b.1, b.2, b.3], [0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8])
  }

  func testSameSeedSameNumbersAndRestore() {
    let a = Generator(seed: 42), b = Generator(seed: 42)
    let xa = (0..<100).map { _ in a.nextUInt32() }
    XCTAssertEqual(xa, (0..<100).map { _ in b.nextUInt32() })
    XCTAssertNotEqual(xa, (0..<100).map { _ in Generator(seed: 43).nextUInt32() })
    let s = a.state
    let next = (0..<8).map { _ in a.nextUInt32() }
    a.restore(seed: s.seed, counter: s.counter)
    XCTAssertEqual((0..<8).map { _ in a.nextUInt32() }, next)
  }

  func testUniformAndNormalMoments() {
    let g = Generator(seed: 7)
    let n = 200_000
    var s = 0.0, s2 = 0.0, u = 0.0
    for _ in 0..<n {
      let x = g.normal()
      s += x
      s2 += x * x
      let f = Double(g.nextFloat())
      XCTAssert(f >= 0 && f < 1)
      u += f
    }
    XCTAssertEqual(s / Double(n), 0, accuracy: 0.01)
    XCTAssertEqual(s2 / Double(n), 1, accuracy: 0.02)
    XCTAssertEqual(u / Double(n), 0.5, accuracy: 0.005)
  }

  func testIntBelowIsUniformAndInRange() {
    let g = Generator(seed: 1)
    var counts = [Int](repeating: 0, count: 7)
    for _ in 0..<70_000 { counts[g.int(below: 7)] += 1 }
    for c in counts { XCTAssertEqual(Double(c), 10_000, accuracy: 400) }
    let p = g.permutation(50)
    XCTAssertEqual(p.sorted(), Array(0..<50))
    XCTAssertNotEqual(p, Array(0..<50))
  }
}
