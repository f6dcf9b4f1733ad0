import XCTest

extension XCTestCase {
  /// Fails at the first element of `a` farther than `tol` (relative above 1) from the naive
  /// reference `b` computed in Double, naming `what` and the index.
  func assertClose(_ a: [Float], _ b: [Double], tol: Double = 1e-5, _ what: String, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, what, line: line)
    for (i, (x, y)) in zip(a, b).enumerated() where Swift.abs(Double(x) - y) > tol * Swift.max(1, Swift.abs(y)) {
      return XCTFail("\(what)[\(i)]: \(x) vs reference \(y)", line: line)
    }
  }
}
