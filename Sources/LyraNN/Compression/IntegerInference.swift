import Foundation
import LyraKernels
import LyraTensor

/// When a quantised layer (`QuantConv2d`, `QuantLinear`) computes with integer kernels
/// (`QuantizedProduct`: AVX-512 VNNI, AVX2 or portable) instead of fake-quantised floats.
///
/// It does in evaluation mode, with nothing recording gradients (`Tensor.noGrad`: Lyra's
/// evaluator, the pipeline and `lyra.no_grad` all evaluate so), for layers whose inputs are
/// quantised (`activationBits`) over a range calibrated in training, and (convolutions) with
/// one group. The output equals the fake-quantised layer's up to that layer's float rounding,
/// since the integer sums are exact. A layer with float inputs (weights-only quantisation, the
/// Quant-EA default) stays on float kernels: its products are float products.
public enum IntegerInference {
  /// Integer kernels for the layers above (default on). Off, every quantised layer computes
  /// fake-quantised floats as in training: for comparing the two (`lyra.config{int8 = false}`).
  nonisolated(unsafe) public static var enabled = true

  /// The input grid when `layer` can run on integers for `x` now, else nil.
  static func grid(_ layer: QuantizedLayer) -> QuantizedProduct.Grid? {
    guard enabled, !layer.training, !Tensor.isGradEnabled, let bits = layer.activationBits,
          let range = layer.activationRange, range.count == 2 else { return nil }
    let lo = range.data[0], hi = range.data[1]
    guard lo != hi, lo.isFinite, hi.isFinite else { return nil } // never calibrated: the batch's own range
    let (s, z) = QuantScheme.affineParameters(lo: lo, hi: hi, bits: bits)
    guard s > 0, s.isFinite else { return nil }
    return QuantizedProduct.Grid(scale: s, zeroPoint: z, levels: Float((1 << bits) - 1))
  }
}

/// A quantised layer's integer weights prepared for the kernels, rebuilt only when its float
/// weight or bias, the batch norm folded after it, its input grid or the ISA path change.
///
/// Why compare bytes rather than keep a version number: Lyra's tensors carry none, and a
/// comparison is exact whatever wrote the weights (an optimiser, `copy_` from Lua, a loaded
/// checkpoint). It reads the weights once (memcmp; the CNN's 3136×128 layer, 1.6 MB, in about
/// 0.1 ms), where re-quantising them every call costs an order of magnitude more.
final class QuantizedWeightCache {
  private var weightCopy: [Float] = []
  private var biasCopy: [Float]?
  private var postCopy: (scale: [Float], shift: [Float])?
  private var prepared: QuantizedProduct.Weights?

  func weights(_ layer: QuantizedLayer, grid: QuantizedProduct.Grid, post: (scale: [Float], shift: [Float])?) -> QuantizedProduct.Weights? {
    let w = layer.weight.contiguous(), b = layer.bias?.contiguous()
    if let p = prepared, p.grid == grid, p.isa == KernelISA.active, Self.same(w, weightCopy),
       (b == nil) == (biasCopy == nil), b.map({ Self.same($0, biasCopy!) }) ?? true,
       postCopy?.scale == post?.scale, postCopy?.shift == post?.shift {
      return p
    }
    prepared = nil
    weightCopy = w.toArray()
    biasCopy = b?.toArray()
    postCopy = post
    let rows = w.shape[0], (ints, scales) = QuantScheme.quantize(weightCopy, rows: rows, bits: layer.bits)
    prepared = biasCopy.withOptionalPointer { bias in
      QuantizedProduct.Weights(rows: rows, k: w.count / max(rows, 1), ints: ints, weightScales: scales, bias: bias, grid: grid, post: post)
    }
    return prepared
  }

  private static func same(_ t: Tensor, _ copy: [Float]) -> Bool {
    guard t.count == copy.count else { return false }
    if copy.isEmpty { return true }
    return copy.withUnsafeBytes { memcmp($0.baseAddress!, t.data, t.count * 4) == 0 }
  }
}

private extension Optional where Wrapped == [Float] {
  func withOptionalPointer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let a = self else { return body(nil) }
    return a.withUnsafeBufferPointer { body($0.baseAddress) }
  }
}

extension IntegerInference {
  /// An evaluation-mode batch norm as the per-channel affine map it computes: a = γ/√(var + eps),
  /// c = β − mean·a.
  static func affine(_ bn: BatchNorm) -> (scale: [Float], shift: [Float]) {
    let mean = bn.runningMean.contiguous().toArray(), v = bn.runningVar.contiguous().toArray()
    let gamma = bn.weight?.contiguous().toArray(), beta = bn.bias?.contiguous().toArray()
    var a = [Float](repeating: 0, count: bn.features), c = a
    for i in 0..<bn.features {
      a[i] = (gamma?[i] ?? 1) / (v[i] + bn.eps).squareRoot()
      c[i] = (beta?[i] ?? 0) - mean[i] * a[i]
    }
    return (a, c)
  }
}

extension QuantConv2d {
  /// This layer on integer kernels, with an evaluation-mode batch norm after it folded into the
  /// output scales and a ReLU fused into the stores (what `Sequential` hands it in inference);
  /// nil when the integer path does not apply now (see `IntegerInference`).
  func integerForward(_ x: Tensor, batchNorm bn: BatchNorm? = nil, relu: Bool = false) throws -> Tensor? {
    guard groups == 1, let grid = IntegerInference.grid(self) else { return nil }
    try checkInput(x)
    guard let w = integerWeights.weights(self, grid: grid, post: bn.map(IntegerInference.affine)) else { return nil }
    let xc = x.contiguous()
    let s = convShape(for: xc)
    let out = Tensor.empty([s.batch, outChannels, s.outHeight, s.outWidth])
    QuantizedProduct.conv2d(s, input: xc.data, weights: w, output: out.data, relu: relu)
    return out
  }
}

extension QuantLinear {
  /// This layer on integer kernels, a following ReLU fused; nil when the integer path does not
  /// apply now.
  func integerForward(_ x: Tensor, relu: Bool = false) throws -> Tensor? {
    guard inFeatures > 0, let grid = IntegerInference.grid(self) else { return nil }
    try ShapeError.check("QuantLinear", x, dim: -1, size: inFeatures, expected: "input [..., \(inFeatures)]")
    guard let w = integerWeights.weights(self, grid: grid, post: nil) else { return nil }
    let xc = x.contiguous()
    let out = Tensor.empty(Array(xc.shape.dropLast()) + [outFeatures])
    QuantizedProduct.linear(n: xc.count / inFeatures, input: xc.data, weights: w, output: out.data, relu: relu)
    return out
  }
}

extension QuantConv2d {
  /// `integerForward` taking an evaluation-mode spatial batch norm and a ReLU from the modules
  /// that follow it in a `Sequential`; the output and how many modules it stood for (1 to 3).
  func integerForward(_ x: Tensor, following next: ArraySlice<Module>) throws -> (Tensor, Int)? {
    var rest = next
    let bn = (rest.first as? BatchNorm).flatMap { $0.spatial && !$0.training && $0.features == outChannels ? $0 : nil }
    if bn != nil { rest = rest.dropFirst() }
    let relu = rest.first.map { type(of: $0) == ReLU.self } ?? false
    guard let y = try integerForward(x, batchNorm: bn, relu: relu) else { return nil }
    return (y, 1 + (bn == nil ? 0 : 1) + (relu ? 1 : 0))
  }
}
