import Foundation
import XCTest
@testable import LyraData

/// ImageFolder and the PNG/JPEG decoders on files written by the tests: planted pixel values
/// (exact for PNG, within a tolerance for lossy JPEG), torchvision's class order, and
/// hostile files that must become errors naming the file.
final class ImageFolderTests: XCTestCase {
  func makeDir(_ dir: TempDir, _ sub: String) {
    try! FileManager.default.createDirectory(atPath: dir.path + "/" + sub, withIntermediateDirectories: true)
  }

  /// CHW value of HWC `pixels` at (c, y, x).
  func chw(_ pixels: [UInt8], w: Int, channels: Int, _ c: Int, _ y: Int, _ x: Int) -> Float {
    Float(pixels[(y * w + x) * channels + c])
  }

  func testPNGPixelsExactClassesSortedLabelsByDirectory() throws {
    let dir = TempDir()
    for sub in ["zebra", "ant", "ant/nested"] { makeDir(dir, sub) }
    let (h, w) = (3, 5)
    let p0 = ImageFiles.pattern(0, h: h, w: w, channels: 3), p1 = ImageFiles.pattern(1, h: h, w: w, channels: 3)
    let p2 = ImageFiles.pattern(2, h: h, w: w, channels: 3)
    dir.write("zebra/a.PNG", ImageFiles.handPNG(p0, h: h, w: w, channels: 3))
    dir.write("ant/b.png", ImageFiles.libPNG(p1, h: h, w: w, channels: 3))
    dir.write("ant/nested/c.png", ImageFiles.handPNG(p2, h: h, w: w, channels: 3))
    dir.write("ant/notes.txt", text: "not an image, skipped")
    let ds = try ImageFolder(root: dir.path)
    XCTAssertEqual(ds.data.classes, ["ant", "zebra"])
    XCTAssertEqual(ds.files.map { String($0.dropFirst(dir.path.count)) }, ["/ant/b.png", "/ant/nested/c.png", "/zebra/a.PNG"])
    XCTAssertEqual(ds.data.labels, [0, 0, 1])
    XCTAssertEqual(ds.count, 3)
    for (k, planted) in [p1, p2, p0].enumerated() {
      let s = ds.item(at: k)
      XCTAssertEqual(s.shape, [3, h, w])
      let img = Image(s)
      for c in 0 ..< 3 { for y in 0 ..< h { for x in 0 ..< w {
        XCTAssertEqual(img[c, y, x], chw(planted, w: w, channels: 3, c, y, x), "image \(k) at \(c),\(y),\(x)")
      } } }
    }
  }

  func testGrayscaleFromGreyAndRGBFiles() throws {
    let dir = TempDir()
    makeDir(dir, "a")
    let (h, w) = (4, 4)
    let grey = ImageFiles.pattern(3, h: h, w: w, channels: 1)
    dir.write("a/grey.png", ImageFiles.handPNG(grey, h: h, w: w, channels: 1))
    // An RGB file whose three channels are equal is grey: its luminance is that value.
    dir.write("a/rgb.png", ImageFiles.handPNG(grey.flatMap { [$0, $0, $0] }, h: h, w: w, channels: 3))
    let ds = try ImageFolder(root: dir.path, grayscale: true)
    XCTAssertEqual(ds.data.imageShape, [1, h, w])
    XCTAssertEqual(ds.item(at: 0).features, grey.map(Float.init))
    XCTAssertEqual(ds.item(at: 1).features, grey.map(Float.init))
    // Grey read as RGB repeats the value in each channel.
    let rgb = try ImageFolder(root: dir.path)
    XCTAssertEqual(rgb.item(at: 0).features, Array(repeating: grey.map(Float.init), count: 3).flatMap { $0 })
  }

  /// 16-bit grey, a palette and RGBA, the layouts real PNG files use besides 8-bit RGB: all
  /// become 8-bit values (16-bit v·257 gives v; alpha 0 composites to black, 255 keeps the colour).
  func testSixteenBitPaletteAndAlphaPNGs() throws {
    let w = 4
    let grey16 = (0 ..< w).flatMap { x -> [UInt8] in let v = 257 * (60 * x + 10); return [UInt8(v >> 8), UInt8(v & 255)] }
    let palette: [UInt8] = [255, 0, 0, 0, 200, 0, 10, 20, 30]
    let indices: [UInt8] = [2, 0, 1, 2]
    let rgba: [UInt8] = [200, 100, 50, 255, 200, 100, 50, 0, 1, 2, 3, 255, 90, 80, 70, 255]
    let decodedGrey = try ImageDecoder.decode(ImageFiles.rawPNG(grey16, rowBytes: 2 * w, h: 1, declaredW: w, declaredH: 1, colourType: 0, bitDepth: 16),
                                              file: "g16.png", channels: 1)
    XCTAssertEqual(decodedGrey.pixels, [10, 70, 130, 190])
    let decodedPalette = try ImageDecoder.decode(ImageFiles.rawPNG(indices, rowBytes: w, h: 1, declaredW: w, declaredH: 1, colourType: 3, bitDepth: 8,
                                                                   plte: palette), file: "p.png", channels: 3)
    XCTAssertEqual(decodedPalette.pixels, [10, 20, 30, 255, 0, 0, 0, 200, 0, 10, 20, 30])
    let decodedRGBA = try ImageDecoder.decode(ImageFiles.rawPNG(rgba, rowBytes: 4 * w, h: 1, declaredW: w, declaredH: 1, colourType: 6, bitDepth: 8),
                                              file: "a.png", channels: 3)
    XCTAssertEqual(decodedRGBA.pixels, [200, 100, 50, 0, 0, 0, 1, 2, 3, 90, 80, 70])
    // A palette index past the palette reads as black (libpng pads the palette), not outside it.
    let pastPalette = try ImageDecoder.decode(ImageFiles.rawPNG([0, 1, 2, 9], rowBytes: w, h: 1, declaredW: w, declaredH: 1, colourType: 3, bitDepth: 8,
                                                                plte: palette), file: "past.png", channels: 3)
    XCTAssertEqual(pastPalette.pixels, [255, 0, 0, 0, 200, 0, 10, 20, 30, 0, 0, 0])
  }

  func testJPEGWithinToleranceOfPlantedPixels() throws {
    let dir = TempDir()
    makeDir(dir, "x")
    let (h, w) = (16, 16)
    // A smooth image (JPEG is lossy on sharp edges): each channel a gentle ramp.
    var planted: [UInt8] = []
    for y in 0 ..< h { for x in 0 ..< w { planted += [UInt8(60 + 4 * x), UInt8(100 + 3 * y), UInt8(180 - 2 * x - y)] } }
    dir.write("x/ramp.jpg", ImageFiles.libJPEG(planted, h: h, w: w, channels: 3))
    let ds = try ImageFolder(root: dir.path)
    let img = Image(ds.item(at: 0))
    var worst: Float = 0
    for c in 0 ..< 3 { for y in 0 ..< h { for x in 0 ..< w {
      worst = max(worst, abs(img[c, y, x] - chw(planted, w: w, channels: 3, c, y, x)))
    } } }
    XCTAssertLessThanOrEqual(worst, 6, "JPEG quality 95 of a smooth ramp should be within 6 levels")
  }

  func testSizeResizesNearestAndMixedSizesNeedIt() throws {
    let dir = TempDir()
    makeDir(dir, "a")
    let small = ImageFiles.pattern(0, h: 2, w: 2, channels: 1)
    dir.write("a/1.png", ImageFiles.handPNG(small, h: 2, w: 2, channels: 1))
    let big = dir.write("a/2.png", ImageFiles.handPNG(ImageFiles.pattern(1, h: 3, w: 5, channels: 1), h: 3, w: 5, channels: 1))
    assertDataError(try ImageFolder(root: dir.path, grayscale: true), contains: [big, "3x5", "2x2", "size = {h, w}"])
    let ds = try ImageFolder(root: dir.path, size: (4, 4), grayscale: true)
    XCTAssertEqual(ds.data.imageShape, [1, 4, 4])
    // A 2x upscale repeats each pixel in a 2x2 block.
    let up = ds.item(at: 0).features
    for y in 0 ..< 4 { for x in 0 ..< 4 { XCTAssertEqual(up[y * 4 + x], Float(small[(y / 2) * 2 + x / 2])) } }
  }

  /// Each hostile file alone in a class directory: the error names it and says what is wrong.
  func testHostileFilesAreErrorsNamingTheFile() throws {
    let good = ImageFiles.pattern(0, h: 8, w: 8, channels: 3)
    let png = ImageFiles.handPNG(good, h: 8, w: 8, channels: 3)
    let jpeg = ImageFiles.libJPEG(good, h: 8, w: 8, channels: 3)
    // Large enough that cutting its tail leaves the headers and part of the scan data,
    // which libjpeg only warns about (and would fill with grey).
    let bigJPEG = ImageFiles.libJPEG(ImageFiles.pattern(1, h: 64, w: 64, channels: 3), h: 64, w: 64, channels: 3)
    let cases: [(name: String, bytes: [UInt8]?, expect: String)] = [
      ("truncated.png", Array(png.prefix(png.count / 2)), "PNG"),
      ("truncated.jpg", Array(jpeg.prefix(jpeg.count / 2)), "JPEG"),
      ("truncated-scan.jpg", Array(bigJPEG.prefix(bigJPEG.count * 3 / 4)), "corrupt or truncated JPEG data"),
      ("garbage.png", Array("this is not an image at all".utf8), "not a PNG or JPEG"),
      ("empty.jpg", [], "empty"),
      ("magic-then-garbage.png", Array(png.prefix(8)) + Array(repeating: 0x41, count: 64), "PNG"),
      ("huge.png", ImageFiles.handPNG(good, h: 8, w: 8, channels: 3, declared: (100_000, 100_000)), "100000 x 100000"),
      ("huge.jpg", ImageFiles.withJPEGSize(jpeg, h: 60_000, w: 60_000), "60000 x 60000"),
      ("folder.png", nil, "is a directory"),
    ]
    for c in cases {
      let dir = TempDir()
      makeDir(dir, "k")
      let path = dir.path + "/k/" + c.name
      if let bytes = c.bytes { dir.write("k/" + c.name, bytes) } else { makeDir(dir, "k/" + c.name) }
      assertDataError(try ImageFolder(root: dir.path), contains: [path, c.expect])
    }
  }

  func testSymbolicLinkLoopIsAnErrorNotARecursion() throws {
    let dir = TempDir()
    makeDir(dir, "a")
    dir.write("a/x.png", ImageFiles.handPNG(ImageFiles.pattern(0, h: 2, w: 2, channels: 1), h: 2, w: 2, channels: 1))
    try FileManager.default.createSymbolicLink(atPath: dir.path + "/a/loop", withDestinationPath: dir.path + "/a")
    assertDataError(try ImageFolder(root: dir.path), contains: ["/a/loop", "nest more than 32 deep"])
  }

  func testLayoutErrors() throws {
    let dir = TempDir()
    assertDataError(try ImageFolder(root: dir.path + "/missing"), contains: ["missing", "no such directory"])
    assertDataError(try ImageFolder(root: dir.path), contains: [dir.path, "no class directories"])
    makeDir(dir, "empty")
    assertDataError(try ImageFolder(root: dir.path), contains: ["empty", "has no image"])
  }
}
