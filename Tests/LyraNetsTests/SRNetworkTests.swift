import Foundation
import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraNets

/// EDSR and ESRN built from descriptions: output sizes, parameter counts worked out from
/// the layer lists, and clear errors for bad genes and sizes.
final class SRNetworkTests: XCTestCase {
  /// A description from JSON text.
  func build(_ text: String, input: [Int]? = [3, 8, 8]) throws -> Module {
    try NetworkRegistry.build(try JSON.parse(Data(text.utf8)), input: input)
  }

  func testEDSRShapeAndParameters() throws {
    let m = try build(#"{"type": "EDSR", "n_resblocks": 2, "n_feats": 8, "scale": 2}"#)
    let y = try m(Tensor.zeros([2, 3, 5, 7]))
    XCTAssertEqual(y.shape, [2, 3, 10, 14])
    let f = 8
    let conv = { (i: Int, o: Int, k: Int) in i * o * k * k + o }
    let expected = conv(3, f, 3) + 2 * 2 * conv(f, f, 3) + conv(f, f, 3) + conv(f, 4 * f, 3) + conv(f, 3, 3)
    XCTAssertEqual(m.parameterCount, expected)
    let x4 = try build(#"{"type": "EDSR", "n_resblocks": 1, "n_feats": 4, "scale": 4}"#, input: [1, 8, 8])
    XCTAssertEqual(try x4(Tensor.zeros([1, 1, 3, 3])).shape, [1, 1, 12, 12])
    XCTAssertThrowsError(try build(#"{"type": "EDSR", "scale": 5}"#))
  }

  /// An untrained bilinear-skip network (EDSR or ESRN) outputs the bilinear up-sampling
  /// (its last conv starts at zero); without the skip it does not.
  func testBilinearSkipIsTheStartingPoint() throws {
    let x = Tensor.randn([1, 3, 4, 4], generator: Generator(seed: 1))
    for text in [#"{"type": "EDSR", "n_resblocks": 1, "n_feats": 4, "skip": "bilinear"}"#,
                 #"{"type": "ESRN", "G0": 8, "skip": "bilinear", "architecture": ["C_2_8_8", "S_2_8_8"]}"#] {
      let m = try build(text)
      let d = try m(x).sub(x.upsample(8, 8, mode: .bilinear)).abs().max().item()
      XCTAssertLessThan(d, 1e-6, text)
    }
    let plain = try build(#"{"type": "EDSR", "n_resblocks": 1, "n_feats": 4}"#)
    XCTAssertGreaterThan(try plain(x).abs().max().item(), 1e-3)
    XCTAssertThrowsError(try build(#"{"type": "EDSR", "skip": "bicubic"}"#)) { XCTAssertTrue("\($0)".contains("skip")) }
  }

  func testESRNAllBlockTypes() throws {
    let m = try build(#"{"type": "ESRN", "G0": 8, "scale": 2, "architecture": ["S_2_8_16", "G_3_8_8", "C_3_8_12", "S_2_8_12"]}"#)
    XCTAssertEqual(try m(Tensor.randn([1, 3, 6, 8], generator: Generator(seed: 2))).shape, [1, 3, 12, 16])
    let x4 = try build(#"{"type": "ESRN", "G0": 8, "scale": 4, "architecture": ["G_2_8_8"]}"#)
    XCTAssertEqual(try x4(Tensor.zeros([1, 3, 3, 5])).shape, [1, 3, 12, 20])
    // A contextual block halves the resolution inside; odd sides are padded for that path
    // only, so the output is still exactly ×2 and gradients reach every parameter.
    let odd = Tensor.randn([1, 3, 5, 7], generator: Generator(seed: 3))
    let y = try m(odd)
    XCTAssertEqual(y.shape, [1, 3, 10, 14])
    y.sum().backward()
    XCTAssertTrue(m.parameters().allSatisfy { $0.grad != nil })
  }

  /// An S block's parameters from its layer list: in 8 → g 4 (1×1), two 3×3 convs g → g,
  /// shrink convs 2g → g and 3g → out 6, projection 8 → 6 (out ≠ in, out ≠ g).
  func testShrinkBlockParameters() throws {
    let b = try ESRBlock(.S, inChannels: 8, convs: 2, growth: 4, out: 6, path: "t")
    let conv = { (i: Int, o: Int, k: Int) in i * o * k * k + o }
    XCTAssertEqual(b.parameterCount, conv(8, 4, 1) + 2 * conv(4, 4, 3) + conv(8, 4, 1) + conv(12, 6, 1) + conv(8, 6, 1))
    XCTAssertEqual(try b(Tensor.zeros([1, 8, 3, 3])).shape, [1, 6, 3, 3])
    // G block convs are grouped: conv k has min(4, 2^⌊log2 k⌋) groups.
    XCTAssertEqual([1, 2, 3, 4, 5, 8, 9].map(ESRBlock.groups), [1, 2, 2, 4, 4, 4, 4])
  }

  func testBadGenesAreNamed() {
    for bad in ["X_2_8_8", "S_2_8", "S_0_8_8", "S_a_8_8"] {
      XCTAssertThrowsError(try build(#"{"type": "ESRN", "architecture": ["S_2_8_8", "\#(bad)"]}"#)) {
        XCTAssertTrue("\($0)".contains("architecture[2]"), "\($0)")
      }
    }
    XCTAssertThrowsError(try build(#"{"type": "ESRN", "architecture": ["G_4_6_6"]}"#)) { XCTAssertTrue("\($0)".contains("divide")) }
  }
}

/// ESRNCost is the built network's parameter count, for random architectures.
final class ESRNCostTests: XCTestCase {
  func testCostMatchesBuiltNetwork() throws {
    let g = Generator(seed: 11)
    let kinds = ["S", "G", "C"], growth = [4, 8, 12]
    for trial in 0..<12 {
      let n = 1 + g.int(below: 4)
      let arch = (0..<n).map { _ -> String in
        let gi = g.int(below: 3), oi = gi + g.int(below: 3 - gi)
        return "\(kinds[g.int(below: 3)])_\(1 + g.int(below: 4))_\(growth[gi])_\(growth[oi])"
      }
      let g0 = [8, 12, 16][trial % 3], scale = [2, 3, 4][trial % 3]
      let text = "{\"type\": \"ESRN\", \"G0\": \(g0), \"scale\": \(scale), \"architecture\": [\(arch.map { "\"\($0)\"" }.joined(separator: ", "))]}"
      let built = try NetworkRegistry.build(try JSON.parse(Data(text.utf8)), input: [3, 8, 8])
      XCTAssertEqual(ESRNCost.of(architecture: arch, g0: g0, scale: scale)?.params, built.parameterCount, "\(arch) G0 \(g0) x\(scale)")
    }
    XCTAssertNil(ESRNCost.of(architecture: ["Q_1_2_3"], g0: 8, scale: 2))
    // MACs: a 1-block ×2 net by hand per LR pixel: convs at LR, the last conv at 4 HR pixels.
    let c = ESRNCost.of(architecture: ["S_1_8_8"], g0: 8, scale: 2)!
    let lr = 9 * 3 * 8 + 9 * 8 * 8 + (9 * 8 * 8 + 16 * 8) + 8 * 8 + 9 * 8 * 8 + 9 * 8 * 24
    XCTAssertEqual(c.macsPerPixel, lr + 4 * 9 * 6 * 3)
    XCTAssertEqual(c.macs(height: 10, width: 20), c.macsPerPixel * 200)
  }
}
