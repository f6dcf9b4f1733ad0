import XCTest
import LyraBase
@testable import LyraSpace

final class SamplingTests: XCTestCase {
  func testSeededSamplingRepeats() throws {
    let s = try allTypesSpace()
    let a = Generator(seed: 42), b = Generator(seed: 42), c = Generator(seed: 43)
    let xs = (0..<50).map { _ in s.sample(a) }
    XCTAssertEqual(xs, (0..<50).map { _ in s.sample(b) })
    XCTAssertNotEqual(xs, (0..<50).map { _ in s.sample(c) })
  }

  func testPriors() {
    let g = Generator(seed: 9)
    // INT includes both ends; FLOAT_EXP is uniform in log10 space (median at the geometric middle).
    let ints = Set((0..<500).map { _ in hp("i", .int, [1, 3]).sample(g) })
    XCTAssertEqual(ints, [1, 2, 3])
    let lr = hp("lr", .floatExp, [1e-5, 0.1])
    let below = (0..<4000).filter { _ in lr.sample(g).number! < 1e-3 }.count
    XCTAssertEqual(Double(below) / 4000, 0.5, accuracy: 0.04)
    // BINARY_CODE [n]: P(1) ~ U(0.8, 0.95), so the mean ones fraction is ≈ 0.875.
    let bc = hp("bc", .binaryCode, [40])
    var ones = 0
    for _ in 0..<500 { if case .list(let l) = bc.sample(g) { ones += l.filter { $0 == 1 }.count } }
    XCTAssertEqual(Double(ones) / (500 * 40), 0.875, accuracy: 0.02)
    // BINARY_CODE [n, k]: exactly k ones.
    for _ in 0..<200 { if case .list(let l) = hp("b", .binaryCode, [10, 4]).sample(g) { XCTAssertEqual(l.filter { $0 == 1 }.count, 4) } }
    // HALF: all ones with probability 1 − prune_ratio, else n/2 ones.
    let half = hp("h", .half, [8, 0.3])
    var full = 0
    for _ in 0..<2000 {
      guard case .list(let l) = half.sample(g) else { return XCTFail() }
      let k = l.filter { $0 == 1 }.count
      XCTAssertTrue(k == 8 || k == 4)
      if k == 8 { full += 1 }
    }
    XCTAssertEqual(Double(full) / 2000, 0.7, accuracy: 0.04)
  }

  func testArraySamplesAreValid() throws {
    let g = Generator(seed: 10)
    let m = hp("m", .multiPositionArray, [8, 3]), a = hp("a", .adjacencyList, [0, 1, 2, 3], sampleNum: 4)
    for _ in 0..<300 {
      XCTAssertNoThrow(try m.check(m.sample(g)))
      XCTAssertNoThrow(try a.check(a.sample(g)))
    }
    assertSpaceError(["m", "distinct increasing"]) { try m.check([3, 1, 5]) }
    assertSpaceError(["a", "repeats"]) { try a.check([[0, 1], [0, 1], [1, 2], [2, 3]]) }
  }
}
