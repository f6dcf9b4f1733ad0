import XCTest
@testable import LyraPlot

final class PreviewTests: XCTestCase {
  func testBrailleLinePreview() {
    let s = Plot.line(y: [1, 2, 3, 2, 1], label: "loss").title("curve").preview(width: 30, height: 5)
    let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
    XCTAssertEqual(lines.first, "curve")
    XCTAssertEqual(lines.count, 1 + 5 + 2)
    XCTAssertTrue(lines[1].hasPrefix("3.5 ┤") || lines[1].contains("┤"))
    XCTAssertTrue(s.unicodeScalars.contains { $0.value > 0x2800 && $0.value <= 0x28FF }, "draws braille dots")
    XCTAssertTrue(lines.last!.contains("loss"))
  }

  func testBrailleBits() {
    var c = BrailleCanvas(cols: 1, rows: 1)
    c.set(0, 0)
    c.set(1, 3)
    XCTAssertEqual(c.lines(), ["\u{2881}"])
  }

  func testPreviewsOfOtherKinds() {
    XCTAssertFalse(Plot.histogram([1, 2, 2, 3, 3, 3]).preview().isEmpty)
    XCTAssertFalse(Plot.bar(["a", "b"], [1, 2]).preview().isEmpty)
    let img = Plot.images([PlotImage(width: 2, height: 2, pixels: [0, 1, 0, 1])], normalization: .unit).preview()
    XCTAssertTrue(img.contains("█") && img.contains(" "))
  }

  func testDeterministicPreview() {
    let p = Plot.scatter(x: [1, 2, 3], y: [3, 1, 2])
    XCTAssertEqual(p.preview(), p.preview())
  }
}

extension PreviewTests {
  /// Every kind of plot previews at the size it was asked for (the REPL's braille picture):
  /// the plot area has exactly `height` rows, none wider than the axis labels plus `width`.
  func testPreviewSizesOfEveryKind() {
    let plots: [(String, Plot)] = [
      ("line", Plot.line(y: (0..<40).map { 2 * exp(-Double($0) / 8) + 0.1 }, label: "loss")),
      ("scatter", Plot.scatter(x: [1, 2, 3, 4, 5], y: [5, 3, 4, 1, 2], highlight: [0, 1, 3])),
      ("hist", Plot.histogram((0..<500).map { sin(Double($0) * 0.37) * cos(Double($0) * 0.11) }, bins: 15)),
      ("bar", Plot.bar(["a", "b", "c"], [3, 1, 2])),
    ]
    for (kind, p) in plots {
      let rows = p.preview(width: 40, height: 6).split(separator: "\n", omittingEmptySubsequences: false)
      let area = rows.filter { $0.contains("┤") || $0.contains("│") }
      XCTAssertEqual(area.count, 6, "\(kind): 6 rows of plot area")
      for r in area { XCTAssertLessThanOrEqual(r.count, 40 + 12, "\(kind): row fits the width") }
    }
  }
}
