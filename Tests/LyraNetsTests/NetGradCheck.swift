import LyraBase
import LyraNN
import LyraTensor
import XCTest

/// Central finite differences of L = Σ module(x)·w (w a fixed random projection) against
/// the tape's dL/dx, for modules that are deterministic between calls once `reset` ran
/// (it reseeds whatever randomness the module draws). The first mismatch, or nil.
enum NetGradCheck {
  static func mismatch(_ m: Module, _ x: Tensor, eps: Float = 1e-2, rtol: Double = 1e-2, atol: Double = 1e-3,
                       reset: () -> Void) throws -> String? {
    let input = x.contiguous().detach().requiresGrad_()
    reset()
    let y = try m(input)
    let wg = Generator(seed: 99)
    let w = Tensor((0..<y.count).map { _ in Float(wg.uniform(-1, 1)) }, shape: y.shape)
    y.backward(w)
    guard let grad = input.grad?.toArray() else { return "no gradient reached the input" }
    let wv = w.toArray()
    func loss() throws -> Double {
      reset()
      let out = try Tensor.noGrad { try m(input) }.toArray()
      return zip(out, wv).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    let p = input.data
    for i in 0..<input.count {
      let v = p[i]
      p[i] = v + eps
      let up = try loss()
      p[i] = v - eps
      let down = try loss()
      p[i] = v
      let numeric = (up - down) / (2 * Double(eps))
      let a = Double(grad[i])
      if abs(a - numeric) > atol + rtol * max(abs(a), abs(numeric)) { return "element \(i): analytic \(a), numeric \(numeric)" }
    }
    return nil
  }
}
