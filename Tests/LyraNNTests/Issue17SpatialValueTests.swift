import Foundation
import LyraBase
import LyraKernels
import LyraTensor
import XCTest
@testable import LyraNN

/// Conv1d, MaxPool1d, AdaptiveMaxPool2d, Dropout2d and Upsample against naive loops.
final class Issue17SpatialValueTests: XCTestCase {
  func testConv1dMatchesTheDefiningSum() throws {
    let (n, cin, cout, l, k, s, p, d, g) = (2, 4, 6, 9, 3, 2, 2, 2, 2)
    let conv = Conv1d(cin, cout, k, stride: s, padding: p, dilation: d, groups: g, generator: Generator(seed: 1))
    let x = GradData.tensor([n, cin, l], seed: 2)
    let xv = x.toArray(), w = conv.weight.toArray(), b = conv.bias!.toArray()
    let lo = (l + 2 * p - d * (k - 1) - 1) / s + 1
    var ref: [Double] = []
    for bi in 0..<n { for o in 0..<cout { for t in 0..<lo {
      let group = o / (cout / g)
      var acc = Double(b[o])
      for ci in 0..<(cin / g) { for j in 0..<k {
        let pos = t * s - p + j * d
        guard pos >= 0, pos < l else { continue }
        acc += Double(w[(o * (cin / g) + ci) * k + j]) * Double(xv[(bi * cin + group * (cin / g) + ci) * l + pos])
      } }
      ref.append(acc)
    } } }
    let y = try conv(x)
    XCTAssertEqual(y.shape, [n, cout, lo])
    assertClose(y.toArray(), ref, tol: 1e-5, "Conv1d")
    XCTAssertThrowsError(try conv(GradData.tensor([2, 3, 9], seed: 3))) { XCTAssertTrue("\($0)".contains("input [N, 4, L]"), "\($0)") }
    XCTAssertThrowsError(try Conv1d(4, 2, 5)(GradData.tensor([1, 4, 3], seed: 4)))
  }

  /// The definition: every input pixel scatters its weighted kernel into the output at
  /// stride steps (out[o, i·s − p + a·d] += x[c, i] · W[c, o, a]).
  func testConvTranspose2dMatchesTheScatterDefinition() throws {
    for (k, s, p, op, d, g, seed) in [(Window2d(3, 2), Window2d(2, 3), Window2d(1, 0), Window2d(1, 2), Window2d(1), 1, UInt64(1)),
                                      (Window2d(3), Window2d(1), Window2d(2), Window2d(0), Window2d(2), 2, 2),
                                      (Window2d(4), Window2d(2), Window2d(1), Window2d(0), Window2d(1), 1, 3)] {
      let (n, cin, cout, h, w) = (2, 4, 6, 3, 4)
      let m = ConvTranspose2d(cin, cout, kernel: k, stride: s, padding: p, outputPadding: op, dilation: d, groups: g,
                              generator: Generator(seed: seed))
      let x = GradData.tensor([n, cin, h, w], seed: seed + 10)
      let oh = (h - 1) * s.h - 2 * p.h + d.h * (k.h - 1) + op.h + 1, ow = (w - 1) * s.w - 2 * p.w + d.w * (k.w - 1) + op.w + 1
      let xv = x.toArray(), wv = m.weight.toArray(), bv = m.bias!.toArray()
      let ig = cin / g, og = cout / g
      var ref = [Double](repeating: 0, count: n * cout * oh * ow)
      for b in 0..<n { for o in 0..<cout { for i in 0..<(oh * ow) { ref[(b * cout + o) * oh * ow + i] = Double(bv[o]) } } }
      for b in 0..<n { for c in 0..<cin { for i in 0..<h { for j in 0..<w {
        let grp = c / ig
        for oo in 0..<og { for a in 0..<k.h { for e in 0..<k.w {
          let y = i * s.h - p.h + a * d.h, z = j * s.w - p.w + e * d.w
          guard y >= 0, y < oh, z >= 0, z < ow else { continue }
          let o = grp * og + oo
          ref[((b * cout + o) * oh + y) * ow + z] += Double(xv[((b * cin + c) * h + i) * w + j]) * Double(wv[((c * og + oo) * k.h + a) * k.w + e])
        } } }
      } } } }
      let out = try m(x)
      XCTAssertEqual(out.shape, [n, cout, oh, ow])
      assertClose(out.toArray(), ref, tol: 1e-5, "ConvTranspose2d k \(k) s \(s) p \(p) op \(op) d \(d) g \(g)")
    }
    let m = ConvTranspose2d(2, 3, kernel: Window2d(3), padding: Window2d(3))
    XCTAssertThrowsError(try m(GradData.tensor([1, 2, 2, 2], seed: 9))) { XCTAssertTrue("\($0)".contains("gives an output of -2x-2"), "\($0)") }
    XCTAssertThrowsError(try m(GradData.tensor([1, 3, 2, 2], seed: 9))) { XCTAssertTrue("\($0)".contains("input [N, 2, H, W]"), "\($0)") }
  }

  /// Multiply-adds counted by hand: Conv1d out·(in/g)·k per output; ConvTranspose2d
  /// (out/g)·kH·kW per input value.
  func testProfilesCountTheNewConvolutions() throws {
    let conv = Conv1d(4, 6, 3, padding: 1, groups: 2)
    XCTAssertEqual(try Profile(conv, inputShape: [2, 4, 10]).macs, 2 * 6 * 10 * 2 * 3)
    let up = ConvTranspose2d(4, 6, kernel: Window2d(4), stride: Window2d(2), padding: Window2d(1), groups: 2)
    XCTAssertEqual(try Profile(up, inputShape: [1, 4, 5, 5]).macs, 4 * 5 * 5 * 3 * 16)
  }

  func testMaxPool1dAndAdaptiveMaxPool2dTakeTheirWindowsMaxima() throws {
    let x = GradData.tensor([2, 3, 7], seed: 5)
    let v = x.toArray()
    var ref: [Double] = []
    for row in 0..<6 { for o in 0..<4 { // kernel 3, stride 2, padding 1: windows [2o-1, 2o+1]
      ref.append(Double((max(0, 2 * o - 1)...min(6, 2 * o + 1)).map { v[row * 7 + $0] }.max()!))
    } }
    assertClose(try MaxPool1d(3, stride: 2, padding: 1)(x).toArray(), ref, "MaxPool1d")

    let img = GradData.tensor([1, 2, 7, 5], seed: 6)
    let iv = img.toArray()
    for (oh, ow) in [(3, 2), (7, 5), (1, 1), (2, 4)] {
      var aref: [Double] = []
      for c in 0..<2 { for i in 0..<oh { for j in 0..<ow {
        let r0 = i * 7 / oh, r1 = Int((Double((i + 1) * 7) / Double(oh)).rounded(.up))
        let c0 = j * 5 / ow, c1 = Int((Double((j + 1) * 5) / Double(ow)).rounded(.up))
        var m = -Float.infinity
        for r in r0..<r1 { for q in c0..<c1 { m = max(m, iv[(c * 7 + r) * 5 + q]) } }
        aref.append(Double(m))
      } } }
      assertClose(try AdaptiveMaxPool2d(oh, ow)(img).toArray(), aref, "AdaptiveMaxPool2d \(oh)x\(ow)")
    }
    XCTAssertThrowsError(try AdaptiveMaxPool2d(2)(Tensor.zeros([1, 2, 0, 3])))
    XCTAssertThrowsError(try MaxPool1d(3)(Tensor.zeros([1, 2, 2]))) // window longer than the input
    XCTAssertThrowsError(try MaxPool1d(2, padding: 2)(x)) { XCTAssertTrue("\($0)".contains("at most half the kernel"), "\($0)") }
  }

  func testDropout2dDropsWholeChannels() throws {
    let d = Dropout2d(0.5, generator: Generator(seed: 7))
    let y = try d(Tensor.ones([8, 6, 3, 2])).toArray()
    var dropped = 0
    for plane in 0..<48 {
      let vals = Set(y[(plane * 6)..<(plane * 6 + 6)])
      XCTAssertEqual(vals.count, 1, "plane \(plane) is all dropped or all kept")
      XCTAssertTrue(vals == [0] || vals == [2], "kept values scale by 1 / (1 - p): \(vals)")
      if vals == [0] { dropped += 1 }
    }
    XCTAssertTrue(dropped > 5 && dropped < 43, "about half the planes dropped: \(dropped) of 48")
    XCTAssertEqual(try d.eval()(Tensor.ones([2, 3, 2, 2])).toArray(), [Float](repeating: 1, count: 24))
    XCTAssertEqual(try Dropout2d(1).train()(Tensor.ones([2, 3, 4])).toArray(), [Float](repeating: 0, count: 24))
    XCTAssertThrowsError(try d.train()(Tensor.ones([2, 3])))
  }

  func testUpsampleNearestAndBilinearMatchTheirDefinitions() throws {
    let x = GradData.tensor([1, 2, 3, 4], seed: 8)
    let v = x.toArray()
    let near = try Upsample(scale: (2, 3))(x)
    XCTAssertEqual(near.shape, [1, 2, 6, 12])
    var nref: [Double] = []
    for c in 0..<2 { for i in 0..<6 { for j in 0..<12 { nref.append(Double(v[(c * 3 + i / 2) * 4 + j / 3])) } } }
    assertClose(near.toArray(), nref, "nearest")
    // Bilinear, align_corners false: source = (dst + 0.5) · in / out − 0.5, clamped at 0.
    func bilinear(_ oh: Int, _ ow: Int, align: Bool) -> [Double] {
      var out: [Double] = []
      func src(_ o: Int, _ inSize: Int, _ outSize: Int) -> (Int, Int, Double) {
        let s = align ? (outSize > 1 ? Double(o) * Double(inSize - 1) / Double(outSize - 1) : 0)
                      : max(0, (Double(o) + 0.5) * Double(inSize) / Double(outSize) - 0.5)
        let i0 = min(Int(s), inSize - 1), i1 = min(i0 + 1, inSize - 1)
        return (i0, i1, s - Double(i0))
      }
      for c in 0..<2 { for i in 0..<oh { for j in 0..<ow {
        let (r0, r1, fr) = src(i, 3, oh), (c0, c1, fc) = src(j, 4, ow)
        func at(_ r: Int, _ q: Int) -> Double { Double(v[(c * 3 + r) * 4 + q]) }
        out.append((1 - fr) * ((1 - fc) * at(r0, c0) + fc * at(r0, c1)) + fr * ((1 - fc) * at(r1, c0) + fc * at(r1, c1)))
      } } }
      return out
    }
    assertClose(try Upsample(size: (5, 7), mode: .bilinear)(x).toArray(), bilinear(5, 7, align: false), tol: 1e-5, "bilinear")
    assertClose(try Upsample(size: (5, 7), mode: .bilinear, alignCorners: true)(x).toArray(), bilinear(5, 7, align: true),
                tol: 1e-5, "bilinear, align_corners")
    XCTAssertEqual(try Upsample(scale: (0.5, 0.5))(x).shape, [1, 2, 1, 2], "floor(H * scale)")
    XCTAssertThrowsError(try Upsample(scale: (0.2, 1))(x)) { XCTAssertTrue("\($0)".contains("gives an output of 0.0x4.0"), "\($0)") }
    XCTAssertThrowsError(try Upsample(scale: (2, 2))(Tensor.zeros([2, 3]))) { XCTAssertTrue("\($0)".contains("[N, C, H, W]"), "\($0)") }
  }
}
