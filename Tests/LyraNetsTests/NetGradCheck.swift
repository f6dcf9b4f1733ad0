import LyraBase
import LyraNN
import LyraTensor
import XCTest

/// Directional finite differences for the blocks of whole networks: for L = Σ module(x)·w
/// (w a fixed random projection) and a few random directions d, the tape's ∇L·d must equal
/// (L(x + h·d) − L(x − h·d)) / 2h. A direction mixes every input coordinate, so a wrong
/// gradient anywhere shows in almost every direction, at a few forward passes per
/// direction instead of two per coordinate (LyraNNTests' `ModuleGradCheck` goes coordinate
/// by coordinate over LyraNN's layers; these blocks are built from those layers).
/// `reset` runs before every forward (it reseeds whatever the module draws).
enum NetGradCheck {
  static func mismatch(_ m: Module, _ x: Tensor, eps: Float = 1e-2, rtol: Double = 1e-2, atol: Double = 1e-3,
                       directions: Int = 6, reset: () -> Void) throws -> String? {
    let input = x.contiguous().detach().clone().requiresGrad_()
    reset()
    let y = try m(input)
    let wg = Generator(seed: 99)
    let w = Tensor((0..<y.count).map { _ in Float(wg.uniform(-1, 1)) }, shape: y.shape)
    y.backward(w)
    guard let grad = input.grad?.toArray() else { return "no gradient reached the input" }
    let wv = w.toArray()
    let base = input.detach().toArray()
    let dg = Generator(seed: 7)
    for k in 0..<directions {
      let d = (0..<base.count).map { _ in Float(dg.uniform(-1, 1)) }
      func loss(_ sign: Float) throws -> Double {
        reset()
        let shifted = Tensor(zip(base, d).map { $0 + sign * eps * $1 }, shape: input.shape)
        let out = try Tensor.noGrad { try m(shifted) }.toArray()
        return zip(out, wv).reduce(0) { $0 + Double($1.0) * Double($1.1) }
      }
      let numeric = (try loss(1) - loss(-1)) / (2 * Double(eps))
      let analytic = zip(grad, d).reduce(0) { $0 + Double($1.0) * Double($1.1) }
      if abs(analytic - numeric) > atol + rtol * max(abs(analytic), abs(numeric)) {
        return "direction \(k): analytic \(analytic), numeric \(numeric)"
      }
    }
    return nil
  }
}
