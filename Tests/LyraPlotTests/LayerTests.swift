import XCTest
@testable import LyraPlot

final class LayerTests: XCTestCase {
  func testName() { XCTAssertEqual(LyraPlotLayer.name, "LyraPlot") }
}
