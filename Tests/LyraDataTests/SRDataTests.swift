import Foundation
import LyraBase
import XCTest
@testable import LyraData

/// MATLAB-compatible bicubic resizing, packed SR pairs and the DIV2K-layout folder.
final class SRDataTests: XCTestCase {
  // MARK: imresize

  /// The kernel at points worked out by hand from Keys' a = -0.5 formula.
  func testCubicKernelHandValues() {
    XCTAssertEqual(Imresize.cubic(0), 1)
    XCTAssertEqual(Imresize.cubic(0.25), 0.8671875)   // 1.5/64 - 2.5/16 + 1
    XCTAssertEqual(Imresize.cubic(0.75), 0.2265625)   // 1.5·27/64 - 2.5·9/16 + 1
    XCTAssertEqual(Imresize.cubic(-1.25), -0.0703125) // -0.5·125/64 + 2.5·25/16 - 5 + 2
    XCTAssertEqual(Imresize.cubic(1.75), -0.0234375)
    XCTAssertEqual(Imresize.cubic(2), 0)
    XCTAssertEqual(Imresize.cubic(2.5), 0)
  }

  /// ×1/2 of a ramp 10, 20, …, 80 along one row, first output worked out by hand:
  /// u = 1.5, taps j = -2…5 with weights ½·cubic(½(1.5 - j)) = -0.01171875,
  /// -0.03515625, 0.11328125, 0.43359375 (and mirrored), j ≤ 0 read pixels 1 - j
  /// (half-sample symmetric padding): 14.4921875. An antialias-free or zero-padded
  /// resize gives another value.
  func testDownscaleRampBorderHandValue() {
    let ramp = Image(channels: 1, height: 1, width: 8, pixels: (1...8).map { Float($0 * 10) })
    let out = Imresize.resize(ramp, height: 1, width: 4)
    XCTAssertEqual(out.width, 4)
    XCTAssertEqual(Double(out.pixels[0]), 14.4921875, accuracy: 1e-4)
    // Second output: u = 3.5; the only mirrored tap is j = 0 (weight -0.01171875) reading
    // pixel 1 (10) where a straight line would have 0: 35 - 0.1171875.
    XCTAssertEqual(Double(out.pixels[1]), 34.8828125, accuracy: 1e-4)
    // Symmetric: the last output mirrors the first around the ramp's middle (45).
    XCTAssertEqual(Double(out.pixels[3]), 90 - 14.4921875, accuracy: 1e-4)
  }

  /// A naive per-pixel reference of the 2-D resize (rows then columns, both from the
  /// kernel definition) agrees with the separable implementation on a random image.
  func testResizeMatchesNaiveReference() {
    let g = Generator(seed: 3)
    let img = Image(channels: 2, height: 7, width: 9, pixels: (0..<126).map { _ in Float(g.int(below: 256)) })
    for (oh, ow) in [(4, 5), (14, 18), (3, 9)] {
      let fast = Imresize.resize(img, height: oh, width: ow)
      let sh = Double(oh) / 7, sw = Double(ow) / 9
      func weights(_ u: Double, _ s: Double, _ n: Int) -> [(Int, Double)] {
        let aa = s < 1
        var out: [(Int, Double)] = []
        for j in -20...(n + 20) {
          let d = u - Double(j)
          let w = aa ? s * Imresize.cubic(s * d) : Imresize.cubic(d)
          if w != 0 {
            var m = j  // 1-based, mirrored by reflection with the edge pixel repeated
            while m < 1 || m > n { m = m < 1 ? 1 - m : 2 * n + 1 - m }
            out.append((m - 1, w))
          }
        }
        let s = out.reduce(0) { $0 + $1.1 }
        return out.map { ($0.0, $0.1 / s) }
      }
      for c in 0..<2 {
        for y in 0..<oh {
          for x in 0..<ow {
            let wy = weights(Double(y + 1) / sh + 0.5 * (1 - 1 / sh), sh, 7)
            let wx = weights(Double(x + 1) / sw + 0.5 * (1 - 1 / sw), sw, 9)
            var v = 0.0
            for (iy, ky) in wy { for (ix, kx) in wx { v += ky * kx * Double(img[c, iy, ix]) } }
            XCTAssertEqual(Double(fast[c, y, x]), v, accuracy: 1e-3, "\(oh)x\(ow) at \(c),\(y),\(x)")
          }
        }
      }
    }
  }

  /// A constant image stays constant (weights sum to 1) at every scale.
  func testConstantStaysConstant() {
    let img = Image(channels: 3, height: 10, width: 6, fill: 77)
    for (h, w) in [(5, 3), (20, 12), (4, 4)] {
      XCTAssertTrue(Imresize.resize(img, height: h, width: w).pixels.allSatisfy { abs($0 - 77) < 1e-4 })
    }
  }

  // MARK: pairs

  func testPackRoundTripAndAlignedCrop() {
    let g = Generator(seed: 1)
    let hr = Image(channels: 3, height: 8, width: 12, pixels: (0..<288).map { _ in Float(g.int(below: 256)) })
    let lr = Imresize.downscale(hr, by: 2)
    let pair = SRPair(lr: lr, hr: hr, scale: 2)
    let s = pair.packed()
    XCTAssertEqual(s.shape, [15, 4, 6])
    XCTAssertEqual(SRPair(packed: s, channels: 3), pair)
    // HR pixel (c=1, y=5, x=7) sits at channel 3 + 1·4 + 1·2 + 1, LR position (2, 3).
    XCTAssertEqual(s.features[((3 + 4 + 2 + 1) * 4 + 2) * 6 + 3], hr[1, 5, 7])
    let c = pair.cropped(y: 1, x: 2, height: 2, width: 3)
    XCTAssertEqual(c.hr[2, 0, 0], hr[2, 2, 4])
    XCTAssertEqual(c.lr[0, 1, 2], lr[0, 2, 4])
    // Transpose + flips keep LR and HR aligned: HR's 2×2 block over LR pixel (y, x) moves with it.
    let t = pair.transformed(hflip: true, vflip: false, transpose: true)
    XCTAssertEqual(t.lr.shape, [3, 6, 4])
    XCTAssertEqual(t.lr[0, 0, 0], lr[0, 0, 5])
    XCTAssertEqual(t.hr[0, 0, 0], hr[0, 0, 11])
    XCTAssertEqual(t.hr[0, 1, 1], hr[0, 1, 10])
  }

  func testRandomCropTransformIsAlignedAndSeeded() {
    let g = Generator(seed: 2)
    let hr = Image(channels: 1, height: 16, width: 16, pixels: (0..<256).map { _ in Float(g.int(below: 256)) })
    let pair = SRPair(lr: Imresize.downscale(hr, by: 2), hr: hr, scale: 2)
    let t = SRPairCrop(channels: 1, lrSize: 3, hflip: true, vflip: true, rot90: true)
    var a = pair.packed(), b = pair.packed()
    t.apply(&a, generator: Generator(seed: 9))
    t.apply(&b, generator: Generator(seed: 9))
    XCTAssertEqual(a, b)
    XCTAssertEqual(a.shape, [5, 3, 3])
    // The cropped HR is still a 2× region whose downscale-free relation holds: each LR
    // pixel of the crop equals the full LR pixel at some offset found in the original.
    let p = SRPair(packed: a, channels: 1)
    var found = false
    for hf in [false, true] { for vf in [false, true] { for tr in [false, true] {
      let o = pair.transformed(hflip: hf, vflip: vf, transpose: tr)
      for y in 0...5 { for x in 0...5 where o.cropped(y: y, x: x, height: 3, width: 3) == p { found = true } }
    } } }
    XCTAssertTrue(found, "the crop is not an aligned region of any orientation of the pair")
  }

  // MARK: folders and bad files

  func rgb(_ k: Int, h: Int, w: Int) -> [UInt8] { ImageFiles.pattern(k, h: h, w: w, channels: 3) }

  func testFolderMakesLROnTheFlyAndModcrops() throws {
    let d = TempDir()
    try FileManager.default.createDirectory(atPath: d.path + "/hr", withIntermediateDirectories: true)
    d.write("hr/b.png", ImageFiles.libPNG(rgb(1, h: 9, w: 10), h: 9, w: 10, channels: 3))
    d.write("hr/a.jpg", ImageFiles.libJPEG(rgb(2, h: 8, w: 8), h: 8, w: 8, channels: 3))
    let f = try SRImageFolder(hrRoot: d.path + "/hr", scale: 2)
    XCTAssertEqual(f.files.map { ($0 as NSString).lastPathComponent }, ["a.jpg", "b.png"])
    XCTAssertEqual(f.pairs[1].hr.shape, [3, 8, 10])
    XCTAssertEqual(f.pairs[1].lr.shape, [3, 4, 5])
    let expect = Imresize.downscale(f.pairs[1].hr, by: 2).pixels.map { min(max($0.rounded(), 0), 255) }
    XCTAssertEqual(f.pairs[1].lr.pixels, expect)
    XCTAssertNil(f.inputShape)
    let y = try SRImageFolder(hrRoot: d.path + "/hr", scale: 2, color: .y, lrCrop: 3)
    XCTAssertEqual(y.inputShape, [1, 3, 3])
    XCTAssertEqual(y.item(at: 0).shape, [5, 3, 3])
    let px = f.pairs[0].hr
    XCTAssertEqual(Double(y.pairs[0].hr[0, 0, 0]),
                   16 + (65.481 * Double(px[0, 0, 0]) + 128.553 * Double(px[1, 0, 0]) + 24.966 * Double(px[2, 0, 0])) / 255, accuracy: 1e-3)
  }

  func testBadImagesNameTheFile() throws {
    let d = TempDir()
    for sub in ["hr", "lr", "t", "s", "g"] { try FileManager.default.createDirectory(atPath: d.path + "/" + sub, withIntermediateDirectories: true) }
    d.write("hr/0001.png", ImageFiles.libPNG(rgb(1, h: 8, w: 8), h: 8, w: 8, channels: 3))
    d.write("lr/0001x2.png", ImageFiles.libPNG(rgb(1, h: 5, w: 4), h: 5, w: 4, channels: 3))
    assertDataError(try SRImageFolder(hrRoot: d.path + "/hr", lrRoot: d.path + "/lr", scale: 2), contains: ["0001x2.png", "5x4", "4x4"])
    let full = ImageFiles.libPNG(rgb(1, h: 8, w: 8), h: 8, w: 8, channels: 3)
    d.write("t/cut.png", Array(full.prefix(full.count - 30)))
    assertDataError(try SRImageFolder(hrRoot: d.path + "/t", scale: 2), contains: ["cut.png", "PNG"])
    let wide = (0..<(8 * 8 * 3)).flatMap { _ in [UInt8(1), UInt8(2)] }
    d.write("s/deep.png", ImageFiles.rawPNG(wide, rowBytes: 8 * 6, h: 8, declaredW: 8, declaredH: 8, colourType: 2, bitDepth: 16))
    assertDataError(try SRImageFolder(hrRoot: d.path + "/s", scale: 2), contains: ["deep.png", "16-bit"])
    d.write("g/grey.png", ImageFiles.handPNG([UInt8](repeating: 9, count: 64), h: 8, w: 8, channels: 1))
    assertDataError(try SRImageFolder(hrRoot: d.path + "/g", scale: 2), contains: ["grey.png", "grey"])
    assertDataError(try SRImageFolder(hrRoot: d.path + "/hr", scale: 2, lrCrop: 5), contains: ["0001.png", "crop"])
    assertDataError(try SRImageFolder(hrRoot: d.path + "/nothere", scale: 2), contains: ["nothere", "no such folder"])
  }

  func testJPEGHeaderChannels() throws {
    let grey = ImageFiles.libJPEG([UInt8](repeating: 100, count: 64), h: 8, w: 8, channels: 1)
    XCTAssertEqual(try ImageHeader.read(grey, file: "g.jpg"), ImageHeader(width: 8, height: 8, bitDepth: 8, channels: 1))
    let col = ImageFiles.libJPEG(rgb(3, h: 6, w: 10), h: 6, w: 10, channels: 3)
    XCTAssertEqual(try ImageHeader.read(col, file: "c.jpg"), ImageHeader(width: 10, height: 6, bitDepth: 8, channels: 3))
    assertDataError(try ImageHeader.read(Array(col.prefix(4)), file: "short.jpg"), contains: ["short.jpg", "truncated"])
  }
}
