import Foundation
import LyraBase
import XCTest
@testable import LyraNN

final class InitTests: XCTestCase {
  func testTorchDefaultBoundsAndSpread() {
    let g = Generator(seed: 3)
    let fanIn = 288
    let w = Init.torchDefaultWeight(100_000, fanIn: fanIn, generator: g)
    let bound = Float(1 / Double(fanIn).squareRoot()) // kaiming_uniform(a=√5) == U(±1/√fan_in)
    XCTAssertLessThanOrEqual(w.map(abs).max()!, bound)
    XCTAssertGreaterThan(w.map(abs).max()!, bound * 0.99)
    let variance = w.map { Double($0 * $0) }.reduce(0, +) / Double(w.count)
    XCTAssertEqual(variance, Double(bound * bound) / 3, accuracy: Double(bound * bound) * 0.02)
  }

  func testKaimingNormalAndXavierStd() {
    let g = Generator(seed: 4)
    let k = Init.kaimingNormal(100_000, fan: 50, nonlinearity: "relu", generator: g)
    let vk = k.map { Double($0 * $0) }.reduce(0, +) / Double(k.count)
    XCTAssertEqual(vk, 2.0 / 50, accuracy: 2.0 / 50 * 0.03)
    let x = Init.xavierUniform(100_000, fanIn: 30, fanOut: 70, generator: g)
    let vx = x.map { Double($0 * $0) }.reduce(0, +) / Double(x.count)
    XCTAssertEqual(vx, 2.0 / 100, accuracy: 2.0 / 100 * 0.03)
  }

  func testSameSeedSameWeights() {
    XCTAssertEqual(Init.torchDefaultWeight(10, fanIn: 5, generator: Generator(seed: 9)),
                   Init.torchDefaultWeight(10, fanIn: 5, generator: Generator(seed: 9)))
  }
}
