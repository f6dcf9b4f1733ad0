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
  /// LYRA_PLOT_PREVIEW=1 prints sample previews (a manual look at the terminal output).
  func testPrintSamples() {
    guard ProcessInfo.processInfo.environment["LYRA_PLOT_PREVIEW"] != nil else { return }
    print(Plot.line(y: (0..<40).map { 2 * exp(-Double($0) / 8) + 0.1 }, label: "loss").title("loss curve").preview())
    print(Plot.scatter(x: [1, 2, 3, 4, 5], y: [5, 3, 4, 1, 2], highlight: [0, 1, 3]).preview(width: 40, height: 8))
    print(Plot.histogram((0..<500).map { sin(Double($0) * 0.37) * cos(Double($0) * 0.11) }, bins: 15).preview(width: 40, height: 6))
    print(Plot.bar(["a", "b", "c"], [3, 1, 2]).preview(width: 30, height: 5))
    print(Plot.images([PlotImage(width: 16, height: 16, pixels: (0..<256).map { Float(($0 % 16) * ($0 / 16)) / 225 })]).preview(width: 16, height: 8))
  }
}
