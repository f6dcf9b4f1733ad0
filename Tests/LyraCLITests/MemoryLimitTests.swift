import Foundation
import XCTest

/// `LYRA_MEMORY_LIMIT` as a user sets it: a model that needs more stops with a Lua error
/// naming the module and the limit (the process lives on to report it); a value that is not
/// a byte count is said on stderr and ignored.
final class MemoryLimitTests: XCTestCase {
  let script = """
    local m = lyra.nn.Sequential{lyra.nn.Linear(64, 4096), lyra.nn.ReLU(), lyra.nn.Linear(4096, 10)}
    local ok, err = pcall(function() return m(lyra.randn{1024, 64}) end)
    print(ok, err)
    """

  func testAModelOverTheLimitIsAnErrorNamingTheModule() throws {
    let r = try runLyra(["-e", script], environment: ["LYRA_MEMORY_LIMIT": "8M"])
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertTrue(r.out.hasPrefix("false\t"), r.out)
    XCTAssertTrue(r.out.contains("on input [1024, "), r.out)
    XCTAssertTrue(r.out.contains("above the limit of 8.0 MiB (LYRA_MEMORY_LIMIT"), r.out)
    let fits = try runLyra(["-e", script], environment: ["LYRA_MEMORY_LIMIT": "1G"])
    XCTAssertTrue(fits.out.hasPrefix("true\t"), fits.out + fits.err)
  }

  func testAMalformedLimitIsSaidAndIgnored() throws {
    let r = try runLyra(["-e", script], environment: ["LYRA_MEMORY_LIMIT": "lots"])
    XCTAssertTrue(r.out.hasPrefix("true\t"), r.out)
    XCTAssertTrue(r.err.contains("LYRA_MEMORY_LIMIT=lots is not a byte count"), r.err)
  }

  func testTheSandboxMemoryCapHoldsAllTensorsTogether() throws {
    // 64 MiB: more than the largest tensor here (32 MiB), less than the forward pass needs.
    let r = try runLyra(["--sandbox", "--max-memory", "64M", "-e", script.replacingOccurrences(of: "{1024, 64}", with: "{2048, 64}")])
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertTrue(r.out.hasPrefix("false\t"), r.out)
    XCTAssertTrue(r.out.contains("above the limit of 64.0 MiB (LYRA_MEMORY_LIMIT, or --max-memory"), r.out)
  }
}
