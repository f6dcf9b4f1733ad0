import Foundation
import XCTest

/// `LYRA_ISA` as a user sets it: `lyra --version` names the kernel path the process runs, a lower
/// path is taken, and a value that names no path is reported on stderr (the detected path runs).
final class KernelISATests: XCTestCase {
  func kernelsLine(_ environment: [String: String]) throws -> (line: String, err: String) {
    let r = try runLyra(["--version"], environment: environment)
    XCTAssertEqual(r.status, 0, r.err)
    let line = r.out.split(separator: "\n").first { $0.hasPrefix("kernels: ") }.map(String.init) ?? ""
    return (line, r.err)
  }

  func testVersionNamesThePathAndLYRA_ISALowersIt() throws {
    let plain = try kernelsLine([:]).line
    XCTAssertTrue(plain.contains("gemm "), plain)
    XCTAssertTrue(plain.contains("threads "), plain)
    let portable = try kernelsLine(["LYRA_ISA": "portable"]).line
    XCTAssertTrue(portable.hasPrefix("kernels: portable (cpu: "), portable)
    XCTAssertTrue(portable.contains("gemm 4x16"), portable)
    XCTAssertTrue(portable.contains("int8 portable"), portable)
    if !plain.hasPrefix("kernels: portable") {
      XCTAssertTrue(portable.contains("lowered by LYRA_ISA"), portable)
    }
  }

  func testUnknownValueIsReportedAndIgnored() throws {
    let (line, err) = try kernelsLine(["LYRA_ISA": "avx1024"])
    XCTAssertTrue(line.contains("LYRA_ISA=avx1024 ignored (use avx512, avx2 or portable)"), line)
    XCTAssertTrue(err.contains("LYRA_ISA=avx1024 is not a kernel path (use avx512, avx2 or portable)"), err)
    let r = try runLyra(["-e", "print(lyra.config().isa == lyra.config().isa_detected)"], environment: ["LYRA_ISA": "AVX2"])
    XCTAssertEqual(r.out, "true\n", "an unknown spelling must not lower the path")
    XCTAssertTrue(r.err.contains("LYRA_ISA=AVX2 is not a kernel path"), r.err)
  }
}
