import XCTest
import Foundation
@testable import LyraTensor

final class AutogradTests: XCTestCase {
  func testGradCheckCatchesAWrongBackward() {
    let a = param([3, 4], seed: 2)
    // exp with a deliberately wrong gradient (x instead of e^x).
    let problem = gradMismatch([a]) { xs in
      xs[0].detach().mapUnary(FExp()).recorded("bad_exp", [xs[0]]) { g in [g.mul(xs[0].detach())] }
    }
    XCTAssertNotNil(problem)
    XCTAssertNil(gradMismatch([a]) { $0[0].exp() })
  }

  func testNoGradRecordsNothing() {
    let a = param([2, 3])
    let y = Tensor.noGrad { (a * 2).sum() }
    XCTAssertFalse(y.requiresGrad)
    XCTAssertNil(y.gradFn)
    XCTAssertTrue(Tensor.isGradEnabled)
    let z = (a * 2).sum()
    XCTAssertNotNil(z.gradFn)
  }

  func testNoGradIsPerThread() {
    let a = param([2])
    var recordedElsewhere = false
    Tensor.noGrad {
      let t = Thread { recordedElsewhere = (a * 2).requiresGrad }
      let done = DispatchSemaphore(value: 0)
      let t2 = Thread { t.main(); done.signal() }
      t2.start()
      done.wait()
      XCTAssertFalse((a * 2).requiresGrad)
    }
    XCTAssertTrue(recordedElsewhere)
  }

  func testGradientAccumulates() {
    let a = param([3], seed: 4)
    (a * 3).sum().backward()
    XCTAssertEqual(a.grad!.toArray(), [3, 3, 3])
    (a * a).sum().backward()
    let av = a.toArray()
    assertClose(a.grad!.toArray(), av.map { 3 + 2 * $0 })
    a.zeroGrad()
    XCTAssertNil(a.grad)
    (a * 2).sum().backward()
    XCTAssertEqual(a.grad!.toArray(), [2, 2, 2])
    a.zeroGrad(setToNone: false)
    XCTAssertEqual(a.grad!.toArray(), [0, 0, 0])
  }

  func testDiamondGraphSumsPaths() {
    // y = a*b + a*c with b = a+1 shares a along three paths.
    let a = param([4], seed: 6)
    gradCheck([a]) { xs in
      let b = xs[0] + 1
      return xs[0] * b + (xs[0] * xs[0]).exp() - b
    }
    let x = param([4], seed: 7)
    let y = x + x
    y.sum().backward()
    XCTAssertEqual(x.grad!.toArray(), [2, 2, 2, 2])
  }

  func testSharedGradientTensorsAreNotAliased() {
    // add hands the same gradient to both inputs; accumulation must not corrupt the other.
    let a = param([3], seed: 8), b = param([3], seed: 9)
    (a + b).sum().backward()
    (a * 5).sum().backward()
    XCTAssertEqual(a.grad!.toArray(), [6, 6, 6])
    XCTAssertEqual(b.grad!.toArray(), [1, 1, 1])
  }

  func testDetachStopsGradient() {
    let a = param([3])
    let y = (a.detach() * a).sum()
    y.backward()
    assertClose(a.grad!.toArray(), a.toArray())
    XCTAssertTrue(a.detach().storage === a.storage)
    XCTAssertFalse(a.detach().requiresGrad)
  }

  func testBackwardNeedsScalarOrGradient() {
    let a = param([2, 2])
    let y = a * 2
    y.backward(Tensor.ones([2, 2]))
    XCTAssertEqual(a.grad!.toArray(), [2, 2, 2, 2])
  }

  func testDeepChainDoesNotOverflow() {
    let a = param([1])
    var y = a
    for _ in 0..<20_000 { y = y * 1 }
    y.sum().backward()
    XCTAssertEqual(a.grad!.item(), 1)
  }
}
