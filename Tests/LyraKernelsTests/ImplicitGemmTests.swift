import XCTest
import CKernels
@testable import LyraKernels

/// The implicit-GEMM convolution: the row-offset GEMM (`lyra_sgemm_offsets`) on every ISA path
/// and packing policy against a naive product, and `ImplicitConv` against the naive
/// convolution on odd stride-1 shapes (prime sizes, channels not a multiple of 16, batch 1,
/// padding 0/1/2, dilation, groups, rectangular kernels), forward and the input gradient that
/// runs as a forward convolution.
final class ImplicitGemmTests: XCTestCase {
  /// B's rows scattered through one buffer (overlapping, out of order, at odd offsets): the
  /// product must read row p at b + boff[p], exactly n floats of it.
  func testOffsetProductMatchesNaiveOnEveryPath() {
    var rng = TestRNG(31)
    let savedPolicy = lyra_gemm_pack_policy
    defer { lyra_gemm_pack_policy = savedPolicy }
    // Tiles 4×16 / 6×16 / 8×32 / 12×32, KC 256-384, packing thresholds m ≥ 8 tiles, n ≥ 8 tiles.
    let cases: [(m: Int, n: Int, k: Int)] = [(1, 1, 1), (5, 17, 9), (13, 37, 27), (16, 300, 41), (24, 33, 397),
                                             (130, 71, 19), (7, 529, 5)]
    for (m, n, k) in cases {
      let bufCount = 3 * n + 4 * k + 11
      let buf = rng.array(bufCount)
      let offsets: [Int32] = (0..<k).map { p in Int32((p * 7919 + 3) % (bufCount - n + 1)) }
      let lda = k + 2, ldc = n + 1
      let a = rng.array(m * lda)
      var expected = [Float](repeating: 42, count: m * ldc)
      for i in 0..<m { for j in 0..<n {
        var acc = 0.0
        for p in 0..<k { acc += Double(a[i * lda + p]) * Double(buf[Int(offsets[p]) + j]) }
        expected[i * ldc + j] = Float(acc)
      } }
      for isa in KernelISA.available { for policy: Int32 in [0, 1, 2] {
        lyra_gemm_pack_policy = policy
        var out = [Float](repeating: .nan, count: m * ldc)
        for i in 0..<m { out[i * ldc + n] = 42 }   // beyond column n: must survive
        let rc = lyra_sgemm_offsets(Int32(isa.rawValue), m, n, k, a, lda, buf, offsets, 0, &out, ldc)
        XCTAssertEqual(rc, 0)
        assertClose(out, expected, atol: 2e-5 * Float(k).squareRoot() + 1e-5, rtol: 1e-5,
                    "m \(m) n \(n) k \(k) isa \(isa) policy \(policy)")
      } }
    }
  }

  /// Stride-1 shapes the implicit path takes, each with something odd.
  static let shapes: [Conv2dShape] = [
    // Batch 1, prime sizes, 17 → 19 channels (not multiples of 16), pad 1.
    Conv2dShape(batch: 1, inChannels: 17, height: 13, width: 11, outChannels: 19, kernel: 3, padding: 1),
    // Pad 0 (every row's last 2 columns junk), pad 2 with a 5×5 kernel.
    Conv2dShape(batch: 2, inChannels: 3, height: 7, width: 9, outChannels: 5, kernel: 3, padding: 0),
    Conv2dShape(batch: 1, inChannels: 5, height: 11, width: 7, outChannels: 13, kernel: 5, padding: 2),
    // Groups (each group's channels at its own offset in the padded image).
    Conv2dShape(batch: 2, inChannels: 6, height: 11, width: 13, outChannels: 9, kernel: 3, padding: 2, groups: 3),
    // Dilation 2 with uneven padding, rectangular 2×3 kernel, 1×3 kernel with row padding only.
    Conv2dShape(batch: 1, inChannels: 7, height: 10, width: 9, outChannels: 6, kernelH: 3, kernelW: 3,
                strideH: 1, strideW: 1, padH: 1, padW: 2, dilationH: 2, dilationW: 2, groups: 1),
    Conv2dShape(batch: 3, inChannels: 4, height: 5, width: 8, outChannels: 3, kernelH: 2, kernelW: 3,
                strideH: 1, strideW: 1, padH: 1, padW: 0, dilationH: 1, dilationW: 1, groups: 1),
    // A 1×1 kernel with padding (not the plain-GEMM pointwise case).
    Conv2dShape(batch: 2, inChannels: 3, height: 4, width: 5, outChannels: 3, kernel: 1, padding: 1),
    // Wide enough that the GEMM packs A (n ≥ 8 tiles) and 40 output channels (12-row tile edges).
    Conv2dShape(batch: 2, inChannels: 12, height: 23, width: 29, outChannels: 40, kernel: 3, padding: 1),
  ]

  func testForwardMatchesNaive() {
    for (n, s) in ImplicitGemmTests.shapes.enumerated() { XCTAssertTrue(ImplicitConv.applies(s), "shape \(n)") }
    NaiveConv.checkForward(ImplicitGemmTests.shapes, seed: 200)
  }

  /// The stride-1 input gradient runs as a forward convolution of the flipped kernel, so it
  /// takes the implicit path too (ungrouped shapes).
  func testInputGradientMatchesNaive() {
    for (n, s) in ImplicitGemmTests.shapes.enumerated() where s.backwardInputAsForward != nil {
      var rng = TestRNG(UInt64(300 + n))
      let x = rng.array(s.inputCount), w = rng.array(s.weightCount), dy = rng.array(s.outputCount)
      let (edx, _) = NaiveConv.backward(s, x, w, dy)
      withKernelSettings { setting in
        var dx = [Float](repeating: .nan, count: s.inputCount)
        conv2dBackwardInput(s, gradOutput: dy, weight: w, gradInput: &dx)
        assertClose(dx, edx, "dx shape \(n) \(setting)")
      }
    }
  }

  /// Not taken: strides above 1, depthwise, 1×1 unpadded, a patch shorter than the output
  /// channels, and the switch off.
  func testAppliesOnlyWhereRowsAreContiguous() {
    let saved = Conv2dTuning.implicitGemm
    defer { Conv2dTuning.implicitGemm = saved }
    Conv2dTuning.implicitGemm = true
    XCTAssertFalse(ImplicitConv.applies(Conv2dShape(batch: 1, inChannels: 4, height: 8, width: 8, outChannels: 4,
                                                    kernel: 3, stride: 2, padding: 1)))
    XCTAssertFalse(ImplicitConv.applies(Conv2dShape(batch: 1, inChannels: 4, height: 8, width: 8, outChannels: 4,
                                                    kernel: 3, padding: 1, groups: 4)))
    XCTAssertFalse(ImplicitConv.applies(Conv2dShape(batch: 1, inChannels: 4, height: 8, width: 8, outChannels: 4,
                                                    kernel: 1)))
    // A shallow patch feeding many channels (the CNN's first layer, K 9 < 32) stays on im2col.
    XCTAssertFalse(ImplicitConv.applies(Conv2dShape(batch: 1, inChannels: 1, height: 8, width: 8, outChannels: 32,
                                                    kernel: 3, padding: 1)))
    let plain = Conv2dShape(batch: 1, inChannels: 4, height: 8, width: 8, outChannels: 4, kernel: 3, padding: 1)
    XCTAssertTrue(ImplicitConv.applies(plain))
    Conv2dTuning.implicitGemm = false
    XCTAssertFalse(ImplicitConv.applies(plain))
  }
}
