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
