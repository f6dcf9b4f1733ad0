import Foundation
import XCTest

/// A plot as the value of a REPL entry: written to a file whose path is printed, with a
/// braille sketch underneath.
final class PlotReplTests: XCTestCase {
  func testPlotValueIsWrittenAndSketched() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-plotrepl-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try runLyra([], stdin: "lyra.plot.line({1, 3, 2}, {label = 'loss'})\n", environment: ["LYRA_PLOT_DIR": dir])
    XCTAssertEqual(r.status, 0, r.err)
    let first = r.out.split(separator: "\n").first.map(String.init) ?? ""
    XCTAssertTrue(first.hasPrefix("[plot: line chart, 1 series, 640x400] \(dir)/plot-"), r.out)
    let path = String(first.split(separator: " ").last ?? "")
    XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("<svg"))
    XCTAssertTrue(r.out.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "a braille sketch: \(r.out)")
    XCTAssertTrue(r.out.contains("loss"))
  }
}
