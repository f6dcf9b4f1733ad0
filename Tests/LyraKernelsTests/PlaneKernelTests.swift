import XCTest
import CKernels
@testable import LyraKernels

/// CKernels' per-plane loops (planes.c) on every ISA path against scalar Double references, on
/// lengths around every vector width (0, 1, below, at and past 4, 8, 16 and 32 lanes), with
/// masks holding zeros, negatives and NaN.
final class PlaneKernelTests: XCTestCase {
  static let lengths = [0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 100]

  func forEachPath(_ body: (KernelISA) -> Void) {
    let saved = KernelISA.active
    defer { KernelISA.force(saved) }
    for isa in KernelISA.available { KernelISA.force(isa); body(isa) }
  }

  func close(_ a: Float, _ b: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(Double(a), b, accuracy: 1e-4 * max(1, abs(b)), what, file: file, line: line)
  }

  func testSumsMatchReference() {
    var rng = TestRNG(3)
    for n in PlaneKernelTests.lengths {
      let x = rng.array(n), g = rng.array(n)
      var keep = rng.array(n)
      if n > 2 { keep[0] = 0; keep[1] = .nan }
      let mean: Float = 0.25
      let sum = x.reduce(0.0) { $0 + Double($1) }
      var sg = 0.0, sgx = 0.0, msg = 0.0, msgx = 0.0
      for i in 0..<n {
        sg += Double(g[i]); sgx += Double(g[i]) * Double(x[i] - mean)
        let kept = !(keep[i] <= 0)   // NaN keeps the gradient, as the vector compare does
        if kept { msg += Double(g[i]); msgx += Double(g[i]) * Double(x[i] - mean) }
      }
      let shift: Float = -0.75
      let ssum = x.reduce(0.0) { $0 + Double($1 - shift) }, ssq = x.reduce(0.0) { $0 + pow(Double($1 - shift), 2) }
      forEachPath { isa in
        var d: Float = .nan, dd: Float = .nan
        lyra_plane_shifted_sums(x, n, shift, &d, &dd)
        close(d, ssum, "\(isa) shifted sum n=\(n)"); close(dd, ssq, "\(isa) shifted squares n=\(n)")
        close(lyra_plane_sum(x, n), sum, "\(isa) sum n=\(n)")
        var a: Float = .nan, b: Float = .nan
        lyra_plane_grad_sums(g, x, nil, n, mean, &a, &b)
        close(a, sg, "\(isa) Σg n=\(n)"); close(b, sgx, "\(isa) Σg·x̂ n=\(n)")
        lyra_plane_grad_sums(g, x, keep, n, mean, &a, &b)
        close(a, msg, "\(isa) masked Σg n=\(n)"); close(b, msgx, "\(isa) masked Σg·x̂ n=\(n)")
      }
    }
  }

  func testElementwiseLoopsMatchReference() {
    var rng = TestRNG(5)
    for n in PlaneKernelTests.lengths {
      var x = rng.array(n)
      let g = rng.array(n)
      var keep = rng.array(n)
      if n > 3 { keep[0] = 0; keep[1] = .nan; x[2] = .nan }
      let (k, meanG, mean, xCoef, scale, shift): (Float, Float, Float, Float, Float, Float) = (1.5, 0.1, -0.2, 0.3, 2, -0.5)
      forEachPath { isa in
        for relu in [false, true] {
          var y = [Float](repeating: 7, count: n)
          lyra_plane_affine(x, &y, n, scale, shift, relu ? 1 : 0)
          for i in 0..<n {
            let v = x[i] * scale + shift
            if v.isNaN { XCTAssertTrue(y[i].isNaN, "\(isa) affine relu \(relu) n=\(n): NaN must propagate, as PyTorch's ReLU"); continue }
            close(y[i], Double(relu ? max(v, 0) : v), "\(isa) affine relu \(relu) n=\(n) i=\(i)")
          }
        }
        for masked in [false, true] {
          var d = [Float](repeating: 7, count: n)
          lyra_plane_bn_grad_input(g, x, &d, masked ? keep : nil, n, k, meanG, mean, xCoef)
          for i in 0..<n where !x[i].isNaN {
            let gv: Float = masked && keep[i] <= 0 ? 0 : g[i]
            close(d[i], Double(k * (gv - meanG - (x[i] - mean) * xCoef)), "\(isa) bn dx masked \(masked) n=\(n) i=\(i)")
          }
        }
      }
    }
  }

  /// In place (y aliasing x), as batch norm's forward may run.
  func testAffineInPlace() {
    forEachPath { isa in
      var x: [Float] = (0..<37).map { Float($0) - 18 }
      let expected = x.map { max($0 * 0.5 + 1, 0) }
      x.withUnsafeMutableBufferPointer { p in lyra_plane_affine(p.baseAddress!, p.baseAddress!, 37, 0.5, 1, 1) }
      XCTAssertEqual(x, expected, "\(isa)")
    }
  }

  /// SGD with momentum, every flag combination (decay, Nesterov, first step) on every path,
  /// against PyTorch's update in Double; 37 values so the vector body and the tail both run.
  func testSGDMomentumMatchesReference() {
    var rng = TestRNG(17)
    let n = 37
    let w0 = rng.array(n), g = rng.array(n), v0 = rng.array(n)
    let (lr, wd, mu, keep): (Float, Float, Float, Float) = (0.1, 0.01, 0.9, 0.75)
    for decay in [false, true] { for nesterov in [false, true] { for first in [false, true] {
      var wRef = [Float](repeating: 0, count: n), vRef = wRef
      for i in 0..<n {
        let d = Double(g[i]) + (decay ? Double(wd) * Double(w0[i]) : 0)
        let vi = first ? d : Double(mu) * Double(v0[i]) + Double(keep) * d
        vRef[i] = Float(vi)
        wRef[i] = Float(Double(w0[i]) - Double(lr) * (nesterov ? d + Double(mu) * vi : vi))
      }
      forEachPath { isa in
        var w = w0, v = v0
        OptimizerKernels.sgdMomentum(w: &w, g: g, v: &v, count: n, negLr: -lr, weightDecay: decay ? wd : 0, momentum: mu,
                                     keep: keep, nesterov: nesterov, first: first)
        let tag = "\(isa) decay \(decay) nesterov \(nesterov) first \(first)"
        assertClose(w, wRef, atol: 1e-6, rtol: 1e-6, tag)
        assertClose(v, vRef, atol: 1e-6, rtol: 1e-6, tag)
      }
    } } }
  }
}
