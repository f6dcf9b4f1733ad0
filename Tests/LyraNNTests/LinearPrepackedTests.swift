import XCTest
import LyraBase
@testable import LyraNN
import LyraTensor

/// An evaluation-mode `Linear` under no-grad multiplies by a packed copy of its weight kept
/// between calls (`PackedGemmWeight`): it must give the training-mode product, follow every
/// write to the weight (the copy is rebuilt when the bytes differ), and leave training alone.
final class LinearPrepackedTests: XCTestCase {
  func naive(_ x: [Float], rows: Int, _ w: [Float], _ b: [Float], inF: Int, outF: Int) -> [Float] {
    var y = [Float](repeating: 0, count: rows * outF)
    for r in 0..<rows { for o in 0..<outF {
      var acc = Double(b[o])
      for i in 0..<inF { acc += Double(x[r * inF + i]) * Double(w[o * inF + i]) }
      y[r * outF + o] = Float(acc)
    } }
    return y
  }

  func testEvaluationProductFollowsWritesToTheWeight() throws {
    let (inF, outF, rows) = (37, 29, 11)
    let layer = Linear(inF, outF, generator: Generator(seed: 5))
    let g = Generator(seed: 6)
    let xs = (0..<(rows * inF)).map { _ in Float(g.nextDouble() * 2 - 1) }
    let x = Tensor(xs, shape: [rows, inF])
    layer.eval()
    func check(_ message: String) throws {
      let y = try Tensor.noGrad { try layer(x) }
      let expected = naive(xs, rows: rows, layer.weight.contiguous().toArray(), layer.bias!.toArray(), inF: inF, outF: outF)
      let got = y.toArray()
      for i in 0..<expected.count { XCTAssertEqual(got[i], expected[i], accuracy: 1e-4, "\(message) at \(i)") }
    }
    try check("first call")
    try check("second call, packed copy reused")
    XCTAssertEqual(layer.packedWeight.packings, 1)
    // An in-place write to one weight (as an optimiser step, copy_ or a loaded checkpoint does).
    layer.weight.data[outF * inF - 1] += 3
    try check("after an in-place write")
    XCTAssertEqual(layer.packedWeight.packings, 2)
    // Training mode (and any product that records gradients) never uses the packed copy.
    layer.train()
    let y = try layer(x)
    XCTAssertTrue(y.requiresGrad)
    XCTAssertEqual(layer.packedWeight.packings, 2)
  }
}
