import LyraBase
import XCTest
@testable import LyraData

/// Each augmentation op against hand-computed results on tiny images.
final class AugmentTests: XCTestCase {
  let g = Generator(seed: 1)

  func grey(_ rows: [[Float]]) -> Image {
    Image(channels: 1, height: rows.count, width: rows[0].count, pixels: rows.flatMap { $0 })
  }

  /// A 3×h×w image with distinct integer values 0..<3hw (scaled into [0, 255]).
  func rgb(_ h: Int, _ w: Int) -> Image {
    Image(channels: 3, height: h, width: w, pixels: (0 ..< 3 * h * w).map { Float(($0 * 7) % 256) })
  }

  func op(_ name: String) -> any AugmentOp { try! AugmentRegistry.op(named: name) }

  func testInvert() {
    let img = grey([[0, 10, 255]])
    XCTAssertEqual(op("Invert").applied(to: img, magnitude: 3, generator: g).pixels, [255, 245, 0])
    let twice = op("Invert").applied(to: op("Invert").applied(to: rgb(4, 5), magnitude: 0, generator: g), magnitude: 0, generator: g)
    XCTAssertEqual(twice, rgb(4, 5))
  }

  func testFlipKnown2x3() {
    let img = grey([[1, 2, 3], [4, 5, 6]])
    XCTAssertEqual(op("Flip").applied(to: img, magnitude: 0, generator: g), grey([[3, 2, 1], [6, 5, 4]]))
    var c = Image(channels: 2, height: 1, width: 2, pixels: [1, 2, 3, 4])
    Flip().apply(&c, magnitude: 0, generator: g)
    XCTAssertEqual(c.pixels, [2, 1, 4, 3])
  }

  func testPosterize() {
    XCTAssertEqual(Posterize.bits(magnitude: 0), 8)
    XCTAssertEqual(Posterize.bits(magnitude: 5), 6)
    XCTAssertEqual(Posterize.bits(magnitude: 10), 4)
    let img = grey([[0, 15, 16, 200, 255, 127]])
    XCTAssertEqual(op("Posterize").applied(to: img, magnitude: 10, generator: g).pixels, [0, 0, 16, 192, 240, 112])
    XCTAssertEqual(op("Posterize").applied(to: img, magnitude: 5, generator: g).pixels, [0, 12, 16, 200, 252, 124])
    XCTAssertEqual(op("Posterize").applied(to: img, magnitude: 0, generator: g), img)
  }

  func testSolarize() {
    let img = grey([[0, 127, 128, 200, 255]])
    var t = img
    Solarize.solarize(&t, threshold: 128)
    XCTAssertEqual(t.pixels, [0, 127, 127, 55, 0])
    XCTAssertEqual(op("Solarize").applied(to: img, magnitude: 0, generator: g), img)
    XCTAssertEqual(op("Solarize").applied(to: img, magnitude: 10, generator: g).pixels, [255, 128, 127, 55, 0])
    XCTAssertEqual(Solarize.threshold(magnitude: 5), 128)
  }

  /// 90° counter-clockwise on a square: out[y][x] = in[x][n−1−y].
  func testRotate90MatchesManual() {
    for n in [3, 4, 5] {
      let img = Image(channels: 2, height: n, width: n, pixels: (0 ..< 2 * n * n).map(Float.init))
      var r = img
      Rotate.rotate(&r, degrees: 90)
      for c in 0 ..< 2 { for y in 0 ..< n { for x in 0 ..< n { XCTAssertEqual(r[c, y, x], img[c, x, n - 1 - y], "n=\(n)") } } }
      var full = img
      for _ in 0 ..< 4 { Rotate.rotate(&full, degrees: 90) }
      XCTAssertEqual(full, img)
      var back = r
      Rotate.rotate(&back, degrees: -90)
      XCTAssertEqual(back, img)
    }
  }

  func testRotateMagnitude() {
    let img = rgb(6, 6)
    XCTAssertEqual(op("Rotate").applied(to: img, magnitude: 0, generator: g), img)
    // Magnitude 10 is ±30°: the result equals one of the two direct rotations.
    var plus = img, minus = img
    Rotate.rotate(&plus, degrees: 30)
    Rotate.rotate(&minus, degrees: -30)
    var seen = Set<Bool>()
    for s in 0 ..< 20 {
      let out = op("Rotate").applied(to: img, magnitude: 10, generator: Generator(seed: UInt64(s)))
      XCTAssertTrue(out == plus || out == minus)
      seen.insert(out == plus)
    }
    XCTAssertEqual(seen.count, 2, "both directions occur")
    XCTAssertNotEqual(plus, img)
  }

  func testShearX() {
    // 4 rows of 4; at level ±0.3 row y samples x + 0.5 ± 0.3(y + 0.5): rows 0–1 stay, rows 2–3 move by one.
    let img = grey([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]])
    let left = grey([[1, 2, 3, 4], [5, 6, 7, 8], [10, 11, 12, 0], [14, 15, 16, 0]])
    let right = grey([[1, 2, 3, 4], [5, 6, 7, 8], [0, 9, 10, 11], [0, 13, 14, 15]])
    var seen = Set<Bool>()
    for s in 0 ..< 20 {
      let out = op("ShearX").applied(to: img, magnitude: 10, generator: Generator(seed: UInt64(s)))
      XCTAssertTrue(out == left || out == right, "\(out.pixels)")
      seen.insert(out == left)
    }
    XCTAssertEqual(seen.count, 2)
    XCTAssertEqual(op("ShearX").applied(to: img, magnitude: 0, generator: g), img)
    XCTAssertEqual(op("ShearY").applied(to: img, magnitude: 0, generator: g), img)
    // ShearY is ShearX of the transpose.
    let t = grey([[1, 5, 9, 13], [2, 6, 10, 14], [3, 7, 11, 15], [4, 8, 12, 16]])
    let outY = op("ShearY").applied(to: t, magnitude: 10, generator: Generator(seed: 3))
    let outX = op("ShearX").applied(to: img, magnitude: 10, generator: Generator(seed: 3))
    for y in 0 ..< 4 { for x in 0 ..< 4 { XCTAssertEqual(outY[0, y, x], outX[0, x, y]) } }
  }

  func testTranslate() {
    XCTAssertEqual(Translate.pixels(magnitude: 10, side: 32), 10)
    XCTAssertEqual(Translate.pixels(magnitude: 10, side: 28), 8)
    XCTAssertEqual(Translate.pixels(magnitude: 5, side: 32), 5)
    let img = Image(channels: 1, height: 2, width: 32, pixels: (0 ..< 64).map(Float.init))
    XCTAssertEqual(op("TranslateX").applied(to: img, magnitude: 0, generator: g), img)
    let out = op("TranslateX").applied(to: img, magnitude: 10, generator: Generator(seed: 4))
    var l = img, r = img
    Crop.shift(&l, dx: 10, dy: 0, fill: 0)
    Crop.shift(&r, dx: -10, dy: 0, fill: 0)
    XCTAssertTrue(out == l || out == r)
    XCTAssertEqual(l[0, 1, 0], 42)
    XCTAssertEqual(l[0, 1, 22], 0)
    let tall = Image(channels: 1, height: 32, width: 1, pixels: (0 ..< 32).map(Float.init))
    let outY = op("TranslateY").applied(to: tall, magnitude: 10, generator: g)
    XCTAssertTrue(outY.pixels.first == 10 || outY.pixels.last == 21)
  }

  func testCropShiftKnown() {
    var img = grey([[1, 2, 3], [4, 5, 6]])
    Crop.shift(&img, dx: 1, dy: 0, fill: 0)
    XCTAssertEqual(img, grey([[2, 3, 0], [5, 6, 0]]))
    img = grey([[1, 2, 3], [4, 5, 6]])
    Crop.shift(&img, dx: -1, dy: 1, fill: 9)
    XCTAssertEqual(img, grey([[9, 4, 5], [9, 9, 9]]))
  }

  func testRandomCropIsAShiftWithinPadding() {
    let img = rgb(8, 8)  // padding 1
    var shifts = Set<[Int]>()
    for s in 0 ..< 40 {
      let out = op("Crop").applied(to: img, magnitude: 0, generator: Generator(seed: UInt64(s)))
      var match: [Int]?
      for dy in -1 ... 1 { for dx in -1 ... 1 {
        var e = img
        Crop.shift(&e, dx: dx, dy: dy, fill: 0)
        if e == out { match = [dx, dy] }
      } }
      XCTAssertNotNil(match)
      if let match { shifts.insert(match) }
    }
    XCTAssertGreaterThan(shifts.count, 4)
  }

  func testEnhanceOps() {
    XCTAssertEqual(Enhance.factor(magnitude: 5), 1)
    XCTAssertEqual(Enhance.factor(magnitude: 0), 0.1, accuracy: 1e-7)
    XCTAssertEqual(Enhance.factor(magnitude: 10), 1.9, accuracy: 1e-7)
    let img = rgb(5, 5)
    for name in ["Brightness", "Contrast", "Color", "Sharpness"] {
      XCTAssertEqual(op(name).applied(to: img, magnitude: 5, generator: g), img, name)
      XCTAssertNotEqual(op(name).applied(to: img, magnitude: 0, generator: g), img, name)
    }
    let small = grey([[100, 200]])
    XCTAssertEqual(op("Brightness").applied(to: small, magnitude: 0, generator: g).pixels[0], 10, accuracy: 1e-4)
    XCTAssertEqual(op("Brightness").applied(to: small, magnitude: 10, generator: g).pixels, [190, 255])
    // Contrast blends with the mean (150): 150 ± 0.1·50.
    let c = op("Contrast").applied(to: small, magnitude: 0, generator: g).pixels
    XCTAssertEqual(c[0], 145, accuracy: 1e-4)
    XCTAssertEqual(c[1], 155, accuracy: 1e-4)
    // Color on a grey image changes nothing; on RGB it pulls toward the luma.
    XCTAssertEqual(op("Color").applied(to: small, magnitude: 0, generator: g), small)
    let px = Image(channels: 3, height: 1, width: 1, pixels: [200, 100, 0])
    let luma: Float = (299 * 200 + 587 * 100) / 1000
    let col = op("Color").applied(to: px, magnitude: 0, generator: g).pixels
    XCTAssertEqual(col[0], luma + 0.1 * (200 - luma), accuracy: 1e-3)
    XCTAssertEqual(col[2], luma + 0.1 * (0 - luma), accuracy: 1e-3)
    // Sharpness: a constant image has nothing to sharpen; a centre spike is blurred toward (5·v)/13.
    let flat = Image(channels: 1, height: 4, width: 4, fill: 77)
    XCTAssertEqual(op("Sharpness").applied(to: flat, magnitude: 0, generator: g), flat)
    let spike = grey([[0, 0, 0], [0, 130, 0], [0, 0, 0]])
    let s = op("Sharpness").applied(to: spike, magnitude: 0, generator: g)
    XCTAssertEqual(s[0, 1, 1], 50 + 0.1 * (130 - 50), accuracy: 1e-3)
    XCTAssertEqual(s[0, 0, 0], 0)
  }

  func testEqualize() {
    // 1024 pixels, half 10 and half 20: step = (1024 − 512) / 255 = 2, so 10 → 0, 20 → 255.
    let img = Image(channels: 1, height: 32, width: 32, pixels: (0 ..< 1024).map { $0 < 512 ? 10 : 20 })
    let out = op("Equalize").applied(to: img, magnitude: 0, generator: g)
    XCTAssertEqual(out.pixels.filter { $0 == 0 }.count, 512)
    XCTAssertEqual(out.pixels.filter { $0 == 255 }.count, 512)
    let flat = Image(channels: 3, height: 4, width: 4, fill: 33)
    XCTAssertEqual(op("Equalize").applied(to: flat, magnitude: 0, generator: g), flat)
  }

  func testAutoContrast() {
    let img = Image(channels: 2, height: 1, width: 3, pixels: [50, 100, 150, 7, 7, 7])
    XCTAssertEqual(op("AutoContrast").applied(to: img, magnitude: 0, generator: g).pixels, [0, 127, 255, 7, 7, 7])
  }

  func testCutout() {
    XCTAssertEqual(Cutout.size(magnitude: 10, side: 32), 20)
    XCTAssertEqual(Cutout.size(magnitude: 10, side: 16), 10)
    let img = Image(channels: 3, height: 32, width: 32, fill: 0)
    XCTAssertEqual(op("Cutout").applied(to: img, magnitude: 0, generator: g), img)
    for s in 0 ..< 10 {
      let out = op("Cutout").applied(to: img, magnitude: 10, generator: Generator(seed: UInt64(s)))
      let cut = out.pixels.filter { $0 == 128 }.count
      XCTAssertGreaterThanOrEqual(cut, 3 * 10 * 10)
      XCTAssertLessThanOrEqual(cut, 3 * 20 * 20)
      XCTAssertEqual(cut % 3, 0)
    }
    var small = grey([[1, 2, 3], [4, 5, 6]])
    Cutout.cut(&small, y0: -1, x0: 1, size: 2, fill: 0)
    XCTAssertEqual(small, grey([[1, 0, 0], [4, 5, 6]]))
  }

  func testEveryOpPreservesShapeAndRepeatsWithTheSeed() {
    let img = rgb(5, 7)
    for name in AugmentRegistry.names {
      for m in [0.0, 3.0, 10.0] {
        let a = op(name).applied(to: img, magnitude: m, generator: Generator(seed: 11))
        let b = op(name).applied(to: img, magnitude: m, generator: Generator(seed: 11))
        XCTAssertEqual(a.shape, [3, 5, 7], name)
        XCTAssertEqual(a.pixels.count, img.pixels.count, name)
        XCTAssertEqual(a, b, name)
        XCTAssertTrue(a.pixels.allSatisfy { $0 >= 0 && $0 <= 255 }, name)
      }
    }
    let grey1 = Image(channels: 1, height: 28, width: 28, pixels: (0 ..< 784).map { Float($0 % 256) })
    for name in AugmentRegistry.names {
      XCTAssertEqual(op(name).applied(to: grey1, magnitude: 7, generator: g).shape, [1, 28, 28], name)
    }
  }

  func testRegistry() {
    let expected = ["AutoContrast", "Brightness", "Color", "Contrast", "Crop", "Cutout", "Equalize", "Flip", "Identity",
                    "Invert", "Posterize", "Rotate", "Sharpness", "ShearX", "ShearY", "Solarize", "TranslateX", "TranslateY"]
    XCTAssertEqual(AugmentRegistry.names, expected)
    for n in expected { XCTAssertEqual(op(n).name, n) }
    assertDataError(try AugmentRegistry.op(named: "Rotat"), contains: ["unknown augmentation op 'Rotat'", "Rotate", "ShearX", "Cutout"])
  }

  func testPolicyTransform() throws {
    assertDataError(try AugmentTransform(named: [("Rotate", 0.5, 11)]), contains: ["Rotate", "magnitude must be in [0, 10]", "11"])
    assertDataError(try AugmentTransform(named: [("Rotate", 1.5, 1)]), contains: ["probability"])
    assertDataError(try AugmentTransform(named: [("Foo", 0.5, 1)]), contains: ["unknown augmentation op 'Foo'"])
    let policy = try AugmentTransform(named: [("Invert", 1, 0), ("Flip", 0, 0)])
    var s = Sample(features: [1, 2, 3], shape: [1, 1, 3], label: 0)
    policy.apply(&s, generator: g)
    XCTAssertEqual(s.features, [254, 253, 252])
    XCTAssertEqual(s.shape, [1, 1, 3])
  }
}
