import LyraNN
import XCTest
@testable import LyraPipeline

final class QuotaTests: XCTestCase {
  func testParsesTheIssueExample() throws {
    let q = try Quota("flops < 0.6 and params in [100, 500] and latency < 5")
    XCTAssertEqual(q.clauses.count, 3)
    XCTAssertEqual(q.needs, [.flops, .params, .latency])
    XCTAssertTrue(q.admits(QuotaMeasurements(flops: 0.5, params: 100, latency: 4.9)))
    XCTAssertTrue(q.admits(QuotaMeasurements(flops: 0.1, params: 500, latency: 0)))
    XCTAssertFalse(q.admits(QuotaMeasurements(flops: 0.6, params: 200, latency: 1)))  // strict <
    XCTAssertFalse(q.admits(QuotaMeasurements(flops: 0.1, params: 99.9, latency: 1)))
    XCTAssertFalse(q.admits(QuotaMeasurements(flops: 0.1, params: 200, latency: 5)))
    XCTAssertFalse(q.admits(QuotaMeasurements(flops: 0.1, params: 200)))  // latency unmeasured
    XCTAssertEqual(q.violation(QuotaMeasurements(flops: 0.7, params: 200, latency: 1))?.quantity, .flops)
  }

  func testVEGAForms() throws {
    let q = try Quota("flops > 1e-3 and host_latency <= 10 and model_valid and runtime < 2.5")
    XCTAssertTrue(q.modelValid)
    XCTAssertEqual(q.runtime, 2.5)
    XCTAssertEqual(q.clauses.map(\.quantity), [.flops, .latency])
    XCTAssertTrue(q.admits(QuotaMeasurements(flops: 0.01, latency: 10)))
    XCTAssertTrue(try Quota("").clauses.isEmpty)
  }

  func assertError(_ text: String, column: Int, _ part: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try Quota(text), file: file, line: line) { e in
      guard let q = e as? QuotaError else { return XCTFail("\(e)", file: file, line: line) }
      XCTAssertEqual(q.column, column, "\(q)", file: file, line: line)
      XCTAssertTrue(q.description.contains(part), "\(q)", file: file, line: line)
      XCTAssertTrue(q.description.contains("column \(column)"), file: file, line: line)
    }
  }

  func testMalformedExpressionsNameThePosition() {
    assertError("flops < and params < 3", column: 9, "expected a number")
    assertError("flops < 0.6 params < 3", column: 13, "expected 'and'")
    assertError("flops < 0.6 and parms < 3", column: 17, "did you mean 'params'")
    assertError("params in [1, 2", column: 16, "expected ']'")
    assertError("params in [5, 2]", column: 15, "empty range")
    assertError("flops = 3", column: 7, "unexpected character '='")
    assertError("flops < 0.6 and", column: 16, "expected a quantity")
    assertError("latency ~ 3", column: 9, "unexpected character")
    assertError("device_latency < 3", column: 1, "evaluator")
  }

  func testChecksADescriptionWithProfile() throws {
    // Linear 784 → 10: 7,850 parameters = 7.85 K, 7,840 MACs = 7.84e-6 G.
    let desc: JSON = .object(["type": .string("Sequential"), "modules": .array([
      .object(["type": .string("Flatten")]),
      .object(["type": .string("Linear"), "in_features": JSON(784), "out_features": JSON(10)]),
    ])])
    let ok = try Quota("params in [7, 8] and flops < 1e-5").check(description: desc, inputShape: [1, 28, 28])
    XCTAssertTrue(ok.passed, ok.reason ?? "")
    XCTAssertEqual(ok.measurements.params!, 7.85, accuracy: 1e-9)
    XCTAssertEqual(ok.measurements.flops!, 7.84e-6, accuracy: 1e-12)
    let tooBig = try Quota("params < 5").check(description: desc, inputShape: [1, 28, 28])
    XCTAssertFalse(tooBig.passed)
    XCTAssertTrue(tooBig.reason!.contains("params < 5"), tooBig.reason!)
    let lat = try Quota("latency < 10000").check(description: desc, inputShape: [1, 28, 28], latencyRepeats: 2)
    XCTAssertTrue(lat.passed)
    XCTAssertNotNil(lat.measurements.latency)
    // Wrong input shape: the model does not run, the sample fails (no crash).
    let bad = try Quota("model_valid").check(description: desc, inputShape: [3, 32, 32])
    XCTAssertFalse(bad.passed)
    let unbuilt = try Quota("model_valid").check(description: .object(["type": .string("Nope")]), inputShape: [1])
    XCTAssertFalse(unbuilt.passed)
    XCTAssertTrue(unbuilt.reason!.contains("does not build"))
  }
}
