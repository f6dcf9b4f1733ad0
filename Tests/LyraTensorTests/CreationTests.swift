import XCTest
import LyraBase
@testable import LyraTensor

final class CreationTests: XCTestCase {
  func testFactories() {
    XCTAssertEqual(Tensor.zeros([2, 3]).toArray(), [Float](repeating: 0, count: 6))
    XCTAssertEqual(Tensor.ones([2]).toArray(), [1, 1])
    XCTAssertEqual(Tensor.full([3], 2.5).toArray(), [2.5, 2.5, 2.5])
    XCTAssertEqual(Tensor.arange(1, 2, 0.25).toArray(), [1, 1.25, 1.5, 1.75])
    XCTAssertEqual(Tensor.arange(4).toArray(), [0, 1, 2, 3])
    XCTAssertEqual(Tensor.linspace(0, 1, 5).toArray(), [0, 0.25, 0.5, 0.75, 1])
    XCTAssertEqual(Tensor.eye(2).toArray(), [1, 0, 0, 1])
    XCTAssertEqual(Tensor(3.5).item(), 3.5)
    XCTAssertEqual(Tensor(3.5).shape, [])
    XCTAssertEqual(Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]).shape, [2, 3])
    XCTAssertEqual(Tensor.zeros([3]).device, .cpu)
    XCTAssertEqual(Tensor.zeros([3, 4]).byteCount, 48)
  }

  func testIntTensors() {
    let i = Tensor(indices: [3, -1, 7], shape: [3])
    XCTAssertEqual(i.dtype, .int32)
    XCTAssertEqual(i.toIntArray(), [3, -1, 7])
    XCTAssertEqual(i.float().toArray(), [3, -1, 7])
    XCTAssertEqual(Tensor([1.9, -2.5]).int().toIntArray(), [1, -2])
    // Int bit patterns survive views and copies (-1 is a NaN pattern as a float).
    XCTAssertEqual(Tensor(indices: [1, 2, 3, -1], shape: [2, 2]).t().contiguous().toIntArray(), [1, 3, 2, -1])
    XCTAssertEqual(Tensor.arange(3, dtype: .int32).toIntArray(), [0, 1, 2])
  }

  func testSeededRandomIsReproducible() {
    Tensor.manualSeed(42)
    let a = Tensor.randn([100])
    let u = Tensor.rand([50])
    Tensor.manualSeed(42)
    XCTAssertEqual(Tensor.randn([100]).toArray(), a.toArray())
    XCTAssertEqual(Tensor.rand([50]).toArray(), u.toArray())
    let g1 = Generator(seed: 7), g2 = Generator(seed: 7), g3 = Generator(seed: 8)
    XCTAssertEqual(Tensor.randn([10], generator: g1).toArray(), Tensor.randn([10], generator: g2).toArray())
    XCTAssertNotEqual(Tensor.randn([10], generator: g3).toArray(), Tensor.randn([10], generator: Generator(seed: 7)).toArray())
  }

  func testRandomDistributions() {
    let g = Generator(seed: 3)
    let n = Tensor.randn([20_000], generator: g)
    XCTAssertEqual(n.mean().item(), 0, accuracy: 0.03)
    XCTAssertEqual(n.std().item(), 1, accuracy: 0.03)
    let u = Tensor.rand([20_000], generator: g)
    XCTAssertGreaterThanOrEqual(u.min().item(), 0)
    XCTAssertLessThan(u.max().item(), 1)
    XCTAssertEqual(u.mean().item(), 0.5, accuracy: 0.01)
    let r = Tensor.randint(2, 5, [1000], generator: g).toIntArray()
    XCTAssertEqual(Set(r), [2, 3, 4])
    XCTAssertEqual(Tensor.randperm(10, generator: g).toIntArray().sorted(), Array(0..<10))
    let w = Tensor.empty([4, 5]).t()
    w.uniform_(-2, -1, generator: g)
    XCTAssertTrue(w.toArray().allSatisfy { $0 >= -2 && $0 < -1 })
  }

  func testBufferCacheReusesMemory() {
    BufferCache.purge()
    var p: UnsafeMutableRawPointer?
    do {
      let t = Tensor.zeros([1000])
      p = t.storage.raw
    }
    XCTAssertGreaterThan(BufferCache.parkedBytes, 0)
    let t2 = Tensor.zeros([900])
    XCTAssertEqual(t2.storage.raw, p)
    XCTAssertEqual(t2.toArray(), [Float](repeating: 0, count: 900))
  }
}
