import XCTest
import LyraBase
@testable import LyraTensor
import LyraNN

/// A network about to outgrow memory stops with an error naming the module (forward) or the
/// node (backward), through either limit: the live-bytes cap and the system reserve. The
/// limits are set on `MemoryGuard` directly, so the tests do not depend on this machine's
/// free memory.
final class MemoryGuardTests: XCTestCase {
  override func tearDown() {
    MemoryGuard.limit = nil
    MemoryGuard.reserve = 1 << 30
    super.tearDown()
  }

  func net() -> Module {
    Sequential([Linear(64, 512), ReLU(), Linear(512, 512), ReLU(), Linear(512, 10)])
  }

  func testForwardOverTheLimitNamesTheModule() throws {
    let m = net(), x = Tensor.randn([512, 64], generator: Generator(seed: 1))
    // Room for the input and weights, not for the 1 MiB activations of the first layers.
    MemoryGuard.limit = BufferCache.liveBytes + 512 << 10
    XCTAssertThrowsError(try m(x)) { error in
      let text = "\(error)"
      XCTAssertTrue(error is MemoryError, text)
      XCTAssertTrue(text.contains("on input [512, "), text)
      XCTAssertTrue(text.contains("above the limit of "), text)
    }
    MemoryGuard.limit = nil
    XCTAssertEqual(try m(x).shape, [512, 10])
  }

  func testBackwardCheckedStopsOverTheLimitAndEqualsBackwardOtherwise() throws {
    let m = net(), x = Tensor.randn([256, 64], generator: Generator(seed: 2))
    let loss = try m(x).pow(2).mean()
    MemoryGuard.limit = BufferCache.liveBytes // the first gradient goes over
    XCTAssertThrowsError(try loss.backwardChecked()) { error in
      XCTAssertTrue("\(error)".hasPrefix("backward of "), "\(error)")
    }
    MemoryGuard.limit = nil
    m.zeroGrad()
    try m(x).pow(2).mean().backwardChecked()
    let checked = m.parameters().map { $0.grad!.toArray() }
    m.zeroGrad()
    try m(x).pow(2).mean().backward()
    XCTAssertEqual(m.parameters().map { $0.grad!.toArray() }, checked)
  }

  func testReserveRefusesWhenTheMachineIsShortAndGivesTheCacheBack() throws {
    // Park a buffer in the cache, then ask for more free memory than any machine has.
    _ = Tensor.zeros([1 << 20])
    MemoryGuard.reserve = Int.max / 4
    MemoryGuard.lastProbeLive = 0
    let big = Tensor.zeros([80 << 18]) // 80 MiB of live tensors: past the probe step
    XCTAssertThrowsError(try MemoryGuard.check("Conv2d on input [1, 2]")) { error in
      let text = "\(error)"
      XCTAssertTrue(text.hasPrefix("Conv2d on input [1, 2]: out of memory: tensors hold "), text)
      XCTAssertTrue(text.contains("LYRA_MEMORY_RESERVE"), text)
    }
    XCTAssertEqual(BufferCache.parkedBytes, 0)
    XCTAssertEqual(big.count, 80 << 18)
    // Below the probe step nothing is read again: a small network is not slowed down.
    XCTAssertNoThrow(try MemoryGuard.check("small"))
  }

  func testLiveBytesFollowAllocations() {
    let before = BufferCache.liveBytes
    var t: Tensor? = Tensor.zeros([1 << 20])
    XCTAssertEqual(BufferCache.liveBytes - before, 4 << 20)
    t = nil
    XCTAssertEqual(BufferCache.liveBytes, before)
    // The requested bytes, not the 4 KiB bucket: an untouched tail costs no memory.
    var u: Tensor? = Tensor.zeros([1000])
    XCTAssertEqual(BufferCache.liveBytes - before, 4000)
    u = nil
    XCTAssertEqual(BufferCache.liveBytes, before)
    _ = (t, u)
  }
}
