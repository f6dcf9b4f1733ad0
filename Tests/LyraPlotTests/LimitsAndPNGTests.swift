import Foundation
import XCTest
@testable import LyraPlot

/// Axis limits (xlim/ylim), PNG pictures and mosaics, and the one-line summary.
final class LimitsAndPNGTests: XCTestCase {
  func parse(_ svg: String) throws -> SVGDoc { try XCTUnwrap(SVGDoc(svg), "not well-formed:\n\(svg.prefix(1500))") }

  /// ylim replaces the data range for the ticks; points outside the axis are not drawn.
  func testLimitsSetTicksAndDropOutsidePoints() throws {
    let p = Plot.scatter(x: [0, 1, 2, 3], y: [0.5, 2.0, -1.0, 0.25]).ylim(0, 1)
    let doc = try parse(p.svg())
    XCTAssertEqual(doc.all("text", inClass: "yticks").map(\.text), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    let yt = doc.all("text", inClass: "yticks")
    let top = Double(yt.last!.attrs["y"]!)! - 4, bottom = Double(yt.first!.attrs["y"]!)! - 4
    let cy = doc.all("circle", inClass: "series").map { Double($0.attrs["cy"]!)! }
    XCTAssertEqual(cy.count, 2, "2.0 and -1.0 lie outside 0...1")
    XCTAssertEqual(cy[0], bottom + (top - bottom) * 0.5, accuracy: 0.01)
    XCTAssertEqual(cy[1], bottom + (top - bottom) * 0.25, accuracy: 0.01)
    // xlim in either order; a line breaks where it leaves the range.
    let line = Plot.line(x: [0, 1, 2, 3, 4], y: [1, 2, 3, 4, 5]).xlim(3, 0)
    let d = try parse(line.svg()).all("path", inClass: "series").first?.attrs["d"] ?? ""
    XCTAssertEqual(d.filter { $0 == "L" }.count, 3, "four points in 0...3 drawn, x = 4 dropped: \(d)")
    // nil returns to the data range.
    XCTAssertEqual(try parse(p.ylim(nil, nil).svg()).all("circle", inClass: "series").count, 4)
  }

  /// Bars taller than the range are cut at the frame, not dropped.
  func testBarsAreClampedToTheFrame() throws {
    let doc = try parse(Plot.bar(["a", "b"], [0.5, 7]).ylim(0, 1).svg())
    let bars = doc.all("rect", inClass: "series")
    XCTAssertEqual(bars.count, 2)
    let area = try XCTUnwrap(doc.all("rect").first { $0.attrs["class"] == "plot-area" })
    XCTAssertEqual(Double(bars[1].attrs["y"]!)!, Double(area.attrs["y"]!)! + AxesLayout.inset, accuracy: 0.01)
  }

  /// PNG width/height from the IHDR chunk.
  func size(_ png: [UInt8]) -> (Int, Int) {
    func be(_ o: Int) -> Int { png[o..<(o + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return (be(16), be(20))
  }

  func testImagePNGScalesByWholePixels() {
    let img = PlotImage(width: 3, height: 2, pixels: [0, 1, 0, 1, 0, 1])
    let png = img.png(normalization: .unit, scale: 4)
    XCTAssertEqual(Array(png[0..<8]), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    XCTAssertEqual(size(png).0, 12)
    XCTAssertEqual(size(png).1, 8)
    // Stored deflate: the raw rows follow the zlib header; row 0 is filter 0 then 0,0,0,0,255,255,255,255,0,...
    let idat = png.indices.first { String(decoding: png[$0..<($0 + 4)], as: UTF8.self) == "IDAT" }!
    let raw = Array(png[(idat + 4 + 2 + 5)...].prefix(13))
    XCTAssertEqual(raw, [0, 0, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0])
  }

  func testMosaicTilesImagesWithWhiteGaps() {
    let black = PlotImage(width: 2, height: 2, pixels: [0, 0, 0, 0])
    let rgb = PlotImage(width: 2, height: 1, channels: 3, pixels: [1, 0, 0, 0, 1, 0])
    let m = PlotImage.mosaic([black, rgb, black], columns: 2, gap: 1, normalization: .unit)
    XCTAssertEqual(m.channels, 3, "one RGB image makes the mosaic RGB")
    XCTAssertEqual(m.width, 5)
    XCTAssertEqual(m.height, 5)
    func px(_ x: Int, _ y: Int) -> [Float] { Array(m.pixels[((y * 5 + x) * 3)..<((y * 5 + x) * 3 + 3)]) }
    XCTAssertEqual(px(0, 0), [0, 0, 0])
    XCTAssertEqual(px(2, 0), [1, 1, 1], "gap column")
    XCTAssertEqual(px(3, 0), [1, 0, 0])
    XCTAssertEqual(px(4, 0), [0, 1, 0])
    XCTAssertEqual(px(3, 1), [1, 1, 1], "below the shorter image: background")
    XCTAssertEqual(px(0, 3), [0, 0, 0], "third image starts the second row")
    XCTAssertEqual(PlotImage.mosaic([]).width, 0)
  }

  func testPlotPNGOnlyForImages() throws {
    XCTAssertNil(Plot.line(y: [1, 2]).png())
    XCTAssertNil(Plot.images([]).png())
    let p = Plot.images([PlotImage(width: 16, height: 8, pixels: [Float](repeating: 0.5, count: 128))])
    let png = try XCTUnwrap(p.png(minSide: 64))
    XCTAssertEqual(png.width, 64)
    XCTAssertEqual(png.height, 32)
    XCTAssertEqual(size(png.bytes).0, 64)
  }

  func testSummaryAndSize() {
    XCTAssertEqual(Plot.line(y: [1]).line(y: [2]).title("t").summary, "line chart, 2 series, \"t\", 640x400")
    XCTAssertEqual(Plot.histogram([1, 2]).scatter(x: [1], y: [1]).size(width: 300, height: 200).summary,
                   "histogram/scatter chart, 2 series, 300x200")
    XCTAssertEqual(Plot().summary, "empty chart, 640x400")
    let g = Plot.images([PlotImage(width: 2, height: 2, pixels: [0, 0, 0, 0])], cellSize: 32)
    XCTAssertEqual(g.summary, "image grid, 1 image, 44x50")
    let doc = SVGDoc(g.svg())!
    XCTAssertEqual(doc.elements.first?.attrs["width"], "44")
  }
}
