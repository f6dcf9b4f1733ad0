import XCTest
import LyraBase
@testable import LyraTensor

/// The small-op fast paths of issue 15 (dense same-shape and tensor-with-0-d element-wise
/// ops that share the input's shape arrays; the tape skipped when no input needs grad):
/// each is checked against a naive reference on the inputs that take it and on the views
/// that must not (offsets, size-1 dimensions with other strides, expanded inputs).
final class SmallOpFastPathTests: XCTestCase {
  let ops: [(String, (Tensor, Tensor) -> Tensor, (Float, Float) -> Float)] = [
    ("add", { $0 + $1 }, { $0 + $1 }), ("sub", { $0 - $1 }, { $0 - $1 }),
    ("mul", { $0 * $1 }, { $0 * $1 }), ("div", { $0 / $1 }, { $0 / $1 }),
  ]

  /// Exact comparison: the fast loop must compute the very same floats as the reference,
  /// with the tape (`param` makes leaves that require grad) and without it (detached).
  func check(_ a: Tensor, _ b: Tensor, file: StaticString = #filePath, line: UInt = #line) {
    for (name, op, ref) in ops {
      for (x, y) in [(a, b), (a.detach(), b.detach())] {
        check(name, op(x, y), a, b, ref, file: file, line: line)
      }
    }
  }

  func check(_ name: String, _ y: Tensor, _ a: Tensor, _ b: Tensor, _ ref: (Float, Float) -> Float,
           file: StaticString, line: UInt) {
    let (r, shape) = naiveBroadcast(a.toArray(), a.shape, b.toArray(), b.shape, ref)
    XCTAssertEqual(y.shape, shape, name, file: file, line: line)
    XCTAssertEqual(y.strides, Shape.contiguousStrides(shape), "\(name): result strides", file: file, line: line)
    XCTAssertEqual(y.offset, 0, name, file: file, line: line)
    XCTAssertEqual(y.toArray(), r, name, file: file, line: line)
    XCTAssertFalse(y.storage === a.storage || y.storage === b.storage, "\(name) wrote into an input", file: file, line: line)
  }

  func testSameShapeDenseTensors() {
    for shape in [[4], [1], [], [2, 3], [2, 1, 3], [70_000]] {
      check(param(shape, seed: 1), param(shape, seed: 2, scale: 0.5, shift: 3))
    }
  }

  func testViewsWithAnOffsetAreReadFromTheirOffset() {
    let base = param([10], seed: 3), other = param([10], seed: 4, shift: 3)
    check(base.narrow(0, 3, 4), other.narrow(0, 5, 4))
    let rows = param([5, 4], seed: 5)
    check(rows.narrow(0, 2, 2), param([2, 4], seed: 6, shift: 3))
  }

  func testNonDenseInputsTakeTheGeneralPath() {
    // Same shape [1, 4] but strides [1, 1]: contiguous, yet not the row-major strides.
    let a = param([4, 1], seed: 7).t(), b = param([1, 4], seed: 8, shift: 3)
    XCTAssertFalse(a.isDense)
    XCTAssertTrue(b.isDense)
    check(a, b)
    check(b, a)
    check(param([3, 4], seed: 9).t(), param([4, 3], seed: 10, shift: 3))
    check(param([1], seed: 11).expand([5]), param([5], seed: 12, shift: 3))
    check(param([2, 3], seed: 13), param([3], seed: 14, shift: 3)) // broadcast
  }

  func testTensorWithAZeroDimensionalTensorOnEitherSide() {
    let s = Tensor(Float(2.5))
    XCTAssertEqual(s.shape, [])
    XCTAssertEqual(s.toArray(), [2.5])
    for shape in [[4], [2, 3], [1]] {
      check(param(shape, seed: 15), s) // sub and div are not symmetric: the order matters
      check(s, param(shape, seed: 16, shift: 3))
    }
    check(param([3, 4], seed: 17).t(), s)
    check(s, param([4], seed: 18).narrow(0, 1, 2))
  }

  func testEmptyTensors() {
    check(Tensor.zeros([0]), Tensor.zeros([0]))
    check(Tensor.zeros([2, 0]), Tensor(Float(1)))
  }

  func testIsDenseMatchesRowMajorStrides() {
    let cases: [Tensor] = [param([3, 4]), param([3, 4]).t(), param([4, 1]).t(), param([6]).narrow(0, 2, 3),
                           param([1]).expand([3]), param([3, 4]).narrow(1, 0, 2), Tensor(Float(1)), Tensor.zeros([2, 0])]
    for t in cases {
      XCTAssertEqual(t.isDense, !t.shape.contains(0) && t.strides == Shape.contiguousStrides(t.shape),
                     "shape \(t.shape) strides \(t.strides)")
    }
  }

  func testGradientsAreRecordedOnlyWhenAnInputNeedsThem() {
    for (name, op, _) in ops {
      let a = param([4], seed: 19, shift: 2).detach(), b = param([4], seed: 20, shift: 2).detach()
      let plain = op(a, b)
      XCTAssertFalse(plain.requiresGrad, name)
      XCTAssertNil(plain.gradFn, name)
      for (x, y) in [(a.detach().requiresGrad_(), b), (a, b.detach().requiresGrad_())] {
        let out = op(x, y)
        XCTAssertTrue(out.requiresGrad, name)
        XCTAssertEqual(out.gradFn?.name, name)
        XCTAssertNil(Tensor.noGrad { op(x, y) }.gradFn, "\(name) recorded under noGrad")
      }
      gradCheck([a.detach().requiresGrad_(), b.detach().requiresGrad_()]) { op($0[0], $0[1]) }
    }
    let x = param([4], seed: 21).requiresGrad_()
    for (name, f) in [("add", { (t: Tensor) in t + 1 }), ("mul", { $0 * 3 }), ("neg", { -$0 })] {
      XCTAssertEqual(f(x).gradFn?.name, name)
      XCTAssertNil(f(param([4], seed: 22).detach()).gradFn, name)
    }
  }

  func testBroadcastSharesTheCommonCasesAndStillRefuses() {
    XCTAssertEqual(Shape.broadcast([2, 3], [2, 3]), [2, 3])
    XCTAssertEqual(Shape.broadcast([2, 3], []), [2, 3])
    XCTAssertEqual(Shape.broadcast([], [4]), [4])
    XCTAssertEqual(Shape.broadcast([], []), [])
    XCTAssertEqual(Shape.broadcast([2, 1], [1, 3]), [2, 3])
    XCTAssertEqual(Shape.broadcast([3], [2, 1]), [2, 3])
    XCTAssertNil(Shape.broadcast([2, 3], [3, 2]))
    XCTAssertNil(Shape.broadcast([4], [3]))
  }

  /// `isSmallAllocation` may only vouch for shapes that `CheckedSize` accepts.
  func testSmallAllocationCheckNeverAcceptsWhatCheckedSizeRefuses() {
    let shapes: [[Int]] = [[], [0], [4], [2, 3], [-1], [3, -2], [1 << 18], [1 << 18, 2], [Int.max, 2], [1 << 40, 1 << 40],
                           [0, Int.max, Int.max], [1 << 16, 1 << 16]]
    for shape in shapes {
      for elementSize in [1, 4, 8] where Shape.isSmallAllocation(shape, elementSize: elementSize) {
        XCTAssertNoThrow(try CheckedSize.allocation(shape, elementSize: elementSize), "\(shape)")
      }
    }
    XCTAssertTrue(Shape.isSmallAllocation([4], elementSize: 4))
    XCTAssertTrue(Shape.isSmallAllocation([], elementSize: 4))
    XCTAssertFalse(Shape.isSmallAllocation([-1], elementSize: 4))
    XCTAssertFalse(Shape.isSmallAllocation([Int.max, 2], elementSize: 4))
    XCTAssertFalse(Shape.isSmallAllocation([1 << 20], elementSize: 4)) // 4 MiB: CheckedSize decides
  }

  func testSmallLoopsStayOnOneThread() {
    let g = Parallel.grain
    XCTAssertEqual(Parallel.chunks(forWork: 0), 1)
    XCTAssertEqual(Parallel.chunks(forWork: 4), 1)
    XCTAssertEqual(Parallel.chunks(forWork: 2 * g - 1), 1)
    XCTAssertEqual(Parallel.chunks(forWork: 2 * g), min(Parallel.maxThreads, 2))
    XCTAssertEqual(Parallel.chunks(forWork: 64 * g), min(Parallel.maxThreads, 64))
  }
}
