import XCTest
import LyraBase
@testable import LyraTensor

/// Test helpers: a finite-difference gradient check and naive N-d references.

/// A float tensor of `shape` with seeded normal values (scaled), leaf requiring grad.
func param(_ shape: [Int], seed: UInt64 = 1, scale: Float = 1, shift: Float = 0) -> Tensor {
  let g = Generator(seed: seed)
  let v = (0..<Shape.count(shape)).map { _ in Float(g.normal()) * scale + shift }
  return Tensor(v, shape: shape).requiresGrad_()
}

/// Checks the tape's gradients of every float input that requires grad against central
/// differences of L = Σ f(inputs) · w, with w a fixed random projection (so each output
/// element contributes differently). The loss is accumulated in Double.
func gradCheck(_ inputs: [Tensor], eps: Float = 1e-3, rtol: Double = 1e-2, atol: Double = 2e-3,
               file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) -> Tensor) {
  if let problem = gradMismatch(inputs, eps: eps, rtol: rtol, atol: atol, f) { XCTFail(problem, file: file, line: line) }
}

/// The first disagreement between tape and finite differences, or nil when all agree.
func gradMismatch(_ inputs: [Tensor], eps: Float = 1e-3, rtol: Double = 1e-2, atol: Double = 2e-3,
                  _ f: ([Tensor]) -> Tensor) -> String? {
  for x in inputs { x.zeroGrad() }
  let y = f(inputs)
  guard y.requiresGrad else { return "gradCheck: output is not on the tape" }
  let wg = Generator(seed: 99)
  let w = Tensor((0..<y.count).map { _ in Float(wg.uniform(-1, 1)) }, shape: y.shape)
  y.backward(w)
  let wv = w.toArray().map(Double.init)
  func loss() -> Double {
    let out = Tensor.noGrad { f(inputs) }.toArray()
    var s = 0.0
    for (a, b) in zip(out, wv) { s += Double(a) * b }
    return s
  }
  var checked = 0
  for (n, x) in inputs.enumerated() where x.requiresGrad && x.dtype == .float32 {
    guard x.isContiguous else { return "gradCheck: input \(n) must be contiguous" }
    guard let grad = x.grad else { return "gradCheck: input \(n) got no gradient" }
    guard grad.shape == x.shape else { return "gradCheck: input \(n) gradient shape \(grad.shape) vs \(x.shape)" }
    let analytic = grad.toArray()
    let p = x.data
    for i in 0..<x.count {
      let v = p[i]
      p[i] = v + eps
      let up = loss()
      p[i] = v - eps
      let down = loss()
      p[i] = v
      let numeric = (up - down) / (2 * Double(eps))
      let a = Double(analytic[i])
      let tol = atol + rtol * Swift.max(Swift.abs(a), Swift.abs(numeric))
      if Swift.abs(a - numeric) > tol {
        return "gradCheck: input \(n) element \(i): analytic \(a), numeric \(numeric)"
      }
      checked += 1
    }
  }
  return checked > 0 ? nil : "gradCheck: nothing checked"
}

/// Row-major coordinates of flat index `i` in `shape`.
func coords(_ i: Int, _ shape: [Int]) -> [Int] {
  var r = i
  var c = [Int](repeating: 0, count: shape.count)
  for d in stride(from: shape.count - 1, through: 0, by: -1) {
    c[d] = r % shape[d]
    r /= shape[d]
  }
  return c
}

/// Flat index of coordinates in `shape`.
func flat(_ c: [Int], _ shape: [Int]) -> Int {
  var i = 0
  for d in 0..<shape.count { i = i * shape[d] + c[d] }
  return i
}

/// Naive broadcasting binary op over arrays.
func naiveBroadcast(_ a: [Float], _ sa: [Int], _ b: [Float], _ sb: [Int], _ f: (Float, Float) -> Float) -> ([Float], [Int]) {
  let out = Shape.broadcast(sa, sb)!
  var r = [Float](repeating: 0, count: Shape.count(out))
  for i in 0..<r.count {
    let c = coords(i, out)
    let ca = Array(c.suffix(sa.count)).enumerated().map { sa[$0.offset] == 1 ? 0 : $0.element }
    let cb = Array(c.suffix(sb.count)).enumerated().map { sb[$0.offset] == 1 ? 0 : $0.element }
    r[i] = f(a[flat(ca, sa)], b[flat(cb, sb)])
  }
  return (r, out)
}

func assertClose(_ a: [Float], _ b: [Float], tol: Float = 1e-5, file: StaticString = #filePath, line: UInt = #line) {
  XCTAssertEqual(a.count, b.count, "lengths differ", file: file, line: line)
  for (i, (x, y)) in zip(a, b).enumerated() where !(Swift.abs(x - y) <= tol * Swift.max(1, Swift.abs(y))) {
    XCTFail("element \(i): \(x) vs \(y)", file: file, line: line)
    return
  }
}
