import XCTest
@testable import LyraBase

final class GeneratorTests: XCTestCase {
  /// Known-answer test from the Random123 distribution (kat_vectors: philox4x32_10,
  /// counter 0, key 0 → 6627e8d5 e169c58d bc57ac4c 9b00dbd8).
  func testPhiloxKnownAnswer() {
    let b = Generator.block(counter: 0, key: 0)
    XCTAssertEqual([b.0, b.1, b.2, b.3], [0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8])
  }

  /// The stream seed 42 gave before the generator moved from LyraKernels to LyraBase
  /// (computed with the LyraKernels copy at main 8d9dbf0): seeded runs, pinned search
  /// results and saved algorithm states depend on every value staying the same.
  func testSeed42StreamIsTheOneLyraKernelsGave() {
    let g = Generator(seed: 42)
    XCTAssertEqual((0..<8).map { _ in g.nextUInt32() },
                   [0x9CEA_F053, 0x77F5_493B, 0x12BF_50AD, 0x5742_B3D7, 0xFCDB_2127, 0x53BA_6CFD, 0x838F_5A6E, 0x744E_06FB])
    XCTAssertEqual((0..<4).map { _ in g.nextUInt64() },
                   [0xD36C_0225_A887_5DCB, 0x9A4D_6D99_C609_A559, 0xBAC7_0475_ABAF_0DAB, 0x961E_5543_610E_67F7])
    XCTAssertEqual((0..<3).map { _ in g.nextDouble() }, [0.32641814575508354, 0.3227430217051226, 0.314847471493638])
    XCTAssertEqual((0..<3).map { _ in g.nextFloat() }, [0.05178386, 0.040606737, 0.22548205])
    // Box-Muller goes through libm's log/sin/cos: equal to the last bits on one machine,
    // so a tolerance far below any value's spacing that matters.
    let normals = (0..<3).map { _ in g.normal() }
    for (x, want) in zip(normals, [0.31706963186676695, 0.7022928595322873, 0.5599385172000361]) { XCTAssertEqual(x, want, accuracy: 1e-12) }
    XCTAssertEqual((0..<10).map { _ in g.int(below: 10) }, [1, 9, 4, 2, 3, 7, 4, 5, 6, 3])
    XCTAssertEqual((0..<3).map { _ in g.int(below: 1 << 40) }, [624_176_037_651, 555_164_878_388, 173_433_564_829])
    XCTAssertEqual(g.permutation(10), [5, 6, 8, 0, 3, 2, 7, 9, 4, 1])
    XCTAssertEqual(g.state.seed, 42)
    XCTAssertEqual(g.state.counter, 15)
    let s = g.split(stream: 3)
    XCTAssertEqual(s.seed, 701_532_786_141_963_250)
    XCTAssertEqual((0..<4).map { _ in s.nextUInt32() }, [0x4A74_86A0, 0xE658_9078, 0x991E_7B52, 0xF784_4E0C])
    XCTAssertEqual(Generator.mix(0), 0xE220_A839_7B1D_CDAF)
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
