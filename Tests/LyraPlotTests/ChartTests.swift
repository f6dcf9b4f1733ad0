import XCTest
import LyraBase
@testable import LyraPlot

final class ChartTests: XCTestCase {
  func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) throws -> SVGDoc {
    try XCTUnwrap(SVGDoc(svg), "not well-formed XML:\n\(svg.prefix(2000))", file: file, line: line)
  }

  /// Points land where the axes say: on the pixel of the tick with the same value.
  func testPointCoordinates() throws {
    let doc = try parse(Plot.scatter(x: [0, 1, 0.5], y: [0, 1, 0.25]).svg())
    // Tick labels of both axes are 0.0 … 1.0; a label's x (x axis) or y − 4 (y axis) is its tick's pixel.
    let xt = doc.all("text", inClass: "xticks"), yt = doc.all("text", inClass: "yticks")
    XCTAssertEqual(xt.map(\.text), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    XCTAssertEqual(yt.map(\.text), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    let px0 = Double(xt.first!.attrs["x"]!)!, px1 = Double(xt.last!.attrs["x"]!)!
    let py0 = Double(yt.first!.attrs["y"]!)! - 4, py1 = Double(yt.last!.attrs["y"]!)! - 4
    XCTAssertLessThan(px0, px1)
    XCTAssertGreaterThan(py0, py1, "y grows downwards in SVG")
    // The frame encloses the data range with a small inset.
    let area = try XCTUnwrap(doc.all("rect").first { $0.attrs["class"] == "plot-area" })
    XCTAssertEqual(Double(area.attrs["x"]!)! + AxesLayout.inset, px0, accuracy: 0.01)
    let c = doc.all("circle", inClass: "series").map { (Double($0.attrs["cx"]!)!, Double($0.attrs["cy"]!)!) }
    XCTAssertEqual(c.count, 3)
    XCTAssertEqual(c[0].0, px0, accuracy: 0.01)
    XCTAssertEqual(c[0].1, py0, accuracy: 0.01)
    XCTAssertEqual(c[1].0, px1, accuracy: 0.01)
    XCTAssertEqual(c[1].1, py1, accuracy: 0.01)
    XCTAssertEqual(c[2].0, (px0 + px1) / 2, accuracy: 0.01)
    XCTAssertEqual(c[2].1, py0 + (py1 - py0) * 0.25, accuracy: 0.01)
  }

  func testLogScaleCoordinates() throws {
    let doc = try parse(Plot.line(x: [1, 2, 3], y: [1, 10, 100], markers: true).logY().svg())
    let yt = doc.all("text", inClass: "yticks")
    let py = { (label: String) in Double(yt.first { $0.text == label }!.attrs["y"]!)! - 4 }
    let cy = doc.all("circle", inClass: "series").map { Double($0.attrs["cy"]!)! }
    XCTAssertEqual(cy.count, 3)
    XCTAssertEqual(cy[0], py("1"), accuracy: 0.01)
    XCTAssertEqual(cy[1], py("10"), accuracy: 0.01)
    XCTAssertEqual(cy[1], (py("1") + py("100")) / 2, accuracy: 0.01, "10 is halfway between 1 and 100 on a log axis")
  }

  func testEscapesText() throws {
    let evil = "a<b & \"c\" 'd' > e"
    let svg = Plot.line(y: [1, 2], label: evil).title(evil).xlabel("x & y").ylabel("<y>").svg()
    XCTAssertFalse(svg.contains("a<b"))
    XCTAssertTrue(svg.contains("a&lt;b &amp; &quot;c&quot; &#39;d&#39; &gt; e"))
    let doc = try parse(svg)
    XCTAssertEqual(doc.all("text").first { $0.attrs["class"] == "title" }?.text, evil)
    XCTAssertEqual(doc.all("text").first { $0.attrs["class"] == "ylabel" }?.text, "<y>")
    XCTAssertEqual(TextEscaping.xml("x\u{1}y"), "xy", "control characters are not allowed in XML")
  }

  func testDeterministic() {
    let make = {
      Plot.line(x: [1, 2, 3], y: [0.3, 0.2, 0.15], label: "loss", markers: true)
        .line(y: [0.5, 0.4, 0.1], label: "valid").title("t").xlabel("epoch").ylabel("loss").svg()
    }
    XCTAssertEqual(make(), make())
    XCTAssertEqual(make().hashValue, make().hashValue)
  }

  func testEveryChartTypeRenders() throws {
    let imgs = (0..<5).map { k in
      PlotImage(width: 8, height: 6, channels: k % 2 == 0 ? 1 : 3,
                pixels: (0..<(8 * 6 * (k % 2 == 0 ? 1 : 3))).map { Float($0 % 17) / 16 }, caption: "img \(k)")
    }
    let plots: [(String, Plot)] = [
      ("line", Plot.line(y: [1, 3, 2], label: "a").line(y: [2, 2, 2], label: "b", markers: true)),
      ("scatter", Plot.scatter(x: [1, 2, 3, 4], y: [4, 1, 3, 2], highlight: [1, 3, 0], step: .post)),
      ("step", Plot().step(x: [1, 2, 3], y: [3, 2, 2], label: "best so far", mode: .pre)),
      ("histogram", Plot.histogram((0..<200).map { sin(Double($0)) }, bins: 12, label: "sin")),
      ("bar", Plot.bar(["alpha", "beta", "gamma"], [3, 1, 2], label: "x").bar(["alpha", "beta", "gamma"], [1, 2, 3], label: "y")),
      ("bar-long", Plot.bar((0..<12).map { "a rather long category \($0)" }, (0..<12).map(Double.init))),
      ("images", Plot.images(imgs, columns: 3).title("grid")),
    ]
    // LYRA_PLOT_GALLERY=<file.html> keeps every chart in one page, for a look in a browser.
    if let g = ProcessInfo.processInfo.environment["LYRA_PLOT_GALLERY"] {
      let logPlot = Plot.line(x: [1, 2, 3, 4, 5], y: [0.9, 0.12, 0.05, 0.004, 0.002], label: "loss", markers: true)
        .logY().title("log y").xlabel("epoch").ylabel("loss")
      let body = (plots.map { $0.1.title($0.0) } + [logPlot]).map { $0.svg() }.joined(separator: "\n")
      try Data("<!DOCTYPE html><html><body>\(body)</body></html>".utf8).write(to: URL(fileURLWithPath: g))
    }
    for (name, p) in plots {
      let svg = p.title(name).svg()
      let doc = try parse(svg)
      XCTAssertEqual(doc.elements.first?.name, "svg", name)
      switch name {
      case "images":
        let cells = doc.all("image")
        XCTAssertEqual(cells.count, 5)
        XCTAssertTrue(cells.allSatisfy { $0.attrs["xlink:href"]?.hasPrefix("data:image/png;base64,iVBORw0KGgo") == true })
      case "histogram":
        XCTAssertEqual(doc.all("rect", inClass: "series").count, 12)
      case "bar":
        XCTAssertEqual(doc.all("rect", inClass: "series").count, 6)
        XCTAssertEqual(doc.all("text", inClass: "xticks").map(\.text), ["alpha", "beta", "gamma"])
      case "bar-long":
        XCTAssertTrue(doc.all("text", inClass: "xticks").allSatisfy { $0.attrs["transform"]?.hasPrefix("rotate(-40") == true })
      case "scatter":
        XCTAssertEqual(doc.all("circle", inClass: "series").count, 4 + 3)
        XCTAssertEqual(doc.all("path", inClass: "series").count, 1)
      default:
        XCTAssertGreaterThan(doc.all("path", inClass: "series").count, 0, name)
      }
    }
  }

  func testStepPaths() {
    let r = AxesRenderer(plot: Plot())
    let sx = Scale(lo: 0, hi: 10, p0: 0, p1: 10), sy = Scale(lo: 0, hi: 10, p0: 10, p1: 0)
    XCTAssertEqual(r.path(Series(mark: .stepPost, x: [1, 2], y: [5, 3]), sx, sy), "M1 5L2 5L2 7")
    XCTAssertEqual(r.path(Series(mark: .stepPre, x: [1, 2], y: [5, 3]), sx, sy), "M1 5L1 7L2 7")
    XCTAssertEqual(r.path(Series(mark: .line, x: [1, 2, 3, 4], y: [5, .nan, 3, 4]), sx, sy), "M1 5M3 7L4 6")
  }

  func testNaNAndEmptyData() throws {
    let nanSVG = Plot.line(x: [1, 2, 3, 4], y: [1, .nan, 3, .infinity], markers: true)
      .scatter(x: [.nan, 1], y: [2, .nan]).histogram([.nan, .nan]).svg()
    let doc = try parse(nanSVG)
    XCTAssertEqual(doc.all("circle", inClass: "series").count, 2, "only the finite points get markers")
    XCTAssertFalse(nanSVG.contains("nan") || nanSVG.contains("inf"))
    let empty = try parse(Plot().title("nothing").svg())
    XCTAssertTrue(empty.all("text").contains { $0.text == "no data" })
    _ = try parse(Plot.line(y: []).logY().svg())
    _ = try parse(Plot.line(y: [-1, 0, 2]).logY().svg())
    _ = try parse(Plot.histogram([]).svg())
    _ = try parse(Plot.bar([], []).svg())
    _ = try parse(Plot.images([]).svg())
    _ = try parse(Plot.images([PlotImage(width: 0, height: 0, pixels: [])]).svg())
    XCTAssertEqual(Plot().preview(), "(no data)")
    _ = Plot.images([PlotImage(width: 2, height: 2, pixels: [.nan, 1])]).preview()
  }

  func testWriteToFile() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-plot-\(getpid()).svg").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let p = Plot.line(y: [1, 2, 3])
    try p.write(to: path)
    XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), p.svg())
  }
}
