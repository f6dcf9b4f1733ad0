import CKernels
import XCTest
@testable import LyraKernels

/// The integer kernels against naive references, on every ISA path this machine has: the
/// quantiser (ties, NaN, clamping), the two packings (byte for byte) and the product itself,
/// which must give the same integers on every path (bit-equal outputs).
final class QuantizedProductTests: XCTestCase {
  /// Deterministic small integers: weights in −127…127, activations in 0…255.
  struct IntRNG {
    var state: UInt64
    mutating func next(_ n: Int) -> Int {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Int((state >> 33) % UInt64(n))
    }
  }

  func eachPath(_ body: (KernelISA) -> Void) {
    let saved = KernelISA.active
    defer { KernelISA.force(saved) }
    for isa in KernelISA.available {
      KernelISA.force(isa)
      body(isa)
    }
  }

  /// The naive product's epilogue, in the order the kernels round it.
  func reference(_ a: [Int8], _ b: [UInt8], m: Int, n: Int, k: Int, zp: Int32, scale: [Float], bias: [Float], relu: Bool) -> [Float] {
    var out = [Float](repeating: 0, count: m * n)
    for r in 0..<m {
      var zs: Int32 = 0
      for j in 0..<k { zs += Int32(a[r * k + j]) }
      for c in 0..<n {
        var acc: Int32 = 0
        for j in 0..<k { acc += Int32(a[r * k + j]) * Int32(b[j * n + c]) }
        var v = Float(acc - zp * zs) * scale[r]
        v = v + bias[r]
        out[r * n + c] = relu && v < 0 ? 0 : v
      }
    }
    return out
  }

  func testProductMatchesNaiveOnEveryPathAndShape() {
    var rng = IntRNG(state: 7)
    // Prime and tile-straddling sizes; k not a multiple of 4, n not of 16, m not of 6, 8 or 12.
    let shapes = [(1, 1, 1), (5, 7, 3), (13, 17, 11), (16, 33, 9), (64, 49, 288), (12, 16, 4), (37, 100, 29), (8, 15, 784)]
    for (m, n, k) in shapes {
      let a = (0..<(m * k)).map { _ in Int8(rng.next(255) - 127) }
      let b = (0..<(k * n)).map { _ in UInt8(rng.next(256)) }
      let scale = (0..<m).map { _ in Float(rng.next(1000) + 1) * 1e-4 }
      let bias = (0..<m).map { _ in Float(rng.next(2001) - 1000) * 1e-3 }
      let zp = Int32(rng.next(256))
      // B as rows of its transpose: lyra_qpack_rows takes x [n][k] and packs xᵀ.
      var bt = [UInt8](repeating: 0, count: n * k)
      for j in 0..<k { for c in 0..<n { bt[c * k + j] = b[j * n + c] } }
      var packed = [UInt8](repeating: 0xAB, count: lyra_qpack_size(k, n))
      lyra_qpack_rows(bt, n, k, k, &packed)
      for relu in [false, true] {
        let want = reference(a, b, m: m, n: n, k: k, zp: zp, scale: scale, bias: bias, relu: relu)
        eachPath { isa in
          let w = lyra_qweights_new(Int32(isa.rawValue), m, k, a, k, scale, bias, zp)!
          defer { lyra_qweights_free(w) }
          var c = [Float](repeating: .nan, count: m * n)
          lyra_qgemm(w, n, packed, &c, n, 1, relu ? 1 : 0)
          XCTAssertEqual(c, want, "\(isa) \(m)x\(n)x\(k) relu \(relu)")
          // Transposed stores (a linear layer's [batch, features] output), with a guard cell.
          var ct = [Float](repeating: .nan, count: m * n + 1)
          lyra_qgemm(w, n, packed, &ct, 1, m, relu ? 1 : 0)
          for r in 0..<m { for col in 0..<n where ct[col * m + r] != want[r * n + col] {
            XCTFail("\(isa) transposed \(m)x\(n)x\(k) at (\(r), \(col))"); return
          } }
          XCTAssertTrue(ct[m * n].isNaN, "\(isa): wrote past C")
        }
      }
    }
  }

  func testQuantizerRoundsHalfToEvenClampsAndMapsNaNToZero() {
    let s: Float = 0.5, z: Float = 10, levels: Float = 255
    // x/s = k + 0.5 ties, both signs, clamping at both ends, NaN and infinities; 37 values so
    // the AVX-512 path's masked tail runs too.
    var x: [Float] = [0, 0.25, 0.75, 1.25, -0.25, -0.75, -5, -5.25, -100, 200, 123.75, .nan, .infinity, -.infinity]
    var rng = TestRNG(3)
    x += rng.array(23, scale: 80)
    let want: [UInt8] = x.map { v in
      var q = (v / s).rounded(.toNearestOrEven) + z
      if !(q >= 0) { q = 0 }
      return UInt8(min(q, levels))
    }
    eachPath { isa in
      var q = [UInt8](repeating: 0xEE, count: x.count + 1)
      lyra_quantize_u8(x, x.count, s, z, levels, &q)
      XCTAssertEqual(Array(q.prefix(x.count)), want, "\(isa)")
      XCTAssertEqual(q[x.count], 0xEE, "\(isa): wrote past the output")
    }
    // Fewer levels (4-bit inputs) clamp at 15.
    var q4 = [UInt8](repeating: 0, count: 2)
    lyra_quantize_u8([100, -100], 2, 1, 3, 15, &q4)
    XCTAssertEqual(q4, [15, 0])
  }

  func testIm2colPackingMatchesNaiveLowering() {
    var rng = IntRNG(state: 11)
    // (C, H, W, kh, kw, sh, sw, ph, pw, dh, dw)
    let cases = [(1, 28, 28, 3, 3, 1, 1, 1, 1, 1, 1), (3, 7, 5, 3, 2, 2, 1, 1, 0, 1, 2), (2, 9, 11, 5, 3, 3, 2, 2, 1, 2, 1),
                 (5, 4, 4, 1, 1, 1, 1, 0, 0, 1, 1), (2, 6, 6, 3, 3, 2, 2, 3, 3, 1, 1), (1, 3, 3, 3, 3, 1, 1, 0, 0, 1, 1)]
    for (C, H, W, kh, kw, sh, sw, ph, pw, dh, dw) in cases {
      let OH = (H + 2 * ph - dh * (kh - 1) - 1) / sh + 1, OW = (W + 2 * pw - dw * (kw - 1) - 1) / sw + 1
      let x = (0..<(C * H * W)).map { _ in UInt8(rng.next(256)) }
      let pad: UInt8 = 77
      let k = C * kh * kw, n = OH * OW, npad = (n + 15) / 16 * 16
      var want = [UInt8](repeating: 0, count: lyra_qpack_size(k, n))
      for row in 0..<k {
        let c = row / (kh * kw), i = row / kw % kh, j = row % kw
        for oh in 0..<OH { for ow in 0..<OW {
          let ih = oh * sh - ph + i * dh, iw = ow * sw - pw + j * dw
          let v = ih >= 0 && ih < H && iw >= 0 && iw < W ? x[(c * H + ih) * W + iw] : pad
          want[((row / 4) * npad + oh * OW + ow) * 4 + row % 4] = v
        } }
      }
      var got = [UInt8](repeating: 0xCD, count: want.count)
      lyra_qpack_im2col(x, C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, OH, OW, pad, &got)
      XCTAssertEqual(got, want, "C\(C) \(H)x\(W) k\(kh)x\(kw) s\(sh),\(sw) p\(ph),\(pw) d\(dh),\(dw)")
    }
  }

  /// The threaded convolution against a float convolution of the dequantised operands.
  func testConvolutionMatchesFloatConvolutionOfTheGrid() {
    var rng = TestRNG(5)
    let s = Conv2dShape(batch: 3, inChannels: 5, height: 9, width: 7, outChannels: 13, kernelH: 3, kernelW: 3,
                        strideH: 2, strideW: 1, padH: 1, padW: 1)
    let x = rng.array(s.inputCount, scale: 2)
    let ints = (0..<s.weightCount).map { i in Int8((i * 37) % 255 - 127) }
    let wScales = (0..<s.outChannels).map { Float($0 + 1) * 1e-3 }
    let bias = rng.array(s.outChannels)
    let grid = QuantizedProduct.Grid(scale: 4.0 / 255, zeroPoint: 128, levels: 255)
    // Float reference on the grid: x → (q − z)·s, w → int·scale.
    let xq = x.map { v -> Float in
      let q = min(max((v / grid.scale).rounded(.toNearestOrEven) + grid.zeroPoint, 0), grid.levels)
      return (q - grid.zeroPoint) * grid.scale
    }
    var wf = [Float](repeating: 0, count: s.weightCount)
    for r in 0..<s.outChannels { for j in 0..<s.patchSize { wf[r * s.patchSize + j] = Float(ints[r * s.patchSize + j]) * wScales[r] } }
    var want = [Float](repeating: 0, count: s.outputCount)
    conv2dForward(s, input: xq, weight: wf, bias: bias, output: &want)
    var first: [Float]?
    for threads in [1, 2] {
      let savedThreads = KernelParallel.maxThreads
      KernelParallel.maxThreads = threads
      defer { KernelParallel.maxThreads = savedThreads }
      eachPath { isa in
        let w = QuantizedProduct.Weights(rows: s.outChannels, k: s.patchSize, ints: ints, weightScales: wScales, bias: bias, grid: grid)!
        var out = [Float](repeating: .nan, count: s.outputCount)
        QuantizedProduct.conv2d(s, input: x, weights: w, output: &out)
        assertClose(out, want, atol: 1e-4, rtol: 1e-4, "\(isa), \(threads) threads")
        if let f = first { XCTAssertEqual(out, f, "\(isa): paths must agree to the bit") } else { first = out }
      }
    }
  }

  func testLinearMatchesFloatProductOfTheGrid() {
    var rng = TestRNG(9)
    let (n, k, m) = (19, 37, 11)
    let x = rng.array(n * k, scale: 3)
    let ints = (0..<(m * k)).map { i in Int8((i * 53) % 201 - 100) }
    let wScales = (0..<m).map { Float($0 + 2) * 2e-3 }
    let grid = QuantizedProduct.Grid(scale: 6.0 / 15, zeroPoint: 7, levels: 15)
    var want = [Float](repeating: 0, count: n * m)
    for b in 0..<n { for r in 0..<m {
      var acc: Float = 0
      for j in 0..<k {
        let q = min(max((x[b * k + j] / grid.scale).rounded(.toNearestOrEven) + grid.zeroPoint, 0), grid.levels)
        acc += (q - grid.zeroPoint) * grid.scale * Float(ints[r * k + j]) * wScales[r]
      }
      want[b * m + r] = acc
    } }
    eachPath { isa in
      let w = QuantizedProduct.Weights(rows: m, k: k, ints: ints, weightScales: wScales, bias: nil, grid: grid)!
      var out = [Float](repeating: .nan, count: n * m)
      QuantizedProduct.linear(n: n, input: x, weights: w, output: &out)
      assertClose(out, want, atol: 1e-4, rtol: 1e-4, "\(isa)")
    }
  }
}
