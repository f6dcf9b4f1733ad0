import XCTest
@testable import LyraKernels

final class PixelShuffleTests: XCTestCase {
  /// out[n, c, h·r + i, w·r + j] = in[n, c·r² + i·r + j, h, w], written out directly.
  func testForwardMatchesDefinition() {
    let (n, c, h, w, r) = (2, 3, 2, 3, 2)
    let x = (0..<(n * c * r * r * h * w)).map { Float($0) }
    var y = [Float](repeating: .nan, count: x.count)
    withKernelSettings { setting in
      pixelShuffleForward(input: x, output: &y, batch: n, channels: c, height: h, width: w, factor: r)
      for b in 0..<n { for ch in 0..<c { for oy in 0..<(h * r) { for ox in 0..<(w * r) {
        let src = x[((b * c * r * r + ch * r * r + (oy % r) * r + ox % r) * h + oy / r) * w + ox / r]
        XCTAssertEqual(y[((b * c + ch) * h * r + oy) * w * r + ox], src, setting)
      } } } }
    }
    // 1 image, 4 channels of 1×1 → one 2×2 plane in channel order.
    var y4 = [Float](repeating: .nan, count: 4)
    pixelShuffleForward(input: [1, 2, 3, 4], output: &y4, batch: 1, channels: 1, height: 1, width: 1, factor: 2)
    XCTAssertEqual(y4, [1, 2, 3, 4])
  }

  /// Backward is the adjoint: ⟨shuffle(x), g⟩ = ⟨x, backward(g)⟩, and it inverts forward.
  func testBackwardIsAdjointAndInverse() {
    let (n, c, h, w, r) = (2, 2, 3, 2, 3)
    var rng = TestRNG(3)
    let x = rng.array(n * c * r * r * h * w), g = rng.array(x.count)
    var y = [Float](repeating: .nan, count: x.count), dx = y, back = y
    pixelShuffleForward(input: x, output: &y, batch: n, channels: c, height: h, width: w, factor: r)
    pixelShuffleBackward(gradOutput: g, gradInput: &dx, batch: n, channels: c, height: h, width: w, factor: r)
    XCTAssertEqual(dot(y, g), dot(x, dx), accuracy: 1e-4)
    pixelShuffleBackward(gradOutput: y, gradInput: &back, batch: n, channels: c, height: h, width: w, factor: r)
    XCTAssertEqual(back, x)
  }
}
